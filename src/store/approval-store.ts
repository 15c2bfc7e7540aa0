// learn mode's rows: approvals (one per held or considered human turn), the mode per scope, and
// the context injected at a session's start. Small synchronous writes, off the forwarding path.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { approvalStatus, mode as modeSchema, modeScope, type ApprovalStatus, type Mode, type ModeScope } from '../contracts/learn.js';
import { parseJson } from '../protocol/json-guards.js';
import { allRows, oneRow } from './checked-rows.js';

export interface ApprovalRecord {
  id: string;
  sessionId: string;
  project: string | null;
  turnKey: string;
  ordinal: number;
  originalHash: string;
  clientTurnId: string | null;
  transport: 'http' | 'ws';
  original: string;
  rewrite: string | null;
  finalText: string | null;
  decision: ApprovalStatus;
  reason: string | null;
  gaps: { gapId: string; topic: string }[];
  snippets: { ref: string; text: string }[];
  /** The context KX_INJECT=first-turn adds with this message (its first), shown on the card; sent only if approved. */
  context: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const text = z.string();
const maybeText = z.string().nullable();
const approvalRow = z.object({
  id: text,
  session_id: text,
  project: maybeText,
  turn_key: text,
  ordinal: z.number(),
  original_hash: text,
  client_turn_id: maybeText,
  transport: z.enum(['http', 'ws']),
  original: text,
  rewrite: maybeText,
  final_text: maybeText,
  decision: approvalStatus,
  reason: maybeText,
  gaps: text,
  snippets: text,
  context: maybeText.optional(),
  created_at: text,
  decided_at: maybeText,
});
// What the card cites; a list that does not read as one is shown as none, never as a wrong shape.
const citedGaps = z.array(z.object({ gapId: text, topic: text })).catch([]);
const citedSnippets = z.array(z.object({ ref: text, text })).catch([]);
const modeRow = z.object({ scope: modeScope, target: text, mode: modeSchema });

function fromRow(r: z.infer<typeof approvalRow>): ApprovalRecord {
  return {
    id: r.id,
    sessionId: r.session_id,
    project: r.project,
    turnKey: r.turn_key,
    ordinal: r.ordinal,
    originalHash: r.original_hash,
    clientTurnId: r.client_turn_id,
    transport: r.transport,
    original: r.original,
    rewrite: r.rewrite,
    finalText: r.final_text,
    decision: r.decision,
    reason: r.reason,
    gaps: citedGaps.parse(parseJson(r.gaps)),
    snippets: citedSnippets.parse(parseJson(r.snippets)),
    context: r.context ?? null,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

export class ApprovalStore {
  constructor(private readonly db: Database.Database) {}

  insert(a: ApprovalRecord): void {
    this.db
      .prepare(
        `INSERT INTO approvals (id, session_id, project, turn_key, ordinal, original_hash, client_turn_id, transport, original, rewrite,
           final_text, decision, reason, gaps, snippets, context, created_at, decided_at)
         VALUES (@id, @sessionId, @project, @turnKey, @ordinal, @originalHash, @clientTurnId, @transport, @original, @rewrite,
           @finalText, @decision, @reason, @gaps, @snippets, @context, @createdAt, @decidedAt)`,
      )
      .run({ ...a, gaps: JSON.stringify(a.gaps), snippets: JSON.stringify(a.snippets) });
  }

  /** Settles a pending approval; false when it was already decided. */
  settle(id: string, decision: ApprovalStatus, finalText: string | null, decidedAt: string, reason?: string): boolean {
    const r = this.db
      .prepare(
        `UPDATE approvals SET decision = @decision, final_text = @finalText, decided_at = @decidedAt, reason = COALESCE(@reason, reason)
         WHERE id = @id AND decision = 'pending'`,
      )
      .run({ id, decision, finalText, decidedAt, reason: reason ?? null });
    return r.changes === 1;
  }

  get(id: string): ApprovalRecord | undefined {
    const r = oneRow(approvalRow, 'approval', this.db.prepare('SELECT * FROM approvals WHERE id = ?'), id);
    return r ? fromRow(r) : undefined;
  }

  list(status: 'pending' | 'all', limit = 200): ApprovalRecord[] {
    const sql =
      status === 'pending'
        ? `SELECT * FROM approvals WHERE decision = 'pending' ORDER BY created_at, id`
        : `SELECT * FROM approvals ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`;
    return allRows(approvalRow, 'approval', this.db.prepare(sql)).map(fromRow);
  }

  /** The settled decision of a turn already considered (a retry must not be held again). */
  decidedTurn(turnKey: string): ApprovalRecord | undefined {
    const sql = `SELECT * FROM approvals WHERE turn_key = ? AND decision NOT IN ('pending', 'cancelled') ORDER BY created_at DESC LIMIT 1`;
    const r = oneRow(approvalRow, 'approval', this.db.prepare(sql), turnKey);
    return r ? fromRow(r) : undefined;
  }

  /** Rewrites that went upstream, to re-apply on every later request of their session. */
  appliedRewrites(): ApprovalRecord[] {
    return allRows(approvalRow, 'approval', this.db.prepare(`SELECT * FROM approvals WHERE decision IN ('accepted', 'edited') ORDER BY created_at`)).map(fromRow);
  }

  /** Approvals a stop left pending: nobody can answer them any more. */
  cancelPending(at: string): number {
    return this.db.prepare(`UPDATE approvals SET decision = 'cancelled', decided_at = ? WHERE decision = 'pending'`).run(at).changes;
  }

  modes(): { scope: ModeScope; target: string; mode: Mode }[] {
    return allRows(modeRow, 'learn mode', this.db.prepare('SELECT scope, target, mode FROM learn_modes'));
  }

  setMode(scope: ModeScope, target: string, mode: Mode, at: string): void {
    this.db
      .prepare(`INSERT INTO learn_modes (scope, target, mode, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(scope, target) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`)
      .run(scope, target, mode, at);
  }

  clearMode(scope: ModeScope, target: string): void {
    this.db.prepare(`DELETE FROM learn_modes WHERE scope = ? AND target = ?`).run(scope, target);
  }

  recordInjection(sessionId: string, project: string | null, text: string, tokens: number, at: string): boolean {
    return this.db.prepare(`INSERT INTO context_injections (session_id, project, text, tokens, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(sessionId, project, text, tokens, at).changes === 1;
  }

  injection(sessionId: string): { text: string; tokens: number; createdAt: string } | undefined {
    return this.db.prepare('SELECT text, tokens, created_at AS createdAt FROM context_injections WHERE session_id = ?').get(sessionId) as
      | { text: string; tokens: number; createdAt: string }
      | undefined;
  }
}
