// Searches off the forwarding thread (src/store/search-thread.ts): same answers, another thread.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerBoot } from '../../src/store/worker-boot.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/store/search-index.js';
import { SearchThread } from '../../src/store/search-thread.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, type Recording } from '../support/recording.js';

describe('search thread', () => {
  let r: Recording;
  let thread: SearchThread | undefined;
  afterEach(async () => {
    await thread?.close();
    r?.close();
  });

  function indexed(): SearchIndex {
    r = openRecording();
    seedSessions(r.store.db, { sessions: 20, turnsPerSession: 1, humanText: (s) => (s === 3 ? 'the stripe webhook signature fails' : `add a footer ${s}`) });
    const index = new SearchIndex(r.store.db);
    index.catchUp();
    return index;
  }

  it('answers from its own thread, once loaded, with the hits the index gives here', async () => {
    const index = indexed();
    thread = new SearchThread(path.join(r.dir, 'sessions.db'), index.retrieval);
    // The first search starts the thread and is answered here while it loads.
    await thread.sessions('stripe webhook', { limit: 5 });
    await expect.poll(async () => (await thread!.sessions('stripe', { limit: 1 }), thread!.answered.thread), { timeout: 15_000 }).toBeGreaterThan(0);
    const hits = await thread.sessions('stripe webhook', { limit: 5 });
    expect(hits).toEqual(index.retrieval.sessions('stripe webhook', { limit: 5 }));
    expect(hits[0]?.sessionId).toBe('seed-000003');
  });

  it('searches here when its thread cannot open the database, so memory still answers', async () => {
    const index = indexed();
    thread = new SearchThread(path.join(r.dir, 'no-such.db'), index.retrieval);
    const hits = await thread.sessions('stripe webhook', { limit: 5 });
    expect(hits[0]?.sessionId).toBe('seed-000003');
    expect(thread.answered.here).toBe(1);
  });
});

describe('the search thread as built', () => {
  it('dist/ holds the search worker the bundled kx starts beside itself, and it answers a search', async () => {
    const r = openRecording();
    try {
      seedSessions(r.store.db, { sessions: 3, turnsPerSession: 1, humanText: (s) => (s === 1 ? 'the stripe webhook signature fails' : `add a footer ${s}`) });
      new SearchIndex(r.store.db).catchUp();
      const entry = path.join(import.meta.dirname, '..', '..', 'dist', 'search-worker.js');
      const worker = new Worker(workerBoot(), { eval: true, workerData: { entry, dbPath: path.join(r.dir, 'sessions.db') } });
      try {
        const answer = await new Promise<unknown>((resolve, reject) => {
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`the worker exited (${code})`)));
          worker.on('message', (m) => (m === 'ready' ? worker.postMessage({ id: 1, query: 'stripe', opts: { limit: 5 } }) : resolve(m)));
        });
        expect(answer).toMatchObject({ id: 1, hits: [{ sessionId: 'seed-000001' }] });
      } finally {
        await worker.terminate();
      }
    } finally {
      r.close();
    }
  });
});

describe('the search thread and the forwarding thread', () => {
  it.runIf(process.platform === 'linux')('searches run at a lower CPU priority than the thread that forwards traffic, which keeps its own', async () => {
    const r = openRecording();
    const before = os.getPriority();
    const thread = new SearchThread(path.join(r.dir, 'sessions.db'), new SearchIndex(r.store.db).retrieval);
    try {
      await expect.poll(async () => (await thread.sessions('anything', { limit: 1 }), thread.answered.thread), { timeout: 15_000 }).toBeGreaterThan(0);
      const nice = fs.readdirSync('/proc/self/task').map((tid) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
      expect(nice).toContain(before + 10);
      expect(os.getPriority()).toBe(before);
    } finally {
      await thread.close();
      r.close();
    }
  });
});
