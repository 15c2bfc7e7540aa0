import { afterEach, describe, expect, it } from 'vitest';
import type { GapView, InsightStatusView, ProjectProfileView, SessionEndView, TurnInsightView } from '../../src/contracts/insight.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

describe('insight API', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  const api = async <T>(route: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${h.kx.url}${route}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...init.headers } });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('serves a session’s insights, ends it over POST and serves the summary, gaps, projects and status', async () => {
    h = await startInsightHarness();
    await h.turn('api-1', 'what is useEffect?', { cwd: '/home/ana/shop' });
    await h.waitFor('the insight', () => h.kx.insight.engine.reader.turnInsights('api-1')[0]?.state === 'done');
    const insights = await api<{ sessionId: string; insights: TurnInsightView[] }>('/api/sessions/api-1/insights');
    expect(insights.body.insights.map((i) => [i.turnSeq, i.state, i.outcome])).toEqual([[1, 'done', 'succeeded']]);

    const ended = await api<SessionEndView>('/api/sessions/api-1/end', { method: 'POST' });
    expect(ended.status).toBe(200);
    expect(ended.body.summaryJobId).toMatch(/^j_/);
    await h.waitFor('the summary', () => h.kx.insight.engine.reader.summary('api-1') !== null);
    const summary = await api<{ summary: { version: number }; versions: unknown[] }>('/api/sessions/api-1/summary');
    expect([summary.body.summary.version, summary.body.versions.length]).toEqual([1, 1]);

    const gaps = await api<{ gaps: GapView[] }>('/api/gaps?status=open');
    expect(gaps.body.gaps.map((g) => g.topic)).toEqual(['useEffect']);
    const project = gaps.body.gaps[0]!.project;
    expect((await api<{ gaps: GapView[] }>(`/api/gaps?project=${project}`)).body.gaps).toHaveLength(1);
    expect((await api<{ gaps: GapView[] }>(`/api/gaps?project=all`)).body.gaps).toHaveLength(1);
    const unknown = await api<{ error: { message: string } }>(`/api/gaps?project=nosuch`);
    expect([unknown.status, unknown.body.error.message]).toEqual([404, `no project "nosuch": give its id, its name or a folder in it, or all for every project; known: ${project} (/home/ana/shop)`]);
    const profile = await api<ProjectProfileView>(`/api/projects/${project}/profile`);
    expect(profile.body.markdown).toContain('# /home/ana/shop: read before your next session');
    const status = await api<InsightStatusView>('/api/insight/status');
    expect(status.body).toMatchObject({ mode: 'turn', queue: { done: 2, failed: 0 }, waitingReason: null });
    expect(status.body.tokens.all.input).toBeGreaterThan(0);
    const sessions = await api<{ sessions: Array<{ id: string; project: string; endedAt: string; insightTokens: { input: number } }> }>('/api/sessions');
    expect(sessions.body.sessions[0]).toMatchObject({ id: 'api-1', project, endedAt: ended.body.endedAt });
    expect(sessions.body.sessions[0]!.insightTokens.input).toBe(status.body.tokens.all.input);
  });

  it('lets the person resolve a gap with a note, and refuses a body that is not {status, note}', async () => {
    h = await startInsightHarness();
    await h.turn('api-2', 'what is useEffect?');
    await h.waitFor('the gap', () => h.kx.insight.engine.reader.gaps().length === 1);
    const [gap] = h.kx.insight.engine.reader.gaps();
    const bad = await api(`/api/gaps/${gap!.id}`, { method: 'POST', body: JSON.stringify({ status: 'gone' }) });
    expect(bad.status).toBe(400);
    const done = await api<GapView>(`/api/gaps/${gap!.id}`, { method: 'POST', body: JSON.stringify({ status: 'resolved', note: 'read the React docs' }) });
    expect(done.body).toMatchObject({ status: 'resolved', resolved: { by: 'person', note: 'read the React docs' } });
    expect((await api('/api/gaps/g_nope', { method: 'POST', body: JSON.stringify({ status: 'open' }) })).status).toBe(404);
  });

  it('refuses a gap update from another origin', async () => {
    h = await startInsightHarness();
    const res = await api('/api/gaps/g_any', { method: 'POST', headers: { origin: 'https://evil.example' }, body: JSON.stringify({ status: 'open' }) });
    expect(res.status).toBe(403);
  });
});
