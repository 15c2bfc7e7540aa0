// Markdown pages kx rebuilds from SQLite (learnings.md, profile.md). Written to a temp file and
// renamed over the old one, so a crash never leaves half a page.

import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Folder of a project's pages; the id is a slug already, sanitised again so nothing escapes documents/. */
export function projectDir(documentsDir: string, projectId: string): string {
  return path.join(documentsDir, 'projects', projectId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_'));
}
