// One kx per documents folder. A second kx on a folder in use would "recover" the live one's jsonl
// lines and race it on every file, so it refuses, naming the first one's port. The lock is a file
// holding the owner's pid and port; a lock whose pid is gone (kill -9, a power cut) is taken over.

import fs from 'node:fs';
import path from 'node:path';
import { ensureDocumentsDir } from './documents-dir.js';

export const LOCK_FILE = 'kx.lock';

export interface LockFacts {
  pid: number;
  port: number | null;
  /** The address kx listens on (a lock written before kx recorded it has none). */
  host?: string;
}

export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockFacts,
  ) {
    super(
      `the documents folder ${folder} is in use by another kx (pid ${owner.pid}${owner.port ? `, port ${owner.port}` : ', still starting'}). ` +
        `Use that one${owner.port ? ` (http://127.0.0.1:${owner.port})` : ''}, stop it first, or give this one its own folder with --documents DIR.`,
    );
  }
}

/** Folders this process holds: a pid check cannot tell two kx of one process apart. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's live process
  }
}

function readLock(file: string): LockFacts | undefined {
  try {
    const facts = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockFacts>;
    if (typeof facts.pid !== 'number') return undefined;
    return { pid: facts.pid, port: typeof facts.port === 'number' ? facts.port : null, ...(typeof facts.host === 'string' ? { host: facts.host } : {}) };
  } catch {
    return undefined; // half written by a crash, or gone: stale
  }
}

const inUse = (folder: string, owner: LockFacts): boolean => (owner.pid === process.pid ? heldHere.has(folder) : alive(owner.pid));

/** The live kx that holds `dir`, if one does: where the commands find it (cli/find-kx.ts). Reads only. */
export function folderHolder(dir: string): LockFacts | undefined {
  const folder = path.resolve(dir);
  const owner = readLock(path.join(folder, LOCK_FILE));
  return owner && inUse(folder, owner) ? owner : undefined;
}

export interface DocumentsLock {
  /** Writes the address once kx listens, for the message a second kx prints and for the commands that look for it. */
  setPort(port: number, host?: string): void;
  release(): void;
}

/** Takes the folder for this kx, or throws FolderInUseError naming the live owner. */
export function lockDocumentsDir(dir: string): DocumentsLock {
  ensureDocumentsDir(dir);
  const folder = path.resolve(dir);
  const file = path.join(folder, LOCK_FILE);
  const write = (port: number | null, flag: 'wx' | 'w', host?: string) => fs.writeFileSync(file, JSON.stringify({ pid: process.pid, port, host }), { flag, mode: 0o600 });
  for (let attempt = 0; ; attempt++) {
    try {
      write(null, 'wx');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw err;
      const owner = readLock(file);
      if (owner && inUse(folder, owner)) throw new FolderInUseError(folder, owner);
      fs.rmSync(file, { force: true }); // stale: its kx is gone
    }
  }
  heldHere.add(folder);
  return {
    setPort: (port, host) => write(port, 'w', host),
    release: () => {
      heldHere.delete(folder);
      if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
