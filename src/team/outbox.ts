// The outbox: what waits to leave for the team database, written in the same SQLite transaction as the
// insight it carries (so a crash can lose neither), by the insight engine's worker. Nothing is queued
// while team memory is off or for a project whose sharing is off.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows } from '../store/checked-rows.js';

export type OutboxKind = 'note' | 'gap' | 'summary';

export interface OutboxEntry {
  kind: OutboxKind;
  localId: string;
  project: string;
  sessionId?: string | null;
  /** A note's or summary's content as it landed; a gap's is read from `gaps` when it is sent. */
  payload?: unknown;
}

const outboxRow = z.object({
  seq: z.number(),
  kind: z.enum(['note', 'gap', 'summary']),
  localId: z.string(),
  project: z.string(),
  sessionId: z.string().nullable(),
  payload: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboxRow = z.infer<typeof outboxRow>;

const ENABLED = `EXISTS (SELECT 1 FROM team_state WHERE key = 'enabled' AND value = '1')`;
const SHARED = `NOT EXISTS (SELECT 1 FROM team_projects WHERE project = @project AND sharing = 0)`;

/** Queues an entry, inside the caller's transaction; a no-op when team memory or the project's sharing is off. */
export function enqueue(db: Database.Database, e: OutboxEntry, now = new Date().toISOString()): void {
  db.prepare(
    `INSERT INTO team_outbox (kind, local_id, project, session_id, payload, created_at)
     SELECT @kind, @localId, @project, @sessionId, @payload, @now WHERE ${ENABLED} AND ${SHARED}`,
  ).run({ kind: e.kind, localId: e.localId, project: e.project, sessionId: e.sessionId ?? null, payload: e.payload === undefined ? null : JSON.stringify(e.payload), now });
}

/** What identifies a gap's state: a change to any of these is a change the team must hear of. */
export const GAP_STAMP = `status || '|' || times_seen || '|' || last_seen_at || '|' || COALESCE(resolved_at, '') || '|' || COALESCE(resolved_by, '')`;

/** Queues a gap's current state and notes it as queued, so the scan for a person's changes does not queue it again. */
export function enqueueGap(db: Database.Database, gapId: string): void {
  const row = db.prepare(`SELECT project, last_seen_session_id AS sessionId, ${GAP_STAMP} AS stamp FROM gaps WHERE id = ?`).get(gapId) as
    | { project: string; sessionId: string; stamp: string }
    | undefined;
  if (!row) return;
  enqueue(db, { kind: 'gap', localId: gapId, project: row.project, sessionId: row.sessionId });
  markGap(db, gapId, row.stamp);
}

export function markGap(db: Database.Database, gapId: string, stamp: string): void {
  db.prepare(`INSERT INTO team_gap_marks (gap_id, stamp) VALUES (?, ?) ON CONFLICT(gap_id) DO UPDATE SET stamp = excluded.stamp`).run(gapId, stamp);
}

/**
 * Gaps changed since they were last queued, by a person (the console or `kx gaps`, on kx's main thread) or
 * by anything else that did not queue them: queued now, by the worker, in one transaction.
 */
export function enqueueChangedGaps(db: Database.Database, limit = 500): number {
  return db.transaction(() => {
    const sql = `SELECT g.id FROM gaps g LEFT JOIN team_gap_marks m ON m.gap_id = g.id
      WHERE m.stamp IS NULL OR m.stamp <> (${GAP_STAMP.replace(/\b(status|times_seen|last_seen_at|resolved_at|resolved_by)\b/g, 'g.$1')}) LIMIT ?`;
    const ids = allRows(z.string(), 'gap id', db.prepare(sql).pluck(), limit);
    if (!ids.length || !db.prepare(`SELECT 1 FROM team_state WHERE key = 'enabled' AND value = '1'`).get()) return 0;
    for (const id of ids) enqueueGap(db, id);
    return ids.length;
  })();
}

/** Marks every gap as sent in its current state (see joinOnce in team-state.ts). */
export function markAllGaps(db: Database.Database): void {
  db.prepare(`INSERT INTO team_gap_marks (gap_id, stamp) SELECT id, ${GAP_STAMP} FROM gaps WHERE true ON CONFLICT(gap_id) DO UPDATE SET stamp = excluded.stamp`).run();
}

export function outboxPage(db: Database.Database, limit: number): OutboxRow[] {
  const sql = `SELECT seq, kind, local_id AS localId, project, session_id AS sessionId, payload, created_at AS createdAt FROM team_outbox ORDER BY seq LIMIT ?`;
  return allRows(outboxRow, 'outbox entry', db.prepare(sql), limit);
}

export function outboxDone(db: Database.Database, upToSeq: number): void {
  db.prepare(`DELETE FROM team_outbox WHERE seq <= ?`).run(upToSeq);
}
