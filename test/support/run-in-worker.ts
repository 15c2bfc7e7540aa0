// Runs a function of a TypeScript module in a worker thread with a deadline. A synchronous loop that
// never ends cannot be stopped on the thread it blocks, so a test of "it always returns" needs this.

import { Worker } from 'node:worker_threads';

const SCRIPT = `
import { parentPort, workerData } from 'node:worker_threads';
const { register } = await import('tsx/esm/api');
register();
const mod = await import(workerData.module);
const value = await mod[workerData.fn](...workerData.args);
parentPort.postMessage(value);
`;

export type WorkerOutcome<T> = { returned: true; value: T } | { returned: false };

export async function runInWorker<T>(moduleUrl: string, fn: string, args: unknown[], deadlineMs: number): Promise<WorkerOutcome<T>> {
  const worker = new Worker(SCRIPT, { eval: true, workerData: { module: moduleUrl, fn, args } });
  try {
    return await new Promise<WorkerOutcome<T>>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ returned: false }), deadlineMs);
      worker.once('message', (value: T) => {
        clearTimeout(timer);
        resolve({ returned: true, value });
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    await worker.terminate();
  }
}
