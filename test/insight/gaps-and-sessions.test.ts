import { afterEach, describe, expect, it } from 'vitest';
import { environmentContext, startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

const SHOP = '/home/ana/shop';
const BLOG = '/home/ana/blog';

describe('gaps across sessions and projects', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  const done = (sessionId: string, turns: number) =>
    h.waitFor(`${turns} insights of ${sessionId}`, () => {
      const all = h.kx.insight.engine.reader.turnInsights(sessionId);
      return all.length === turns && all.every((t) => t.state === 'done');
    });

  it('takes the project from the working directory in <environment_context>', async () => {
    h = await startInsightHarness();
    await h.turn('p-1', 'hello', { cwd: SHOP });
    const session = h.kx.reader.listSessions().find((s) => s.id === 'p-1')!;
    expect(session.cwd).toBe(SHOP);
    expect(session.project).toMatch(/^shop-[0-9a-f]{6}$/);
    expect(h.kx.insight.engine.reader.projects().map((p) => p.name)).toContain(SHOP);
  });

  it('names a project after its own folder, not the folders above it', async () => {
    h = await startInsightHarness();
    await h.turn('p-deep', 'hello', { cwd: '/home/ana/sample-user-repos/codemie-ai/codemie-code' });
    expect(h.kx.reader.listSessions().find((s) => s.id === 'p-deep')!.project).toMatch(/^codemie-code-[0-9a-f]{6}$/);
  });

  it('keeps the id a folder already has in the store, whatever shape ids had then', async () => {
    h = await startInsightHarness();
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('home-ana-shop-3f2a1b', ?, '2026-11-01T00:00:00.000Z')`).run(SHOP);
    await h.turn('p-old', 'hello', { cwd: SHOP });
    expect(h.kx.reader.listSessions().find((s) => s.id === 'p-old')!.project).toBe('home-ana-shop-3f2a1b');
  });

  it('never lists, nor keeps, a placeholder project for a session whose folder is known', async () => {
    h = await startInsightHarness();
    await h.turn('p-place', 'hello', { cwd: SHOP });
    const names = h.kx.insight.engine.reader.projects().map((p) => p.name);
    expect(names).toEqual([SHOP]);
    expect(h.kx.store.db.prepare(`SELECT COUNT(*) FROM projects`).pluck().get()).toBe(1);
  });

  it('announces the session again when its working directory arrives in a later request', async () => {
    h = await startInsightHarness();
    await h.turn('p-2', 'hello');
    const events: string[] = [];
    h.kx.live.subscribe((e) => e.type === 'session' && events.push(e.sessionId));
    await rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': 'p-2' },
      body: JSON.stringify({ model: 'gpt-5', stream: true, input: [environmentContext(BLOG), userMessage('again')] }),
    });
    await h.kx.settle();
    expect(events).toEqual(['p-2']);
    expect(h.kx.reader.listSessions().find((s) => s.id === 'p-2')!.cwd).toBe(BLOG);
  });

  it('counts a gap seen again in a later session of the same project instead of opening another', async () => {
    h = await startInsightHarness();
    await h.turn('shop-1', 'what is useEffect?', { cwd: SHOP });
    await done('shop-1', 1);
    await h.turn('shop-2', 'what is useEffect? still confused', { cwd: SHOP });
    await done('shop-2', 1);
    const gaps = h.kx.insight.engine.reader.gaps();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ timesSeen: 2, firstSeen: { sessionId: 'shop-1' }, lastSeen: { sessionId: 'shop-2' } });
    // The second call was told about the open gap, with its id.
    const second = JSON.stringify(h.insightCalls()[1]!.body);
    expect(second).toContain(`${gaps[0]!.id} | useEffect | what is useEffect?`);
  });

  it('keeps the same topic apart in two projects', async () => {
    h = await startInsightHarness();
    await h.turn('shop-a', 'what is useEffect?', { cwd: SHOP });
    await h.turn('blog-a', 'what is useEffect?', { cwd: BLOG });
    await done('shop-a', 1);
    await done('blog-a', 1);
    const gaps = h.kx.insight.engine.reader.gaps();
    expect(gaps.map((g) => g.timesSeen)).toEqual([1, 1]);
    expect(new Set(gaps.map((g) => g.project)).size).toBe(2);
    expect(JSON.stringify(h.insightCalls().map((c) => c.body))).not.toContain(`| useEffect | what is useEffect?\\n`);
  });

  it('resolves a gap when the model says a later turn answered it, and the person can reopen it', async () => {
    h = await startInsightHarness();
    await h.turn('res-1', 'what is useEffect?', { cwd: SHOP });
    await done('res-1', 1);
    await h.turn('res-1', 'got it, thanks', { cwd: SHOP });
    await done('res-1', 2);
    const [gap] = h.kx.insight.engine.reader.gaps();
    expect(gap).toMatchObject({ status: 'resolved', resolved: { by: 'model', how: 'The developer said they understood.' } });
    expect(h.kx.insight.engine.setGapStatus(gap!.id, 'open', undefined)).toBe(true);
    expect(h.kx.insight.engine.reader.gap(gap!.id)).toMatchObject({ status: 'open', resolved: null });
  });

  it('ignores a resolution of a gap id the project does not have', async () => {
    h = await startInsightHarness();
    await h.turn('blog-x', 'what is useEffect?', { cwd: BLOG });
    await done('blog-x', 1);
    const [blogGap] = h.kx.insight.engine.reader.gaps();
    h.fake.enqueueInsight({ kind: 'answer', output: { summary: 's', action: 'a', outcome: 'succeeded', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [{ gap_id: blogGap!.id, how: 'x' }, { gap_id: 'g_made_up', how: 'y' }], next_time: null, playbook_steps: [], search_terms: [] } });
    await h.turn('shop-x', 'hello', { cwd: SHOP });
    await done('shop-x', 1);
    expect(h.kx.insight.engine.reader.gap(blogGap!.id)!.status).toBe('open');
    expect(h.kx.insight.engine.reader.turnInsights('shop-x')[0]!.resolvedGaps).toEqual([]);
  });
});

describe('session end and summaries', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  const summaryOf = (id: string, version?: number) => h.kx.insight.engine.reader.summary(id, version);

  it('writes a summary after the turns’ insights, with the gap facts kx keeps', async () => {
    h = await startInsightHarness();
    await h.turn('end-1', 'what is useEffect?', { cwd: SHOP });
    const ended = h.kx.insight.engine.endSession('end-1')!;
    expect(ended.summaryJobId).toMatch(/^j_/);
    await h.waitFor('the summary', () => summaryOf('end-1') !== null);
    const calls = h.insightCalls().map((c) => (c.body as { text: { format: { name: string } } }).text.format.name);
    expect(calls).toEqual(['turn_insight', 'session_summary']);
    const summary = summaryOf('end-1')!;
    expect(summary).toMatchObject({ version: 1, title: 'Session of 1 turn', highlights: ['Asked: what is useEffect?'] });
    expect(summary.gapsOpened.map((g) => g.topic)).toEqual(['useEffect']);
    const md = await h.learningsWith('end-1', '## Summary');
    expect(md.split('\n', 1)[0]).toBe('# Session of 1 turn');
    expect(md).toContain('## Summary\n');
  });

  it('keeps old versions: ending again after more turns writes version 2; ending twice with nothing new does not', async () => {
    h = await startInsightHarness();
    await h.turn('end-2', 'hello');
    h.kx.insight.engine.endSession('end-2');
    await h.waitFor('v1', () => summaryOf('end-2')?.version === 1);
    expect(h.kx.insight.engine.endSession('end-2')!.summaryJobId).toBe(h.kx.store.db.prepare(`SELECT id FROM insight_jobs WHERE kind = 'session'`).pluck().get());
    await h.turn('end-2', 'one more thing');
    h.kx.insight.engine.endSession('end-2');
    await h.waitFor('v2', () => summaryOf('end-2')?.version === 2);
    expect(h.kx.insight.engine.reader.summaryVersions('end-2').map((v) => v.version)).toEqual([1, 2]);
    expect(summaryOf('end-2', 1)!.title).toBe('Session of 1 turn');
    expect(summaryOf('end-2')!.title).toBe('Session of 2 turns');
  });

  it('ends a session that has been idle longer than KX_SESSION_IDLE_MINUTES', async () => {
    h = await startInsightHarness({ idleMinutes: 30 });
    await h.turn('idle-1', 'hello');
    expect(h.kx.insight.engine.endIdleSessions(Date.now())).toEqual([]);
    expect(h.kx.insight.engine.endIdleSessions(Date.now() + 31 * 60_000)).toEqual(['idle-1']);
    await h.waitFor('the summary', () => summaryOf('idle-1') !== null);
    expect(h.kx.insight.engine.endIdleSessions(Date.now() + 62 * 60_000)).toEqual([]);
  });
});
