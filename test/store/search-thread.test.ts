// Searches off the forwarding thread (src/store/search-thread.ts): same answers, another thread.

import path from 'node:path';
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
