// SearchOptions.window: rank only the newest matches (the agent's memory search over a large store).

import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/store/search-index.js';
import { openRecording, type Recording } from '../support/recording.js';
import { seedSessions } from '../support/seed-sessions.js';

describe('search over the newest matches only', () => {
  let r: Recording;
  afterEach(() => r?.close());

  function indexWith(sessions: number): SearchIndex {
    r = openRecording();
    // Session 7 says it twice, so BM25 ranks it first whenever it is inside the window.
    seedSessions(r.store.db, { sessions, turnsPerSession: 1, humanText: (s) => (s === 7 ? `rollback rollback the release ${s}` : `rollback the release ${s}`) });
    const search = new SearchIndex(r.store.db);
    search.catchUp();
    return search;
  }

  it('finds matches only among the newest `window` documents, each hit with its own session and snippet', () => {
    const search = indexWith(30);
    const hits = search.search('rollback', { limit: 10, window: 5, kinds: ['human'] });
    expect(hits.map((h) => h.sessionId).sort()).toEqual(['seed-000025', 'seed-000026', 'seed-000027', 'seed-000028', 'seed-000029']);
    for (const h of hits) expect(h.snippet).toContain(`the release ${Number(h.sessionId!.slice(-2))}`);
  });

  it('ranks inside the window by BM25, as the unwindowed search does (equal scores: newest first)', () => {
    const search = indexWith(10);
    const windowed = search.search('rollback', { limit: 3, window: 50, kinds: ['human'] });
    const full = search.search('rollback', { limit: 3, kinds: ['human'] });
    expect(windowed[0]!.sessionId).toBe('seed-000007');
    expect(full[0]!.sessionId).toBe('seed-000007');
    expect(windowed[0]!.score).toBeCloseTo(full[0]!.score, 9);
    expect(windowed.map((h) => h.turnSeq)).toEqual([1, 1, 1]);
  });
});
