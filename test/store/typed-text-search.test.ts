// A human message learn mode sent rewritten is stored as what was sent, with what the person typed beside it
// (detail.originalText). Search finds it by either: a person remembers what they typed.

import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_TYPED_TEXT_MIGRATION, SearchIndex } from '../../src/store/search-index.js';
import { groupBySession, type Row } from '../../src/store/retrieval.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, type Recording } from '../support/recording.js';

const TYPED = 'how do I test the webhook locally on my laptop?';
const SENT = 'REWRITE-4: test the stripe webhook locally with the stripe CLI, as past sessions did';

describe('search over a message learn mode sent rewritten', () => {
  let r: Recording;
  afterEach(() => r?.close());

  /** One session whose only message went upstream rewritten, and one plain session; `index` false leaves the index alone. */
  function seeded(index = true): SearchIndex {
    r = openRecording();
    seedSessions(r.store.db, { sessions: 2, turnsPerSession: 1, humanText: (s) => (s === 0 ? SENT : 'where is the deploy script?') });
    if (index) rewrite();
    const search = new SearchIndex(r.store.db);
    search.catchUp();
    return search;
  }
  const rewrite = () =>
    r.store.db.prepare(`UPDATE items SET detail = ? WHERE session_id = 'seed-000000' AND kind = 'human_message'`).run(JSON.stringify({ originalText: TYPED, approvalId: 'ap_1' }));
  const typedDocs = () => r.store.db.prepare(`SELECT count(*) FROM search_docs WHERE ref_id LIKE 'typed:%'`).pluck().get();

  it('finds the session by a word only the person typed', () => {
    const index = seeded();
    const hits = index.retrieval.sessions('laptop', { limit: 5 });
    expect(hits.map((h) => h.sessionId)).toEqual(['seed-000000']);
    expect(hits[0]!.docs[0]!.snippet).toContain('\u0001laptop\u0002');
  });

  it('still finds it by a word only the rewrite holds', () => {
    const index = seeded();
    expect(index.retrieval.sessions('CLI', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it('counts a word in both what was typed and what was sent once, at the better of the two', () => {
    const index = seeded();
    const [hit] = index.retrieval.sessions('webhook', { limit: 5 });
    const human = hit!.docs.filter((d) => d.docKind === 'human');
    expect(human).toHaveLength(2);
    expect(hit!.score).toBeCloseTo(Math.max(...human.map((d) => d.score)), 9);
  });

  it('counts what was typed and what was sent once for their message, and another message of the session on top', () => {
    const row = (rowid: number, refId: string, score: number): Row => ({ rowid, docKind: 'human', refId, sessionId: 's', turnId: 't', project: null, byWord: { webhook: score } });
    const [g] = groupBySession([row(1, 'typed:i_1', 2), row(2, 'i_1', 1.5), row(3, 'i_2', 1)]);
    expect(g!.score).toBeCloseTo(2 + 1 / 2, 9); // the best of message i_1, then i_2 at half (DECAY)
    expect(g!.rows.map((r) => r.rowid)).toEqual([1, 2, 3]);
  });

  it('indexes nothing twice for a message sent as typed', () => {
    seeded(false);
    expect(typedDocs()).toBe(0);
  });

  it('indexes on past a message whose detail is not JSON', () => {
    r = openRecording();
    seedSessions(r.store.db, { sessions: 2, turnsPerSession: 1, humanText: (s) => (s === 0 ? SENT : 'where is the deploy script?') });
    r.store.db.prepare(`UPDATE items SET detail = '{"originalText": ' WHERE session_id = 'seed-000000' AND kind = 'human_message'`).run();
    const index = new SearchIndex(r.store.db);
    expect(index.catchUp()).toBeGreaterThan(0);
    expect(index.retrieval.sessions('CLI', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it('the migration indexes what was typed for messages indexed before it, once', () => {
    const index = seeded(false);
    rewrite(); // as a store indexed before typed text was: the message is in the index as sent only
    expect(index.retrieval.sessions('laptop', { limit: 5 })).toEqual([]);
    r.store.db.exec(SEARCH_TYPED_TEXT_MIGRATION);
    index.catchUp();
    expect(index.retrieval.sessions('laptop', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
    expect(index.retrieval.sessions('laptop', { limit: 5, project: 'nowhere' })).toEqual([]);
    expect(typedDocs()).toBe(1);
  });
});
