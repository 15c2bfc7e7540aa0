// The checkpoint thread (checkpoint-thread.ts): its own connection to sessions.db, folding the WAL into
// the database with a passive checkpoint once the WAL holds `minFrames` pages, as SQLite's own rule
// does, looked at every `everyMs`. Passive: it copies what no reader still needs and waits for no one,
// so a writer on another thread is never blocked by it.

import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointWorkerData } from './checkpoint-thread.js';

const data = workerData as CheckpointWorkerData;
const port = parentPort!;
const db = new Database(data.dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 0');

/**
 * The WAL's committed pages: `mxFrame`, at byte 16 of the WAL-index header in the -shm file, in the
 * machine's byte order (sqlite.org/fileformat2.html, "WAL-Index Format"). Unknown reads as full.
 */
const header = Buffer.alloc(20);
function framesInWal(): number {
  try {
    const fd = fs.openSync(`${data.dbPath}-shm`, 'r');
    try {
      if (fs.readSync(fd, header, 0, 20, 0) < 20) return Infinity;
    } finally {
      fs.closeSync(fd);
    }
    return os.endianness() === 'LE' ? header.readUInt32LE(16) : header.readUInt32BE(16);
  } catch {
    return Infinity;
  }
}

setInterval(() => {
  if (framesInWal() < data.minFrames) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    port.postMessage({ error: (err as Error).message });
  }
}, data.everyMs);
port.postMessage('ready');
