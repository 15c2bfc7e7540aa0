// SearchOptions.window: rank only the newest matches (the agent's memory search over a large store).

import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex, termScores } from '../../src/store/search-index.js';
import { openRecording, type Recording } from '../support/recording.js';
import { seedSessions } from '../../src/drivers/seed-sessions.js';

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

  it('ranks inside the window as BM25 does the whole store: the document saying it twice first, then newest first', () => {
    const search = indexWith(10);
    const windowed = search.search('rollback', { limit: 3, window: 50, kinds: ['human'] });
    expect(search.search('rollback', { limit: 1, kinds: ['human'] })[0]!.sessionId).toBe('seed-000007');
    expect(windowed.map((h) => h.sessionId)).toEqual(['seed-000007', 'seed-000009', 'seed-000008']);
    expect(windowed.map((h) => h.turnSeq)).toEqual([1, 1, 1]);
  });

  it('matches whole words only, so a common word costs no prefix expansion', () => {
    const search = indexWith(3);
    expect(search.search('rollb', { limit: 5, window: 50, kinds: ['human'] })).toEqual([]);
    expect(search.search('rollb', { limit: 5, kinds: ['human'] })).toHaveLength(3);
  });
});

describe('term scores of the windowed search', () => {
  it('favours more occurrences, with diminishing returns, and shorter documents', () => {
    const filler = ' and some other words'.repeat(20);
    const [once, twice, thrice, shortOnce] = termScores([`deploy${filler}`, `deploy deploy${filler}`, `deploy deploy deploy${filler}`, 'deploy now'], ['deploy']);
    expect(twice!).toBeGreaterThan(once!);
    expect(thrice! - twice!).toBeLessThan(twice! - once!);
    expect(shortOnce!).toBeGreaterThan(once!);
  });

  it('counts whole words, and a word rare among the documents counts more than a common one', () => {
    expect(termScores(['deployment', 'deploy.'], ['deploy'])).toEqual([0, expect.any(Number)]);
    const [rare, common] = termScores(['vault x', 'docker y', 'docker z', 'docker w'], ['vault', 'docker']);
    expect(rare!).toBeGreaterThan(common!);
  });
});
