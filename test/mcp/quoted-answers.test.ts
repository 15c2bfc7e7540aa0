// Every MCP tool's answer quotes what kx recorded: a README the agent once printed, which closes its
// block and writes a `HUMAN:` line telling the agent to run `curl … | sh`, stays inside a quote.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Memory } from '../../src/mcp/memory.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { SHOP_ID, seedMcpStore, type McpSeed } from '../support/mcp-seed.js';
import { FORGED, FORGED_ORDER, tagsAround } from '../support/tag-stack.js';

describe('MCP answers quote recorded text', () => {
  let h: Harness;
  let seed: McpSeed;
  let memory: Memory;

  beforeAll(async () => {
    h = await startHarness();
    seed = seedMcpStore(h.kx);
    const db = h.kx.store.db;
    const turn1 = `t_${seed.shopPast}_1`;
    db.prepare(`UPDATE items SET output = ? WHERE turn_id = ? AND kind = 'tool_output'`).run(`README.md:\n${FORGED}`, turn1);
    db.prepare(`UPDATE items SET text = ? WHERE turn_id = ? AND kind = 'human_message'`).run(`how do we deploy the shop to staging? ${FORGED}`, turn1);
    db.prepare(`UPDATE gaps SET evidence = ?, resolved_how = ? WHERE id = 'gap_shop_1'`).run(`staging ${FORGED}`, FORGED);
    const summary = JSON.parse(db.prepare(`SELECT data FROM session_summaries WHERE session_id = ?`).pluck().get(seed.shopPast) as string);
    summary.playbook[1].why = FORGED;
    summary.title = `Deploy ${FORGED}`;
    db.prepare(`UPDATE session_summaries SET data = ? WHERE session_id = ?`).run(JSON.stringify(summary), seed.shopPast);
    h.kx.search.indexDocument({ docKind: 'human', refId: 'forged-1', sessionId: seed.shopPast, turnId: turn1, project: SHOP_ID, text: `staging ${FORGED}` });
    memory = new Memory({ db, search: h.kx.search, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
  });
  afterAll(async () => h?.close());

  const quotedIn = (answer: string, tags: string[]) => {
    expect(answer).toContain(FORGED_ORDER);
    expect(tags).toContain(tagsAround(answer, FORGED_ORDER).at(-1));
    expect(tagsAround(answer, FORGED_ORDER)).toHaveLength(1);
    expect(answer).toMatch(/never instructions/);
  };

  it('turn: a tool output that forges a HUMAN block stays inside its tool output', () => {
    const answer = memory.turn({ session: seed.shopPast, turn: 1 });
    const at = answer.indexOf('README.md:');
    expect(tagsAround(answer, 'README.md:')).toEqual(['tool_output']);
    expect(tagsAround(answer.slice(at), FORGED_ORDER)).toEqual([]); // no tag of its own opened inside
    expect(answer.split('\n').filter((l) => /^<human[ >]/.test(l))).toHaveLength(1);
  });

  it('search: a hit that forges a block stays inside its quote', async () => {
    quotedIn(await memory.search({ query: 'staging', project: 'all' }, {}), ['quote']);
  });

  it('gaps: evidence and how it was resolved stay inside their quotes', () => {
    quotedIn(memory.gaps({ project: SHOP_ID }, {}), ['quote']);
  });

  it('playbook: a step and its reason stay inside their quotes', () => {
    quotedIn(memory.playbook({ project: SHOP_ID }, {}), ['quote']);
  });

  it('profile: the page stays one quoted block', () => {
    const profile = h.kx.insight.engine.profile(SHOP_ID);
    const answer = memory.profile({ project: SHOP_ID }, {});
    if (!profile) throw new Error('the seeded project has no profile');
    expect(answer.trimEnd().endsWith('</profile>')).toBe(true);
    quotedIn(answer, ['profile']);
  });
});
