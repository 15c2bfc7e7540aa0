// learn mode's rows: approvals (one per held or considered human turn), the mode per scope, and
// the context injected at a session's start. Small synchronous writes, off the forwarding path.

import type Database from 'better-sqlite3';
import type { ApprovalStatus, Mode, ModeScope } from '../contracts/learn.js';

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

type Row = Record<string, unknown>;

function fromRow(r: Row): ApprovalRecord {
  return {
    id: r.id as string,
    sessionId: r.session_id as string,
    project: (r.project as string | null) ?? null,
    turnKey: r.turn_key as string,
    ordinal: r.ordinal as number,
    originalHash: r.original_hash as string,
    clientTurnId: (r.client_turn_id as string | null) ?? null,
    transport: r.transport as 'http' | 'ws',
    original: r.original as string,
    rewrite: (r.rewrite as string | null) ?? null,
    finalText: (r.final_text as string | null) ?? null,
    decision: r.decision as ApprovalStatus,
    reason: (r.reason as string | null) ?? null,
    gaps: JSON.parse(r.gaps as string) as ApprovalRecord['gaps'],
    snippets: JSON.parse(r.snippets as string) as ApprovalRecord['snippets'],
    context: (r.context as string | null | undefined) ?? null,
    createdAt: r.created_at as string,
    decidedAt: (r.decided_at as string | null) ?? null,
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
    const r = this.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  list(status: 'pending' | 'all', limit = 200): ApprovalRecord[] {
    const sql =
      status === 'pending'
        ? `SELECT * FROM approvals WHERE decision = 'pending' ORDER BY created_at, id`
        : `SELECT * FROM approvals ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`;
    return (this.db.prepare(sql).all() as Row[]).map(fromRow);
  }

  /** The settled decision of a turn already considered (a retry must not be held again). */
  decidedTurn(turnKey: string): ApprovalRecord | undefined {
    const r = this.db
      .prepare(`SELECT * FROM approvals WHERE turn_key = ? AND decision NOT IN ('pending', 'cancelled') ORDER BY created_at DESC LIMIT 1`)
      .get(turnKey) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Rewrites that went upstream, to re-apply on every later request of their session. */
  appliedRewrites(): ApprovalRecord[] {
    return (this.db.prepare(`SELECT * FROM approvals WHERE decision IN ('accepted', 'edited') ORDER BY created_at`).all() as Row[]).map(fromRow);
  }

  /** Approvals a stop left pending: nobody can answer them any more. */
  cancelPending(at: string): number {
    return this.db.prepare(`UPDATE approvals SET decision = 'cancelled', decided_at = ? WHERE decision = 'pending'`).run(at).changes;
  }

  modes(): { scope: ModeScope; target: string; mode: Mode }[] {
    return this.db.prepare('SELECT scope, target, mode FROM learn_modes').all() as { scope: ModeScope; target: string; mode: Mode }[];
  }

  setMode(scope: ModeScope, target: string, mode: Mode, at: string): void {
    this.db
      .prepare(`INSERT INTO learn_modes (scope, target, mode, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(scope, target) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`)
      .run(scope, target, mode, at);
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
