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

// Session files stay open between appends: an open and a close per append cost more than the write,
// on the forwarding thread (3 % of kx's CPU under the latency bench). Least recently used close first.
const MAX_OPEN_FILES = 64;
const openFiles = new Map<string, number>();

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

function openForAppend(file: string): number {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (madeDirs.size > 10_000) madeDirs.clear();
    madeDirs.add(dir);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'a', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = fs.openSync(file, 'a', 0o600);
  }
  if (openFiles.size >= MAX_OPEN_FILES) {
    const [oldest, oldFd] = openFiles.entries().next().value as [string, number];
    openFiles.delete(oldest);
    closeQuietly(oldFd);
  }
  openFiles.set(file, fd);
  return fd;
}

/** The open file, unless it was removed since (no links left): then its lines would go nowhere. */
function stillOpen(file: string): number | undefined {
  const fd = openFiles.get(file);
  if (fd === undefined) return undefined;
  openFiles.delete(file);
  if (fs.fstatSync(fd).nlink === 0) {
    closeQuietly(fd);
    return undefined;
  }
  openFiles.set(file, fd);
  return fd;
}

export function appendPrivate(file: string, text: string): void {
  const fd = stillOpen(file) ?? openForAppend(file);
  try {
    fs.writeFileSync(fd, text);
  } catch (err) {
    openFiles.delete(file);
    closeQuietly(fd);
    throw err;
  }
}

/** Closes the files appendPrivate keeps open (the store's close); a later append opens them again. */
export function closeAppendFiles(): void {
  for (const fd of openFiles.values()) closeQuietly(fd);
  openFiles.clear();
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
