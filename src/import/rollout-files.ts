// Which files `kx import codex` reads: Codex writes one rollout per thread under
// `<CODEX_HOME>/sessions/YYYY/MM/DD/` and moves archived ones to `<CODEX_HOME>/archived_sessions/`.

import fs from 'node:fs';
import path from 'node:path';

const ROLLOUT_NAME = /^rollout-.*\.jsonl$/;
const THREAD_ID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** Where Codex keeps rollouts under its home folder. */
export function codexRolloutDirs(codexHome: string): string[] {
  return [path.join(codexHome, 'sessions'), path.join(codexHome, 'archived_sessions')];
}

/** The thread id Codex puts at the end of a rollout's file name. */
export function threadIdOfFileName(file: string): string | undefined {
  return THREAD_ID_IN_NAME.exec(path.basename(file))?.[1]?.toLowerCase();
}

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && ROLLOUT_NAME.test(entry.name)) out.push(full);
  }
}

/** A path given to the import that is not there: the person's mistake, said plainly. */
export class MissingRolloutPath extends Error {}

export interface RolloutFile {
  file: string;
  bytes: number;
}

/**
 * Rollout files under each path (a folder, searched recursively, or one file), oldest first: the
 * name starts with the session's start time, so a thread's history is imported in order.
 * `optional` paths that do not exist are passed over (a Codex home without archived sessions).
 */
export function findRolloutFiles(paths: readonly string[], opts: { optional?: boolean } = {}): RolloutFile[] {
  const found: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      if (opts.optional) continue;
      throw new MissingRolloutPath(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) walk(p, found);
    else found.push(p);
  }
  const unique = [...new Set(found.map((f) => path.resolve(f)))];
  unique.sort((a, b) => path.basename(a).localeCompare(path.basename(b)) || a.localeCompare(b));
  return unique.map((file) => ({ file, bytes: fs.statSync(file).size }));
}
