// What comes from the team lands in the local store: every record is kept in team_received (who made it,
// when), gaps join the project's gaps (so learn mode, injection, the console and MCP see them), and notes
// and summaries reach the search index through the insight engine's own indexing (`index`). A newer local
// change to a gap wins over an older one from the team; a tombstone removes what the record had added.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from '../store/checked-rows.js';
import { GAP_STAMP, markGap } from './outbox.js';
import { localProjectFor } from './project-key.js';
import { GapData, type TeamRecord } from './records.js';

/**
 * Indexes (or, for a tombstone, empties) a note's or summary's search documents; kx's worker gives the insight
 * engine's. Returns why a record was refused (its content did not parse), else undefined.
 */
export type IndexTeamRecord = (r: { kind: 'note' | 'summary'; localId: string; sessionId: string | null; project: string; data: unknown; deleted: boolean }) => string | undefined;

/** Told of each record refused as malformed: it is kept in team_received but adds nothing else. */
export type Refused = (r: TeamRecord, why: string) => void;

const KEEP_RECEIVED = `
  INSERT INTO team_received (machine_id, kind, local_id, team_key, project, author, session_id, data, deleted, changed_at, changed_by, received_at)
  VALUES (@machine, @kind, @localId, @key, @project, @author, @session, @data, @deleted, @changedAt, @changedBy, @now)
  ON CONFLICT (machine_id, kind, local_id) DO UPDATE SET team_key = excluded.team_key, project = excluded.project, session_id = excluded.session_id,
    data = excluded.data, deleted = excluded.deleted, changed_at = excluded.changed_at, changed_by = excluded.changed_by, received_at = excluded.received_at`;

// Statements prepared once per connection: a pull applies thousands of records a second under load.
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.prepare(sql)));
  return st;
}

function keepReceived(db: Database.Database, r: TeamRecord, project: string, now: string): void {
  statement(db, KEEP_RECEIVED).run({
    machine: r.machine_id, kind: r.kind, localId: r.local_id, key: r.project_key, project, author: r.author, session: r.session_id,
    data: JSON.stringify(r.data ?? null), deleted: r.deleted ? 1 : 0, changedAt: r.changed_at.toISOString(), changedBy: r.changed_by, now,
  });
}

const GAP_UPSERT = `
  INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
    last_seen_session_id, last_seen_turn_id, last_seen_at, resolved_how, resolved_by, resolved_note, resolved_at)
  VALUES (@id, @project, @topic, @question, @evidence, @status, @timesSeen, @firstSession, @firstTurn, @firstAt,
    @lastSession, @lastTurn, @lastAt, @how, @by, @note, @resolvedAt)
  ON CONFLICT(id) DO UPDATE SET status = excluded.status, times_seen = MAX(gaps.times_seen, excluded.times_seen),
    last_seen_session_id = excluded.last_seen_session_id, last_seen_turn_id = excluded.last_seen_turn_id, last_seen_at = MAX(gaps.last_seen_at, excluded.last_seen_at),
    resolved_how = excluded.resolved_how, resolved_by = excluded.resolved_by, resolved_note = excluded.resolved_note, resolved_at = excluded.resolved_at,
    resolved_turn_id = CASE WHEN excluded.status = 'resolved' THEN gaps.resolved_turn_id ELSE NULL END`;

/** The time of a local gap's latest change: a team record older than it loses (last writer wins). */
function localChangeAt(db: Database.Database, id: string): string | undefined {
  return oneRow(z.string().nullable(), 'gap time', db.prepare(`SELECT MAX(last_seen_at, COALESCE(resolved_at, '')) FROM gaps WHERE id = ?`).pluck(), id) ?? undefined;
}

/** A gap the pull changed, for the live events the console and learn mode listen to. */
export interface GapChange {
  gapId: string;
  project: string;
  status: 'open' | 'resolved';
}

function applyGap(db: Database.Database, r: TeamRecord, project: string, changed: GapChange[]): string | undefined {
  const id = r.local_id;
  if (r.deleted) {
    db.prepare(`DELETE FROM gaps WHERE id = ?`).run(id);
    db.prepare(`DELETE FROM team_gap_marks WHERE gap_id = ?`).run(id);
    return undefined;
  }
  const parsed = GapData.safeParse(r.data);
  if (!parsed.success) return `a malformed gap: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`;
  const local = localChangeAt(db, id);
  if (local && local > r.changed_at.toISOString()) return undefined;
  const g = parsed.data;
  db.prepare(GAP_UPSERT).run({
    id, project, topic: g.topic, question: g.question, evidence: g.evidence, status: g.status, timesSeen: g.timesSeen,
    firstSession: g.firstSeen.sessionId, firstTurn: g.firstSeen.turnId, firstAt: g.firstSeen.at,
    lastSession: g.lastSeen.sessionId, lastTurn: g.lastSeen.turnId, lastAt: g.lastSeen.at,
    how: g.resolved?.how ?? null, by: g.resolved?.by ?? null, note: g.resolved?.note ?? null, resolvedAt: g.resolved?.at ?? null,
  });
  // What came from the team is not a local change: it must not be sent back.
  markGap(db, id, oneRow(z.string(), 'gap stamp', db.prepare(`SELECT ${GAP_STAMP} FROM gaps WHERE id = ?`).pluck(), id) ?? '');
  changed.push({ gapId: id, project, status: g.status });
  return undefined;
}

/** Applies one pulled page in one transaction, with the cursor it reaches: all of it lands, or none. Returns the gaps it changed. */
export function applyPage(db: Database.Database, records: TeamRecord[], cursor: number, index: IndexTeamRecord, refused: Refused, now = new Date().toISOString()): GapChange[] {
  const projects = new Map<string, string>();
  const changed: GapChange[] = [];
  db.transaction(() => {
    for (const r of records) {
      let project = projects.get(r.project_key);
      if (project === undefined) projects.set(r.project_key, (project = localProjectFor(db, r.project_key, now)));
      keepReceived(db, r, project, now);
      const why = r.kind === 'gap' ? applyGap(db, r, project, changed) : index({ kind: r.kind, localId: r.local_id, sessionId: r.session_id, project, data: r.data, deleted: r.deleted });
      if (why) refused(r, why);
    }
    statement(db, `INSERT INTO team_state (key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(cursor));
  })();
  return changed;
}

export function pullCursor(db: Database.Database): number {
  return Number(oneRow(z.string(), 'team cursor', db.prepare(`SELECT value FROM team_state WHERE key = 'cursor'`).pluck()) ?? 0);
}
