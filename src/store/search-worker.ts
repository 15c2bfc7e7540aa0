// The search thread: its own read-only SQLite connection and the same retrieval, so a search (tens of
// milliseconds over a large store) never runs on the thread that forwards the agent's traffic.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Retrieval } from './retrieval.js';
import type { SearchAsk, SearchAnswer } from './search-thread.js';

const db = new Database((workerData as { dbPath: string }).dbPath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const retrieval = new Retrieval(db);

parentPort!.postMessage('ready');
parentPort!.on('message', (ask: SearchAsk) => {
  let answer: SearchAnswer;
  try {
    answer = { id: ask.id, hits: retrieval.sessions(ask.query, ask.opts) };
  } catch (err) {
    answer = { id: ask.id, error: (err as Error).message };
  }
  parentPort!.postMessage(answer);
});
