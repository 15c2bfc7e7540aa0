// Learn mode's routes: pending and past approvals, deciding one, and the mode per scope.
// Behind the token like all of /api; POSTs also pass the same-origin guard (CSRF).

import type { Hono } from 'hono';
import { z } from 'zod';
import type { HumanDecision } from '../learn/learn-mode.js';
import { wordDiff } from '../learn/word-diff.js';
import type { ApprovalRecord, ModeScope } from '../store/approval-store.js';
import type { ApprovalView, Mode, ModesView } from '../contracts/learn.js';

export interface LearnApi {
  list(status: 'pending' | 'all'): ApprovalRecord[];
  decide(id: string, d: HumanDecision): ApprovalRecord | 'not_found' | 'decided';
  modes(): ModesView;
  setMode(scope: ModeScope, target: string | null, mode: Mode): void;
  /** A project named by id, name or working directory (modes.ts resolveProject). */
  resolveProject(input: string): { id: string } | { error: string };
  sessionExists(id: string): boolean;
}

/** Longer than any session id a client sends (Codex: a UUID; kx: `fp-` and 24 hex). */
const MAX_SESSION_ID = 200;

export function approvalView(a: ApprovalRecord): ApprovalView {
  return {
    id: a.id,
    sessionId: a.sessionId,
    project: a.project,
    original: a.original,
    rewrite: a.rewrite,
    diff: a.rewrite === null ? [] : wordDiff(a.original, a.rewrite),
    gaps: a.gaps,
    snippets: a.snippets,
    reason: a.reason,
    context: a.context,
    status: a.decision,
    created: a.createdAt,
    decidedAt: a.decidedAt,
    finalText: a.finalText,
  };
}

const DecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('edit'), text: z.string().min(1, 'an edit needs the text to send') }),
  z.object({ decision: z.literal('reject') }),
]);

const ModeBody = z
  .object({ mode: z.enum(['capture', 'learn']), project: z.string().min(1).optional(), session: z.string().min(1).optional() })
  .refine((b) => !(b.project && b.session), 'give a project or a session, not both');

const badRequest = (message: string) => ({ error: { message, type: 'invalid_request' } });

export function registerLearnRoutes(app: Hono, learn: LearnApi): void {
  app.get('/api/approvals', (c) => {
    const status = c.req.query('status') ?? 'pending';
    if (status !== 'pending' && status !== 'all') return c.json(badRequest('status must be pending or all'), 400);
    return c.json({ approvals: learn.list(status).map(approvalView) });
  });

  app.post('/api/approvals/:id', async (c) => {
    const parsed = DecisionBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(badRequest(parsed.error.issues[0]?.message ?? 'expected {decision: accept|edit|reject, text?}'), 400);
    const out = learn.decide(c.req.param('id'), parsed.data);
    if (out === 'not_found') return c.json({ error: { message: 'no such approval', type: 'not_found' } }, 404);
    if (out === 'decided') return c.json({ error: { message: 'this turn was already decided', type: 'conflict' } }, 409);
    return c.json(approvalView(out));
  });

  app.get('/api/mode', (c) => c.json(learn.modes()));
  app.post('/api/mode', async (c) => {
    const parsed = ModeBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(badRequest(parsed.error.issues[0]?.message ?? 'expected {mode: capture|learn, project?, session?}'), 400);
    const { mode, project, session } = parsed.data;
    if (session !== undefined) {
      if (session.length > MAX_SESSION_ID) return c.json(badRequest(`a session id is at most ${MAX_SESSION_ID} characters`), 400);
      if (!learn.sessionExists(session)) return c.json({ error: { message: `no session ${session}`, type: 'not_found' } }, 404);
      learn.setMode('session', session, mode);
    } else if (project !== undefined) {
      const resolved = learn.resolveProject(project);
      if ('error' in resolved) return c.json({ error: { message: resolved.error, type: 'not_found' } }, 404);
      learn.setMode('project', resolved.id, mode);
    } else learn.setMode('global', null, mode);
    return c.json(learn.modes());
  });
}
