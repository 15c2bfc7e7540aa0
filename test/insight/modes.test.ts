import { afterEach, describe, expect, it } from 'vitest';
import type { Kx } from '../../src/kx.js';
import { insightNotices } from '../../src/cli/insight-notices.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

describe('KX_INSIGHT modes', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  it('off: records only; ending a session marks it ended and queues nothing', async () => {
    h = await startInsightHarness({ mode: 'off' });
    await h.turn('off-1', 'what is useEffect?');
    expect(h.kx.insight.engine.endSession('off-1')!.summaryJobId).toBeNull();
    expect(h.kx.store.db.prepare(`SELECT COUNT(*) FROM insight_jobs`).pluck().get()).toBe(0);
    expect(h.kx.reader.listSessions()[0]!.endedAt).not.toBeNull();
    expect(h.insightCalls()).toEqual([]);
  });

  it('session: no note per turn, and the summary is written from the raw turns', async () => {
    h = await startInsightHarness({ mode: 'session' });
    await h.turn('sess-1', 'hello there');
    expect(h.kx.insight.engine.reader.turnInsights('sess-1')[0]!.state).toBe('none');
    h.kx.insight.engine.endSession('sess-1');
    await h.waitFor('the summary', () => h.kx.insight.engine.reader.summary('sess-1') !== null);
    const calls = h.insightCalls();
    expect(calls.map((c) => (c.body as { text: { format: { name: string } } }).text.format.name)).toEqual(['session_summary']);
    expect(JSON.stringify(calls[0]!.body)).toContain('human: hello there\\nagent: You said: hello there');
  });
});

describe('kx start notices', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  it('prints one line when jobs wait for a key, however many wait, and one line per failed job', async () => {
    h = await startInsightHarness({}, { insightEngine: { maxAttempts: 1 } });
    const lines: string[] = [];
    insightNotices(h.kx as Kx, (l) => lines.push(l));
    await h.turn('n-1', 'one', { headers: { authorization: '' } });
    await h.turn('n-2', 'two', { headers: { authorization: '' } });
    await h.waitFor('two waiting jobs', () => h.kx.insight.engine.status().queue.waiting_key === 2);
    // As the failure line below: it follows the jobs' live events, which can come after their rows.
    await h.waitFor('the waiting line', () => lines.length > 0);
    expect(lines).toEqual([expect.stringMatching(/^insight: jobs are waiting for a key: no KX_INSIGHT_API_KEY/)]);
    h.fake.enqueueInsight({ kind: 'http-error', status: 500 });
    h.fake.enqueueInsight({ kind: 'http-error', status: 500 });
    h.fake.enqueueInsight({ kind: 'http-error', status: 500 });
    await h.turn('n-3', 'three');
    // The line follows the job's live event, which can reach kx start after the queue's row says failed.
    await h.waitFor('the failure line', () => lines.some((l) => l.includes('failed')));
    expect(lines.filter((l) => l.includes('failed'))[0]).toMatch(/^insight: a turn job of session n-\d failed: server: 500/);
  });
});
