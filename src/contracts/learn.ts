// Learn mode's answers and requests: approvals and the mode per scope. Produced by src/learn/, sent by
// src/api/learn-routes.ts, read by the console and `kx approve`.

import { z } from 'zod';

const nullableString = z.string().nullable();

export const approvalStatus = z.enum(['pending', 'accepted', 'edited', 'rejected', 'timed_out', 'nothing_to_add', 'failed', 'cancelled', 'released']);
export type ApprovalStatus = z.infer<typeof approvalStatus>;
export const mode = z.enum(['capture', 'learn']);
export type Mode = z.infer<typeof mode>;
export const modeScope = z.enum(['global', 'project', 'session']);
export type ModeScope = z.infer<typeof modeScope>;

/** One step of a word-level diff between the original and the rewrite. */
export const diffOp = z.object({ op: z.enum(['same', 'add', 'del']), text: z.string() });
export type DiffOp = z.infer<typeof diffOp>;

export const approvalView = z.object({
  id: z.string(),
  sessionId: z.string(),
  project: nullableString,
  original: z.string(),
  rewrite: nullableString,
  diff: z.array(diffOp),
  gaps: z.array(z.object({ gapId: z.string(), topic: z.string() })),
  snippets: z.array(z.object({ ref: z.string(), text: z.string() })),
  /** The model's one sentence on what it added, or why the rewrite failed. */
  reason: nullableString,
  /** The context from earlier sessions (KX_INJECT=first-turn) that goes with this message if approved; sent before it. */
  context: nullableString,
  status: approvalStatus,
  created: z.string(),
  /** A waiting turn: when it times out and the original is sent. */
  expiresAt: z.string().optional(),
  decidedAt: nullableString,
  finalText: nullableString,
});
export type ApprovalView = z.infer<typeof approvalView>;

/** GET /api/approvals?status=pending|all */
export const approvalList = z.object({ approvals: z.array(approvalView) });

/** POST /api/approvals/:id */
export const decisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('edit'), text: z.string().min(1, 'an edit needs the text to send') }),
  z.object({ decision: z.literal('reject') }),
]);
export type DecisionBody = z.infer<typeof decisionBody>;

/** GET /api/mode, and the answer to POST /api/mode */
export const modesView = z.object({ global: mode, projects: z.record(mode), sessions: z.record(mode) });
export type ModesView = z.infer<typeof modesView>;

/** POST /api/mode */
export const modeBody = z
  .object({ mode, project: z.string().min(1).optional(), session: z.string().min(1).optional() })
  .refine((b) => !(b.project && b.session), 'give a project or a session, not both');
export type ModeBody = z.infer<typeof modeBody>;
