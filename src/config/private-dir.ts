// Folders kx makes for itself (the documents folder): private, and refused in plain words when they cannot be.

import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.js';

/** A folder that cannot be made where it was asked for: a plain sentence for the person, never a stack trace. */
export class FolderError extends ConfigError {}

const why = (err: unknown): string => (err as Error).message.split(', ')[0] ?? String(err);

/**
 * `mkdir -p`, private (0700), one level at a time. Node's recursive mkdir never returns for a path
 * under /proc (it retries the ENOENT there forever, at full CPU), and answers a file in the way with
 * a bare ENOTDIR.
 */
export function makePrivateDir(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new FolderError(`cannot make the folder ${dir}: ${at} cannot be read (${why(err)})`);
    }
    if (stat?.isDirectory()) break;
    if (stat) throw new FolderError(`cannot make the folder ${dir}: ${at} is a file, not a folder`);
    missing.unshift(at);
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new FolderError(`cannot make the folder ${d} (${why(err)})`);
    }
  }
}

/**
 * What a start that fails before it listens must take back in `dir`: the folders it made (the
 * topmost one that was missing), else what it added to a folder that held no kx data yet (no
 * sessions.db). A folder that held kx data is left as it is.
 */
export function takeBackOnFailure(dir: string): () => void {
  const undo = plannedTakeBack(dir);
  return () => {
    try {
      undo();
    } catch {
      // Best effort: the error that stopped the start is the one to tell.
    }
  };
}

function plannedTakeBack(dir: string): () => void {
  let top: string | undefined;
  for (let at = path.resolve(dir); !fs.existsSync(at); at = path.dirname(at)) top = at;
  if (top) {
    const made = top;
    return () => fs.rmSync(made, { recursive: true, force: true });
  }
  let before: Set<string>;
  try {
    before = new Set(fs.readdirSync(dir));
  } catch {
    return () => {};
  }
  if (before.has('sessions.db')) return () => {};
  return () => {
    for (const name of fs.readdirSync(dir)) if (!before.has(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  };
}
