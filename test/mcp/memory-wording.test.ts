// How kx's memory answers read: each fact said once, a long query not spent twice out of the answer's budget,
// a hit found by meaning named as that in plain words.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Memory } from '../../src/mcp/memory.js';
import type { Harness } from '../support/kx-harness.js';
import { startMemoryHarness } from '../support/memory-harness.js';
import { SHOP_ID, type McpSeed } from '../support/mcp-seed.js';

describe('MCP answers say each thing once, in plain words', () => {
  let h: Harness;
  let seed: McpSeed;
  let memory: Memory;

  beforeAll(async () => ({ h, seed, memory } = await startMemoryHarness()));
  afterAll(async () => h?.close());

  it("the turn header names the turn once, with the session, its date and the turn's console link", () => {
    const head = memory.turn({ session: seed.shopPast, turn: 1 }).split('\n')[0]!;
    expect(head).toMatch(new RegExp(`^Turn 1 of session ${seed.shopPast}, 2026-01-01 00:00 UTC \\(${h.kx.url}/ui/#/sessions/${seed.shopPast}/turns/1\\), completed`));
    expect(head.match(/turn 1\b/gi)).toHaveLength(1);
  });

  it('the search header quotes a long query only by its start', async () => {
    const tail = 'zqx'.repeat(300);
    const query = `deploy staging ${tail}`;
    const text = await memory.search({ query, project: SHOP_ID }, {});
    expect(text).toContain(seed.shopPast);
    const head = text.split('\n')[0]!;
    expect(head).toMatch(/matching "deploy staging zqx[zqx]*…" in project/);
    expect(head).not.toContain('zqx'.repeat(30));
    const none = await memory.search({ query: `kubernetes ${tail}`, project: SHOP_ID }, {});
    expect(none).toMatch(/matches "kubernetes zqx[zqx]*…"/);
    expect(none).not.toContain('zqx'.repeat(30));
  });

  it('a hit found by meaning alone says so plainly, with how close it is', async () => {
    const near = { sessionId: seed.shopPast, project: SHOP_ID, score: 0.03, turnId: null, turnSeq: 1, words: [], docs: [], near: { turnId: 't', distance: 0.25 } };
    const byMeaning = new Memory({ db: h.kx.store.db, search: h.kx.search, sessions: { sessions: async () => [near] }, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
    const text = await byMeaning.search({ query: 'shipping the store to the test server', project: 'all' }, {});
    expect(text).not.toContain('matched close in meaning');
    expect(text).toContain('   found by meaning, none of its words: close to the query (embeddings, cosine similarity 0.75)');
  });
});
