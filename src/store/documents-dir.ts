// The documents folder: created private (0700), with files only its owner can read (0600).

import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../config/private-dir.js';

export function ensureDocumentsDir(dir: string): void {
  makePrivateDir(dir);
  fs.chmodSync(dir, 0o700);
}


/**
 * A crash can leave a partial last line in a jsonl file. Cut it back to the last full line,
 * so every line a reader sees is whole JSON.
 */
export function repairJsonlTail(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch {
    return false;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    // Walk back to the previous newline in blocks.
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const n = fs.readSync(fd, block, 0, end - start, start);
      const idx = block.subarray(0, n).lastIndexOf(0x0a);
      if (idx >= 0) {
        fs.ftruncateSync(fd, start + idx + 1);
        return true;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

export function repairAllJsonl(documentsDir: string): number {
  let repaired = 0;
  for (const entry of fs.readdirSync(documentsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of ['user_actions.jsonl', 'agent_actions.jsonl']) {
      if (repairJsonlTail(path.join(documentsDir, entry.name, name))) repaired++;
    }
  }
  return repaired;
}

// Folders this process made or found: a mkdir per append cost more than the append itself, on the
// forwarding thread. A folder removed since is made again when the append finds it missing.
const madeDirs = new Set<string>();

export function appendPrivate(file: string, text: string): void {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (madeDirs.size > 10_000) madeDirs.clear();
    madeDirs.add(dir);
  }
  try {
    fs.appendFileSync(file, text, { mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(file, text, { mode: 0o600 });
  }
}

/**
 * Makes the database file private before SQLite opens it: SQLite gives its -wal and -shm files the
 * database file's permissions, so captured code and commands stay readable by this user only.
 */
export function privateDatabaseFile(file: string): string {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  return file;
}
