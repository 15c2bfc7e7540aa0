// Which project a session belongs to: the working directory Codex reports in <environment_context>
// (fixtures: test/fixtures/codex-0.169/http-sse/01-request.json), else the client. Gaps and the
// profile page are kept per project, so what one repository teaches does not leak into another.

import crypto from 'node:crypto';

const CWD = /<environment_context>[\s\S]*?<cwd>([^<]+)<\/cwd>/;

export function cwdOfContext(text: string | undefined): string | undefined {
  const cwd = text ? CWD.exec(text)?.[1]?.trim() : undefined;
  return cwd || undefined;
}

/**
 * A readable, stable id: the folder's own name as a slug plus a short hash of the whole path, e.g.
 * `codemie-code-907f20` for `/home/ana/src/codemie-ai/codemie-code`: a person knows a project by its
 * folder, not by the folders above it. Ids already stored keep their older shape (see `projectIdFor`).
 */
export function projectSlug(name: string): string {
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 6);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const folders = name.split(/[\\/]+/).filter(Boolean);
  const last = folders.length > 1 || name.startsWith('/') ? slug(folders.at(-1) ?? '') : slug(name);
  const words = last.length > 40 ? last.slice(0, 40).replace(/-+$/, '') : last;
  return `${words || 'project'}-${hash}`;
}

/** The project of a session that never reported a working directory. */
export function clientProject(client: string | null | undefined): string {
  return client ? `client: ${client}` : 'unknown client';
}
