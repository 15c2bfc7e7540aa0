// Learn mode's routes: pending and past approvals, deciding one, and the mode per scope.
// Behind the token like all of /api; POSTs also pass the same-origin guard (CSRF).

import type { Hono } from 'hono';
import type { z } from 'zod';
import type { HumanDecision } from '../learn/approval-desk.js';
import { wordDiff } from '../learn/word-diff.js';
import type { ApprovalRecord } from '../store/approval-store.js';
import { decisionBody, modeBody, type ApprovalView, type Mode, type ModeScope, type ModesView } from '../contracts/learn.js';
import { apiError, jsonBody } from './api-error.js';

export interface LearnApi {
  list(status: 'pending' | 'all'): ApprovalRecord[];
  decide(id: string, d: HumanDecision): ApprovalRecord | 'not_found' | 'decided';
  /** When a waiting turn times out (its original is then sent). */
  expiresAt?(id: string): string | undefined;
  modes(): ModesView;
  setMode(scope: ModeScope, target: string | null, mode: Mode): void;
  /** A project named by id, name or working directory (modes.ts resolveProject). */
  resolveProject(input: string): { id: string } | { error: string };
  /** A session named by id or a unique start of one (modes.ts resolveSession). */
  resolveSession(input: string): { id: string } | { error: string };
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

/** The first issue is the one a person fixes first; zod's messages here are written for people. */
const firstIssue = (fallback: string) => (error: z.ZodError) => error.issues[0]?.message ?? fallback;
const badRequest = (message: string) => apiError('invalid_request_error', message);

export function registerLearnRoutes(app: Hono, learn: LearnApi): void {
  app.get('/api/approvals', (c) => {
    const status = c.req.query('status') ?? 'pending';
    if (status !== 'pending' && status !== 'all') return c.json(badRequest('status must be pending or all'), 400);
    return c.json({
      approvals: learn.list(status).map((a) => {
        const expiresAt = a.decision === 'pending' ? learn.expiresAt?.(a.id) : undefined;
        return expiresAt ? { ...approvalView(a), expiresAt } : approvalView(a);
      }),
    });
  });

  app.post('/api/approvals/:id', jsonBody(decisionBody, firstIssue('expected {decision: accept|edit|reject, text?}')), (c) => {
    const out = learn.decide(c.req.param('id'), c.req.valid('json'));
    if (out === 'not_found') return c.json(apiError('not_found', 'no such approval'), 404);
    if (out === 'decided') return c.json(apiError('conflict', 'this turn was already decided'), 409);
    return c.json(approvalView(out));
  });

  app.get('/api/mode', (c) => c.json(learn.modes()));
  app.post('/api/mode', jsonBody(modeBody, firstIssue('expected {mode: capture|learn, project?, session?}')), (c) => {
    const { mode, project, session } = c.req.valid('json');
    if (session !== undefined) {
      if (session.length > MAX_SESSION_ID) return c.json(badRequest(`a session id is at most ${MAX_SESSION_ID} characters`), 400);
      const resolved = learn.resolveSession(session);
      if ('error' in resolved) return c.json(apiError('not_found', resolved.error), 404);
      learn.setMode('session', resolved.id, mode);
    } else if (project !== undefined) {
      const resolved = learn.resolveProject(project);
      if ('error' in resolved) return c.json(apiError('not_found', resolved.error), 404);
      learn.setMode('project', resolved.id, mode);
    } else learn.setMode('global', null, mode);
    return c.json(learn.modes());
  });
}
