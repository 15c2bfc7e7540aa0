// An insight worker that claims the oldest queued job, says it is building its input, and never
// returns: the shape of the fitParts bug (#18). `crash` in the settings' model name makes it throw instead.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EngineWorkerData, FromWorker } from '../../../src/insight/engine-messages.js';

const data = workerData as EngineWorkerData;
const send = (m: FromWorker) => parentPort!.postMessage(m);
const db = new Database(data.dbPath);
db.pragma('busy_timeout = 5000');
const id = db.prepare(`SELECT id FROM insight_jobs WHERE state = 'queued' ORDER BY created_at LIMIT 1`).pluck().get() as string | undefined;
if (id) db.prepare(`UPDATE insight_jobs SET state = 'running', attempts = attempts + 1 WHERE id = ?`).run(id);
send({ type: 'ready' });
setTimeout(() => {
  if (data.settings.model === 'crash') throw new Error('the engine broke');
  send({ type: 'busy', jobId: id ?? null, step: 'build' });
  for (;;) {
    // spins for good
  }
}, 20);
