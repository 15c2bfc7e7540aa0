// The checkpoint thread (checkpoint-thread.ts): its own connection to sessions.db, folding the WAL into
// the database with a passive checkpoint every `everyMs`. Passive: it copies what no reader still needs
// and waits for no one, so a writer on another thread is never blocked by it.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointWorkerData } from './checkpoint-thread.js';

const data = workerData as CheckpointWorkerData;
const port = parentPort!;
const db = new Database(data.dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 0');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    port.postMessage({ error: (err as Error).message });
  }
}, data.everyMs);
port.postMessage('ready');
