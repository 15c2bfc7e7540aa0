// A stand-in for the insight engine's and learn mode's routes, typed by kx's wire contracts (src/contracts/), serving the built
// console beside them: the console's insight views can be tested before those backends land. Every string can
// be swapped for a hostile one. Gaps can be resolved and reopened; approvals decided.

import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { consoleAsset, consolePage } from '../../src/api/console-page.js';
import { securityHeaders } from '../../src/api/security-headers.js';
import type { GapView, ProjectView, SessionSummaryView, TurnInsightView } from '../../src/contracts/insight.js';
import type { ApprovalView } from '../../src/contracts/learn.js';

export interface FakeConsoleApi {
  url: string;
  /** Bodies POSTed to /api/gaps/:id and /api/approvals/:id, in order. */
  posts: Array<{ path: string; body: unknown }>;
  close(): Promise<void>;
}

const SESSION = 's-fake-1';
const AT = '2026-11-20T10:00:00.000Z';

export function fakeData(t: (label: string) => string) {
  const gap = (id: string, status: 'open' | 'resolved', day: number): GapView => ({
    id,
    project: 'p-shop',
    topic: t(`topic ${id}`),
    question: t(`question ${id}`),
    evidence: t(`evidence ${id}`),
    status,
    timesSeen: 2,
    firstSeen: { sessionId: SESSION, turnId: 't1', at: `2026-11-${10 + day}T10:00:00.000Z` },
    lastSeen: { sessionId: SESSION, turnId: 't1', at: `2026-11-${11 + day}T10:00:00.000Z` },
    resolved: (status === 'resolved'
      ? { turnId: 't1', how: t('how it was resolved'), by: 'person', note: t('resolution note'), at: `2026-11-${12 + day}T10:00:00.000Z` }
      : null),
  });
  const summary: SessionSummaryView = {
    sessionId: SESSION,
    version: 1,
    createdAt: AT,
    title: t('summary title'),
    highlights: [t('highlight one')],
    gapsOpened: [{ gapId: 'g_1', topic: t('opened topic') }],
    gapsResolved: [{ gapId: 'g_2', topic: t('resolved topic'), how: t('resolved how') }],
    unresolvedQuestions: [t('unresolved question')],
    nextRepetitions: [t('next repetition')],
    playbook: [
      { step: t('install the deps'), command: 'npm ci', why: t('lockfile') },
      { step: t('run the tests'), command: t('npx vitest run'), why: null },
    ],
    tokens: { input: 100, output: 20 },
  };
  const insight: TurnInsightView = {
    turnId: 't1', turnSeq: 1, state: 'done', error: null,
    summary: t('turn summary'), action: t('action'), outcome: 'succeeded',
    gaps: [{ gapId: 'g_1', topic: t('turn gap'), question: t('turn gap question'), evidence: t('turn evidence'), confidence: 0.8 }],
    confusion: [{ what: t('confusion'), evidence: t('confusion evidence') }],
    decisions: [{ choice: t('decision'), why: t('decision why') }],
    successes: [t('success')], followUps: [t('follow-up')],
    resolvedGaps: [], nextTime: t('next time'),
    playbookSteps: [{ step: t('turn step'), command: t('turn command') }],
    tokens: { input: 10, output: 5 }, createdAt: AT,
  };
  const project: ProjectView = { id: 'p-shop', name: t('project name'), sessionCount: 3, openGaps: 1, resolvedGaps: 1, lastActivityAt: AT };
  const approval: ApprovalView = {
    id: 'a_1', sessionId: SESSION, project: 'p-shop', original: t('original prompt'), rewrite: t('rewritten prompt'),
    diff: [{ op: 'same', text: t('same part') }, { op: 'del', text: t('deleted part') }, { op: 'add', text: t('added part') }],
    gaps: [{ gapId: 'g_1', topic: t('approval gap') }], snippets: [{ ref: 'i_1', text: t('snippet text') }],
    reason: null, context: null, status: 'pending', created: AT, decidedAt: null, finalText: null,
  };
  const turn = {
    id: 't1', seq: 1, clientTurnId: null, startedAt: AT, endedAt: AT, status: 'completed',
    items: [{ id: 'i_1', seq: 1, turnId: 't1', requestId: 'r1', direction: 'input', kind: 'human_message', itemType: 'message', role: 'user', protocolId: null, callId: null, toolName: null, text: t('human message'), arguments: null, output: null, status: null, detail: null, createdAt: AT }],
  };
  const usage = { inputTokens: 10, cachedTokens: 0, outputTokens: 5, reasoningTokens: 0, totalTokens: 15 };
  const session = { id: SESSION, client: 'codex_exec', userAgent: null, identifiedBy: 'header', startedAt: AT, lastActivityAt: AT, turnCount: 1, requestCount: 1, usage };
  return {
    gaps: [gap('g_1', 'open', 0), gap('g_2', 'resolved', 2)],
    summary, insight, project, approval,
    detail: { ...session, project: 'p-shop', endedAt: null, turns: [turn], preamble: [], requests: [{ id: 'r1', turnId: 't1', transport: 'http', api: 'responses', path: '/v1/responses', model: 'm', requestKind: 'turn', startedAt: AT, firstByteMs: 50, durationMs: 400, statusCode: 200, outcome: 'completed', responseId: null, usage, error: null }] },
    listItem: { ...session, title: t('human message'), durationMs: 0, status: 'ended', project: 'p-shop', endedAt: null },
  };
}

export async function startFakeConsoleApi(text: (label: string) => string = (l) => l, opts: { noSessions?: boolean; badSessionRow?: boolean } = {}): Promise<FakeConsoleApi> {
  const d = fakeData(text);
  const posts: FakeConsoleApi['posts'] = [];
  const app = new Hono();
  app.use('*', securityHeaders());
  app.get('/ui/', (c) => c.html(consolePage()));
  app.get('/ui/assets/:file', consoleAsset());
  app.get('/api/events', (c) => c.body(': nothing live here\n\n', 200, { 'content-type': 'text/event-stream' }));
  app.get('/api/sessions', (c) =>
    c.json(
      opts.noSessions
        ? { sessions: [], total: 0, nextCursor: null, clients: [] }
        : // A row as an older kx sent it for a rollout whose timestamp was "last tuesday": durationMs null.
          { sessions: [...(opts.badSessionRow ? [{ ...d.listItem, id: 's-bad-row', title: 'bad row', startedAt: 'last tuesday', durationMs: null }] : []), d.listItem], total: opts.badSessionRow ? 2 : 1, nextCursor: null, clients: ['codex_exec'] },
    ),
  );
  app.get('/api/sessions/:id', (c) => c.json(d.detail));
  app.get('/api/sessions/:id/insights', (c) => c.json({ sessionId: SESSION, insights: [d.insight] }));
  app.get('/api/sessions/:id/summary', (c) => c.json({ summary: d.summary, versions: [{ version: 1, createdAt: AT }] }));
  app.get('/api/gaps', (c) => {
    const status = c.req.query('status');
    return c.json({ gaps: d.gaps.filter((g) => !status || g.status === status) });
  });
  app.post('/api/gaps/:id', async (c) => {
    const body = (await c.req.json()) as { status: 'open' | 'resolved'; note?: string };
    posts.push({ path: c.req.path, body });
    const gap = d.gaps.find((g) => g.id === c.req.param('id'));
    if (!gap) return c.json({ error: { message: 'no such gap' } }, 404);
    gap.status = body.status;
    gap.resolved = body.status === 'resolved' ? { turnId: null, how: null, by: 'person', note: body.note ?? null, at: AT } : null;
    return c.json(gap);
  });
  app.get('/api/projects', (c) => c.json({ projects: [d.project] }));
  app.get('/api/projects/:id/profile', (c) =>
    c.json({
      project: d.project,
      markdown: text('profile markdown'),
      openGaps: d.gaps.filter((g) => g.status === 'open'),
      resolvedGaps: d.gaps.filter((g) => g.status === 'resolved'),
      recurringTopics: [{ topic: text('recurring topic'), timesSeen: 3 }],
      recentSummaries: [d.summary],
    }),
  );
  app.get('/api/approvals', (c) => c.json({ approvals: c.req.query('status') === 'pending' ? [d.approval].filter((a) => a.status === 'pending') : [d.approval] }));
  app.post('/api/approvals/:id', async (c) => {
    const body = (await c.req.json()) as { decision: string; text?: string };
    posts.push({ path: c.req.path, body });
    d.approval.status = body.decision === 'reject' ? 'rejected' : body.decision === 'edit' ? 'edited' : 'accepted';
    return c.json(d.approval);
  });
  app.notFound((c) => c.json({ error: { message: 'not found' } }, 404));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
