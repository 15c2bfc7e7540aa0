// When a tree of sources last changed: the newest modification time of any file below a folder.

import fs from 'node:fs';
import path from 'node:path';

export function newestMtime(dir: string, skip: ReadonlySet<string> = new Set()): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p, skip) : fs.statSync(p).mtimeMs);
  }
  return newest;
}
