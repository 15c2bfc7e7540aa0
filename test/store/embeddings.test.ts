// Search by meaning where there is an API key: turns embedded in the insight worker, stored with sqlite-vec,
// fused with BM25 by reciprocal rank; and search by words alone where sqlite-vec will not load.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../src/store/fusion.js';
import { HybridRetrieval } from '../../src/store/hybrid-retrieval.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { EMBEDDING_DIMENSIONS, VectorStore } from '../../src/store/vectors.js';
import { fakeEmbedding } from '../../harness/fake-upstream/embeddings.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, type Recording } from '../support/recording.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

const embed = async (texts: string[]) => texts.map((t) => Float32Array.from(fakeEmbedding(t, EMBEDDING_DIMENSIONS)));

describe('reciprocal rank fusion', () => {
  it('ranks a session found by both words and meaning above one found first by only one of them', () => {
    const fused = reciprocalRankFusion([['words-only', 'both', 'c'], ['meaning-only', 'both']]);
    expect(fused.map((f) => f.key).slice(0, 3)).toEqual(['both', 'words-only', 'meaning-only']);
    expect(fused[0]!.ranks).toEqual([2, 2]);
  });
});

describe('hybrid retrieval', () => {
  let r: Recording;
  afterEach(() => r?.close());

  /** Sessions seeded with these human messages, indexed, and (with vectors) every turn embedded by the fake's function. */
  async function seeded(humans: string[], withVectors: boolean): Promise<HybridRetrieval> {
    r = openRecording();
    seedSessions(r.store.db, { sessions: humans.length, turnsPerSession: 1, humanText: (s) => humans[s]! });
    const index = new SearchIndex(r.store.db);
    index.catchUp();
    const vectors = withVectors ? VectorStore.open(r.store.db, { write: true }) : undefined;
    if (vectors) {
      const turns = vectors.pending(100);
      const vs = await embed(turns.map((t) => t.text));
      vectors.store(turns.map((turn, i) => ({ turn, vector: vs[i] })), 'fake');
    }
    return new HybridRetrieval(r.store.db, index.retrieval, vectors, vectors ? async (q) => (await embed([q]))[0] : undefined);
  }

  const humans = ['users get logged out randomly in the morning', 'add a footer to the pricing page', 'the css grid breaks on safari'];

  it('finds by meaning a session that shares no word with the query, and says it matched by meaning', async () => {
    const search = await seeded(humans, true);
    expect(search.lexical.sessions('customer session expired', { limit: 5 }).map((h) => h.sessionId)).not.toContain('seed-000000');
    const [hit] = await search.sessions('customer session expired', { limit: 5 });
    expect(hit).toMatchObject({ sessionId: 'seed-000000', words: [], near: { turnId: 't_seed-000000_1' } });
    expect(hit!.docs[0]!.snippet).toContain('logged out');
  });

  it("gives the console a hit found by meaning with its similarity, and no words it did not match", async () => {
    const search = await seeded(humans, true);
    const [hit] = new SearchIndex(r.store.db).docHits(await search.sessions('customer session expired', { limit: 5 }), { limit: 5 });
    expect(hit).toMatchObject({ sessionId: 'seed-000000' });
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.25);
    expect(hit!.words).toBeUndefined();
  });

  it('adds no session by meaning when nothing is close: a query of unknown words finds nothing', async () => {
    const search = await seeded(humans, true);
    expect(await search.sessions('xyzzy qwertyuiop', { limit: 5 })).toEqual([]);
  });

  it('pads no result with far sessions: a query that matches one session by words finds that one alone', async () => {
    const search = await seeded(humans, true);
    const hits = await search.sessions('safari', { limit: 5 });
    expect(hits.map((h) => h.sessionId)).toEqual(['seed-000002']);
  });

  it('looks nothing up by meaning for a query of words every session has ("how did we fix it")', async () => {
    const search = await seeded(humans, true);
    expect(await search.sessions('how did we fix it?', { limit: 5 })).toEqual([]);
  });

  it('searches by words alone, with the same hits, when there are no vectors', async () => {
    const search = await seeded(humans, false);
    expect(search.semantic).toBe(false);
    expect(await search.sessions('safari grid', { limit: 5 })).toEqual(search.lexical.sessions('safari grid', { limit: 5 }));
  });

  it('says once why vectors are off when sqlite-vec will not load, and stores none', () => {
    r = openRecording();
    const notices: string[] = [];
    const vectors = VectorStore.open(r.store.db, { write: true, from: () => ({ load: () => { throw new Error('Unsupported platform for sqlite-vec, on linux-riscv64'); } }), onUnavailable: (why) => notices.push(why) });
    expect(vectors).toBeUndefined();
    expect(notices).toHaveLength(1);
    expect(r.store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'turn_vector%'`).pluck().get()).toBe(0);
  });
});

describe('embeddings in the insight worker', () => {
  let h: InsightHarness | undefined;
  let fake: FakeUpstream | undefined;
  afterEach(async () => {
    await h?.close();
    await fake?.close();
  });

  it('embeds a finished turn through /v1/embeddings from the worker; the forwarding thread never loads sqlite-vec', async () => {
    fake = await startFakeUpstream();
    h = await startInsightHarness({ apiKey: 'sk-test-embeddings', baseUrl: new URL(fake.baseUrl) }, {}, undefined, fake);
    await h.turn('embed-1', 'users get logged out randomly in the morning');
    const db = h.kx.store.db;
    await h.waitFor('the turn embedded', () => (db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'turn_vector_refs'`).pluck().get() as number) > 0 &&
      (db.prepare(`SELECT count(*) FROM turn_vector_refs WHERE session_id = 'embed-1'`).pluck().get() as number) === 1, 10_000);
    const call = fake.embeddingCalls[0]!.body as { model: string; dimensions: number; input: string[] };
    expect(call).toMatchObject({ model: 'text-embedding-3-small', dimensions: EMBEDDING_DIMENSIONS });
    expect(call.input[0]).toContain('logged out randomly');
    expect(() => db.prepare('SELECT vec_version()').get()).toThrow(/no such function/);
  });

  it('embeds the turns an import added from another process, without a restart', async () => {
    fake = await startFakeUpstream();
    h = await startInsightHarness({ apiKey: 'sk-test-embeddings', baseUrl: new URL(fake.baseUrl) }, { insightEngine: { idleCheckMs: 200 } }, undefined, fake);
    await h.turn('live-1', 'a first live turn');
    const db = h.kx.store.db;
    const embedded = (session: string) => () =>
      (db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'turn_vector_refs'`).pluck().get() as number) > 0 &&
      (db.prepare(`SELECT count(*) FROM turn_vector_refs WHERE session_id = ?`).pluck().get(session) as number) > 0;
    await h.waitFor('the live turn embedded', embedded('live-1'), 10_000);
    // As `kx import` writes from its own process: rows in SQLite, no message to this kx.
    const other = new Database(path.join(h.config.documentsDir, 'sessions.db'));
    seedSessions(other, { sessions: 1, turnsPerSession: 2, idPrefix: 'imported', humanText: () => 'the nightly csv import crashes on accented names' });
    other.close();
    await h.waitFor('the imported turns embedded', () => embedded('imported-000000')() && (db.prepare(`SELECT count(*) FROM turn_vector_refs WHERE session_id = 'imported-000000'`).pluck().get() as number) === 2, 10_000);
  });
});
