// A session that never reported a working directory is filed under its client's placeholder project
// (`client: codex_exec`, or `unknown client`) until its folder is seen: no folder, so no project to scope
// memory by. The name is written here, and read back in SQL, one way.

/** The name of the project of a session that never reported a working directory. */
export function clientProject(client: string | null | undefined): string {
  return client ? `client: ${client}` : 'unknown client';
}

/** SQL: whether the project name `name` (a column or an expression) is a clientProject placeholder. */
export const isClientProjectSql = (name: string): string => `(${name} LIKE 'client: %' OR ${name} = 'unknown client')`;
