import { afterEach, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

const SHOP = '/home/ana/shop';

const turnNote = (over: Record<string, unknown> = {}) => ({
  summary: 'Set up the zanzibar build cache', action: 'Edited the config.', outcome: 'succeeded',
  gaps: [{ topic: 'cache keys', question: 'how are marmalade keys computed?', evidence: 'they asked', confidence: 0.8, existing_gap_id: null }],
  confusion: [], decisions: [{ choice: 'use the local cache', why: 'offline laptops' }], successes: [], follow_ups: [],
  resolved_gaps: [], next_time: null, playbook_steps: [{ step: 'Warm the cache', command: 'npm run warm-quokka' }], search_terms: [], ...over,
});
const summary = (title: string) => ({ title, highlights: ['The cache works.'], unresolved_questions: [], next_repetitions: [], playbook: [{ step: 'Build once', command: 'npm run build-wombat', why: null }] });

describe('search over what the insight engine wrote', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  const search = async (q: string) => {
    const res = await fetch(`${h.kx.url}/api/search?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    return ((await res.json()) as { hits: Array<{ docKind: string; sessionId: string; turnSeq: number | null; project: string | null }> }).hits;
  };
  const noted = (id: string, turns: number) =>
    h.waitFor(`${turns} insights of ${id}`, () => {
      const all = h.kx.insight.engine.reader.turnInsights(id);
      return all.length === turns && all.every((t) => t.state === 'done');
    });
  const project = (id: string) => h.kx.reader.listSessions().find((s) => s.id === id)!.project;

  it("finds a turn's insight and its playbook steps, linked to the turn and the session's project", async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'answer', output: turnNote() });
    await h.turn('find-1', 'set up the build cache', { cwd: SHOP });
    await h.waitFor('the insight', () => h.kx.insight.engine.reader.turnInsights('find-1')[0]?.state === 'done');
    expect(await search('zanzibar')).toEqual([expect.objectContaining({ docKind: 'insight', sessionId: 'find-1', turnSeq: 1, project: project('find-1') })]);
    expect((await search('marmalade')).map((x) => x.docKind)).toEqual(['insight']);
    expect(await search('quokka')).toEqual([expect.objectContaining({ docKind: 'playbook', sessionId: 'find-1', turnSeq: 1 })]);
  });

  it('finds a turn by the search terms the insight engine wrote for it, words the session itself never used', async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'answer', output: turnNote({ search_terms: ['signed out', 'race condition', 'invalid_grant'] }) });
    await h.turn('find-terms', 'set up the build cache', { cwd: SHOP });
    await h.waitFor('the insight', () => h.kx.insight.engine.reader.turnInsights('find-terms')[0]?.state === 'done');
    // Indexed in the transaction that lands the note: searchable as soon as the note can be read.
    expect(await search('race condition')).toEqual([expect.objectContaining({ docKind: 'search_terms', sessionId: 'find-terms', turnSeq: 1 })]);
  });

  it("finds a session's summary and its playbook, and a new summary version replaces the old one", async () => {
    h = await startInsightHarness();
    await h.turn('find-2', 'hello', { cwd: SHOP });
    await noted('find-2', 1);
    h.fake.enqueueInsight({ kind: 'answer', output: summary('Caching with the wombat') });
    h.kx.insight.engine.endSession('find-2');
    await h.waitFor('v1', () => h.kx.insight.engine.reader.summary('find-2')?.version === 1);
    expect(await search('wombat')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ docKind: 'summary', sessionId: 'find-2', turnSeq: null, project: project('find-2') }),
        expect.objectContaining({ docKind: 'playbook', sessionId: 'find-2', turnSeq: null }),
      ]),
    );
    await h.turn('find-2', 'one more thing', { cwd: SHOP });
    await noted('find-2', 2);
    h.fake.enqueueInsight({ kind: 'answer', output: summary('Caching, second pass') });
    h.kx.insight.engine.endSession('find-2');
    await h.waitFor('v2', () => h.kx.insight.engine.reader.summary('find-2')?.version === 2);
    expect((await search('second pass')).map((x) => x.docKind)).toEqual(['summary']);
    expect((await search('Caching')).filter((x) => x.docKind === 'summary')).toHaveLength(1);
  });
});
