import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_INDEX_MIGRATION, SearchIndex, MATCH_START, MATCH_END } from '../../src/store/search-index.js';
import { fixtureBytes, fixtureRequest, wireBody } from '../support/fixtures.js';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

async function recordHttpSse(r: Recording): Promise<void> {
  for (const n of ['01', '02']) {
    const req = fixtureRequest('http-sse', n);
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), { status: 200, contentType: 'text/event-stream', body: fixtureBytes('http-sse', `${n}-response.sse`) });
  }
  await r.settle();
}

describe('search index', () => {
  let r: Recording;
  afterEach(() => r?.close());

  it('finds a tool call by its arguments once the batch is committed, with the match marked and the turn known', async () => {
    r = openRecording();
    const index = new SearchIndex(r.store.db);
    r.store.events.on('stored', () => index.catchUp());
    await recordHttpSse(r);
    const call = r.reader.getSession('01a20e12-d5d8-7e50-b51e-36f21fde77a3')!.turns[0]!.items.find((i) => i.kind === 'tool_call')!;
    const word = /[A-Za-z]{4,}/.exec(call.arguments!)![0];
    const hits = index.search(word, { limit: 10 });
    const hit = hits.find((h) => h.refId === call.id);
    expect(hit).toMatchObject({ docKind: 'tool_call', turnId: call.turnId, turnSeq: 1 });
    expect(hit!.snippet).toContain(`${MATCH_START}`);
    expect(hit!.snippet).toContain(`${MATCH_END}`);
    expect(hit!.snippet).not.toMatch(/<b>|<mark>/);
  });

  it('builds the index for rows stored before the migration', async () => {
    r = openRecording();
    await recordHttpSse(r);
    const db = r.store.db;
    db.exec(`DROP TABLE search_docs; DROP TABLE search_refs; DROP TABLE search_state;`);
    // The migration's own SQL, as an older database meets it (later migrations have already run here).
    db.exec(SEARCH_INDEX_MIGRATION);
    const human = r.reader.getSession('01a20e12-d5d8-7e50-b51e-36f21fde77a3')!.turns[0]!.items[0]!;
    const word = /[A-Za-z]{4,}/.exec(human.text!)![0];
    expect(new SearchIndex(db).search(word, { limit: 10 }).map((h) => h.refId)).toContain(human.id);
  });

  it('ranks a document where the words are dense above one where they are rare (BM25)', () => {
    r = openRecording();
    const index = new SearchIndex(r.store.db);
    index.indexDocument({ docKind: 'insight', refId: 'rare', sessionId: 's2', turnId: null, project: 'p', text: `vite ${'filler words here '.repeat(50)}` });
    index.indexDocument({ docKind: 'insight', refId: 'dense', sessionId: 's', turnId: null, project: 'p', text: 'vite config: vite build, vite dev' });
    expect(index.search('vite', { limit: 10 }).map((h) => h.refId)).toEqual(['dense', 'rare']);
  });

  it('replaces a document indexed again under the same kind and ref, and filters by project', () => {
    r = openRecording();
    const index = new SearchIndex(r.store.db);
    index.indexDocument({ docKind: 'summary', refId: 'sum1', sessionId: 's', turnId: null, project: 'shop', text: 'first draft about pnpm' });
    index.indexDocument({ docKind: 'summary', refId: 'sum1', sessionId: 's', turnId: null, project: 'shop', text: 'second draft about yarn' });
    expect(index.search('pnpm', { limit: 10 })).toEqual([]);
    expect(index.search('yarn', { limit: 10, project: 'shop' })).toHaveLength(1);
    expect(index.search('yarn', { limit: 10, project: 'other' })).toEqual([]);
  });

  it('treats FTS5 syntax in a query as words, so no query is an error', () => {
    r = openRecording();
    const index = new SearchIndex(r.store.db);
    index.indexDocument({ docKind: 'insight', refId: 'x', sessionId: 's', turnId: null, project: null, text: 'echo "<script>" AND exec_command' });
    for (const q of ['"', 'AND', 'NEAR(', '<script>', 'exec_command', '*', '^x', 'a OR']) expect(() => index.search(q, { limit: 5 })).not.toThrow();
    expect(index.search('<script>', { limit: 5 })).toHaveLength(1);
    expect(index.search('exec_comm', { limit: 5, prefix: true })).toHaveLength(1);
    expect(index.search('  ', { limit: 5 })).toEqual([]);
  });
});
