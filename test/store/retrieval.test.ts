// The one retrieval behind the agent's search, the console's search and learn mode (src/store/retrieval.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_INDEX_IDENTIFIERS_MIGRATION, SEARCH_INDEX_MIGRATION, SEARCH_INDEX_PORTER_MIGRATION, SearchIndex } from '../../src/store/search-index.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, type Recording } from '../support/recording.js';

describe('retrieval', () => {
  let r: Recording;
  afterEach(() => r?.close());

  /** Sessions seeded with the given human messages (and filler answers), indexed. */
  function indexed(humans: string[], answers: Record<number, string> = {}): SearchIndex {
    r = openRecording();
    const ids = seedSessions(r.store.db, { sessions: humans.length, turnsPerSession: 1, humanText: (s) => humans[s]! });
    const answer = r.store.db.prepare(`UPDATE items SET text = ? WHERE session_id = ? AND kind = 'assistant_message'`);
    for (const [s, text] of Object.entries(answers)) answer.run(text, ids[Number(s)]);
    const index = new SearchIndex(r.store.db);
    index.catchUp();
    return index;
  }

  it('a question finds the session whose answer holds the fix, though "how", "did" and "we" are in no document', () => {
    const index = indexed(['users are logged out when two tabs refresh', 'add a footer'], { 0: 'A single-flight promise fixed the token refresh race.' });
    const hits = index.retrieval.sessions('how did we fix the token refresh race last time', { limit: 5 });
    expect(hits[0]?.sessionId).toBe('seed-000000');
  });

  it('quotes a passage from a document whose identifier column is empty (NULL), as an index built before that column has', () => {
    const index = indexed(['the vite build fails on env variables']);
    r.store.db.prepare(`UPDATE search_docs SET idents = NULL`).run();
    const hits = index.retrieval.sessions('vite env variables', { limit: 5 });
    expect(hits[0]?.docs[0]?.snippet).toContain('vite');
  });

  it('an old session is found under 200 newer ones mentioning the same words', () => {
    const humans = ['stripe webhook signature verification fails in production', ...Array.from({ length: 200 }, (_, i) => `webhook retry queue number ${i}`)];
    const index = indexed(humans);
    const hits = index.retrieval.sessions('webhook signature verification', { limit: 5 });
    expect(hits[0]?.sessionId).toBe('seed-000000');
  });

  it('ranks the session that solved it across several items above a newer one-line mention', () => {
    const index = indexed(['the vite build fails on env variables', 'vite env?'], { 0: 'Vite exposes only VITE_ prefixed env variables; renamed them and the build passes.' });
    const hits = index.retrieval.sessions('vite env variables build', { limit: 5 });
    expect(hits.map((h) => h.sessionId)).toEqual(['seed-000000', 'seed-000001']);
  });

  it('finds a session by another word for what the query names: "signed out" finds "logged out"', () => {
    const index = indexed(['users get logged out when two tabs refresh the token', 'add a footer to the page']);
    expect(index.retrieval.sessions('people signed out', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it('ranks a session holding the words typed above one holding only other words for them', () => {
    // The older session holds the words typed: were both worth the same, the newer would win the tie.
    const index = indexed(['the excel file breaks the import', 'the spreadsheet file breaks the import']);
    expect(index.retrieval.sessions('excel file', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000', 'seed-000001']);
  });

  it('counts a word and another word for it once: saying both is not worth more than saying the word', () => {
    const index = indexed(['the excel list, from the spreadsheet', 'the excel list']);
    expect(index.retrieval.sessions('excel', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000001', 'seed-000000']);
  });

  it('takes no product for another of its kind: "webpack" does not find a session about vite', () => {
    const index = indexed(['the vite build fails', 'the webpack loader fails']);
    expect(index.retrieval.sessions('webpack', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000001']);
  });

  it('says when a session matched by another word: "log out (for signed out)"', () => {
    const index = indexed(['users get logged out when two tabs refresh the token']);
    expect(index.retrieval.sessions('signed out', { limit: 5 })[0]?.words).toContain('log out (for signed out)');
  });

  it('finds words by their stem: "refreshes" finds a session that said "refreshing"', () => {
    const index = indexed(['stop refreshing the token twice', 'add a footer']);
    expect(index.retrieval.sessions('refreshes', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it('ranks the sessions a rare word found by the common words too: of two that said "race" alike, the one that also said "token refresh" comes first', () => {
    // 2,600 sessions say "token" and "refresh" in each message and answer: over 5,000 documents, too common to find sessions by.
    const everyday = Array.from({ length: 2600 }, (_, i) => `refresh the token of job ${i}`);
    const index = indexed(['two tabs refresh the access token at once', ...everyday, 'race in the park'], {
      0: 'race in the tabs',
      ...Object.fromEntries(everyday.map((_, i) => [i + 1, 'refreshed the token'])),
      [everyday.length + 1]: 'a day out',
    });
    // "race" alone scores both alike, and the newer would win the tie.
    expect(index.retrieval.sessions('token refresh race', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000', 'seed-002601']);
  });

  it('takes "fix" in a question as filler: a session that only asked to fix something is no answer to "how did we fix the redirect"', () => {
    const index = indexed(['the redirect loops after the cookie expires', 'fix the footer']);
    expect(index.retrieval.sessions('how did we fix the redirect', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it('takes a lone particle or a verb of going as filler: "what went wrong when users signed out" does not find "find out why it went down"', () => {
    const index = indexed(['users get logged out after an hour', 'the build is red, find out why it went down']);
    expect(index.retrieval.sessions('what went wrong when users signed out', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  it("takes a contraction as filler, with either apostrophe: \"let's\" and \"let’s\" find nothing", () => {
    const index = indexed(["let's add a footer", 'add a header']);
    expect(index.retrieval.sessions("let's", { limit: 5 })).toEqual([]);
    expect(index.retrieval.sessions('let’s don’t', { limit: 5 })).toEqual([]);
  });

  it("marks no match inside a redaction marker's kind: \"key\" is not a word of [REDACTED:api-key]", () => {
    const index = indexed(['the key rotation printed [REDACTED:api-key] in the log']);
    const snippet = index.retrieval.sessions('key', { limit: 5 })[0]!.docs[0]!.snippet;
    expect(snippet).toContain('the \u0001key\u0002 rotation');
    expect(snippet).toContain('[REDACTED:api-key]');
  });

  it('finds nothing for a query made only of stop words', () => {
    const index = indexed(['how did we do this last time']);
    expect(index.retrieval.sessions('how did we do it', { limit: 5 })).toEqual([]);
  });

  it('says why a session matched: the query words found, and in which field', () => {
    const index = indexed(['the cron job runs twice at the dst change'], { 0: 'The scheduler now runs in UTC with an advisory lock.' });
    const [hit] = index.retrieval.sessions('cron advisory lock', { limit: 5 });
    expect(hit!.words.sort()).toEqual(['advisory', 'cron', 'lock']);
    expect(hit!.docs.map((d) => [d.docKind, d.words.sort()])).toEqual(expect.arrayContaining([['human', ['cron']], ['assistant', ['advisory', 'lock']]]));
  });

  it('names a matched word as it was typed: invalidGrant, not invalidgrant', () => {
    const index = indexed(['error: invalidGrant from the token endpoint']);
    expect(index.retrieval.sessions('why invalidGrant', { limit: 5 })[0]?.words).toEqual(['invalidGrant']);
  });

  it('keeps a whole identifier: invalid_grant finds the session that printed it, not one with the words apart', () => {
    const index = indexed(['error: invalid_grant from the token endpoint', 'the grant form shows an invalid date']);
    expect(index.retrieval.sessions('invalid_grant', { limit: 5 }).map((h) => h.sessionId)).toEqual(['seed-000000']);
  });

  /** A snippet as a reader sees it: without match marks and the ellipses around a passage. */
  const quoted = (snippet: string): string => snippet.replace(/[\u0001\u0002]/g, '').replace(/^…|…$/g, '');

  it('quotes the stored text when only the split identifier matched, the identifier marked as written', () => {
    const said = 'what is the StripeSignatureVerificationError in the webhook handler?';
    const index = indexed([said], { 0: 'It is thrown when the StripeSignatureVerificationError check fails.' });
    const [hit] = index.retrieval.sessions('stripe signature', { limit: 5 });
    expect(hit!.docs.length).toBe(2);
    for (const d of hit!.docs) {
      expect(d.snippet).toContain('\u0001StripeSignatureVerificationError\u0002');
      expect(said + ' It is thrown when the StripeSignatureVerificationError check fails.').toContain(quoted(d.snippet));
    }
    expect(hit!.docs.find((d) => d.docKind === 'human')!.snippet).toBe(`what is the \u0001StripeSignatureVerificationError\u0002 in the webhook handler?`);
  });

  it('quotes a snake_case name found by its joined form as written: invalidGrant marks invalid_grant', () => {
    const index = indexed(['error: invalid_grant from the token endpoint']);
    const [hit] = index.retrieval.sessions('invalidGrant', { limit: 5 });
    expect(hit!.docs[0]!.snippet).toBe('error: \u0001invalid_grant\u0002 from the token endpoint');
  });

  it('quotes a passage around the identifier, not the whole of a long text', () => {
    const long = `${'before '.repeat(200)}the refreshAccessToken call failed ${'after '.repeat(200)}`;
    const index = indexed([long]);
    const snippet = index.retrieval.sessions('access token', { limit: 5 })[0]!.docs[0]!.snippet;
    expect(snippet).toMatch(/^….*\u0001refreshAccessToken\u0002.*…$/);
    expect(snippet.length).toBeLessThan(300);
    expect(long).toContain(quoted(snippet));
  });

  it('the migrations rebuild an existing index with stemming and split identifiers, and a document indexed before them is still replaced, not doubled', () => {
    r = openRecording();
    const db = r.store.db;
    // The index as it was before issue 30 (no stemmer), holding one insight.
    db.exec(`DROP TABLE search_docs; DROP TABLE search_refs; DROP TABLE search_state;`);
    db.exec(SEARCH_INDEX_MIGRATION);
    const index = new SearchIndex(db);
    db.prepare(`INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project) VALUES (?, 'insight', 't1', 's', NULL, NULL)`).run('stop refreshing the token twice in refreshAccessToken');
    db.prepare(`INSERT INTO search_refs (doc_rowid, doc_kind, ref_id) VALUES (last_insert_rowid(), 'insight', 't1')`).run();
    db.exec(SEARCH_INDEX_PORTER_MIGRATION);
    db.exec(SEARCH_INDEX_IDENTIFIERS_MIGRATION);
    expect(index.retrieval.sessions('refreshes', { limit: 5 }).map((h) => h.sessionId)).toEqual(['s']);
    expect(index.retrieval.sessions('access_token', { limit: 5 }).map((h) => h.sessionId)).toEqual(['s']);
    index.indexDocument({ docKind: 'insight', refId: 't1', sessionId: 's', turnId: null, project: null, text: 'a second version' });
    expect(index.retrieval.sessions('refreshes', { limit: 5 })).toEqual([]);
  });
});
