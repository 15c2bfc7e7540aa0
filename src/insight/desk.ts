// What a person (or the API) asks of the insight engine, answered at once on the caller's thread:
// end a session, resolve or reopen a gap, the engine's status. Each is a small SQLite write; the
// pages they change are rebuilt wherever the engine runs, through `pagesChanged`.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import type { InsightStatusView, SessionEndView } from '../contracts/insight.js';
import type { InsightSettings } from '../config/config.js';
import type { LiveEvents } from '../store/live-events.js';
import { InsightReader } from './insight-reader.js';
import { createJob, jobEvent, JobQueue } from './jobs.js';
import { projectProfile } from './pages.js';

export interface PagesChange {
  sessionId?: string;
  projectId?: string;
}

export interface InsightDeskDeps {
  db: Database.Database;
  settings: Pick<InsightSettings, 'mode' | 'idleMinutes'>;
  live: LiveEvents;
  /** Why jobs wait when no credentials are known, for the status line. */
  waitingReason: string;
  /** A page must be rebuilt, and due jobs may have been created. */
  pagesChanged: (change: PagesChange) => void;
}

export class InsightDesk {
  readonly reader: InsightReader;
  readonly queue: JobQueue;

  constructor(private readonly d: InsightDeskDeps) {
    this.reader = new InsightReader(d.db);
    this.queue = new JobQueue(d.db);
  }

  get mode(): InsightSettings['mode'] {
    return this.d.settings.mode;
  }

  /**
   * `kx end`, POST /api/sessions/:id/end, or idle: marks the end and queues a summary of the turns so far.
   * `endedAt`: when it ended, if not now (an idle session ended at its last activity).
   */
  endSession(sessionId: string, endedAt = new Date().toISOString()): SessionEndView | undefined {
    const facts = this.reader.session(sessionId);
    if (!facts) return undefined;
    const lastSeq = oneRow(z.number().nullable(), 'turn seq', this.d.db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck(), sessionId) ?? 0;
    const jobId = this.d.db.transaction(() => {
      this.d.db.prepare(`UPDATE sessions SET ended_at = ? WHERE id = ?`).run(endedAt, sessionId);
      // One summary per state of the session: ending again after more turns writes a new version;
      // ending twice with nothing new does not.
      return this.mode === 'off' || lastSeq === 0 ? null : createJob(this.d.db, 'session', `${sessionId}:${lastSeq}`, sessionId).id;
    })();
    this.d.live.publish({ type: 'session', sessionId });
    const job = jobId ? this.queue.get(jobId) : undefined;
    if (job) this.d.live.publish(jobEvent(job));
    this.d.pagesChanged({ sessionId });
    return { sessionId, endedAt, summaryJobId: jobId };
  }

  /**
   * Sessions silent for KX_SESSION_IDLE_MINUTES that are not ended, or have turns not yet summarised,
   * are ended at their last activity (an imported session ends when it ended, not when kx saw it).
   */
  endIdleSessions(now = Date.now()): string[] {
    if (this.mode === 'off') return [];
    const cutoff = new Date(now - this.d.settings.idleMinutes * 60_000).toISOString();
    const sql = `SELECT id, lastActivityAt FROM (
        SELECT s.id, s.ended_at AS endedAt,
          (SELECT MAX(COALESCE(r.ended_at, r.started_at)) FROM requests r WHERE r.session_id = s.id) AS lastActivityAt,
          EXISTS (SELECT 1 FROM insight_jobs j WHERE j.kind = 'session'
            AND j.subject_id = s.id || ':' || (SELECT MAX(seq) FROM turns t WHERE t.session_id = s.id)) AS summarised
        FROM sessions s WHERE EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id))
      WHERE lastActivityAt < ? AND (endedAt IS NULL OR NOT summarised)`;
    const idle = allRows(z.object({ id: z.string(), lastActivityAt: z.string() }), 'idle session', this.d.db.prepare(sql), cutoff);
    for (const s of idle) this.endSession(s.id, s.lastActivityAt);
    return idle.map((s) => s.id);
  }

  /** The person marks a gap resolved (with a note) or reopens it. */
  setGapStatus(gapId: string, status: 'open' | 'resolved', note: string | undefined): boolean {
    const now = new Date().toISOString();
    const res =
      status === 'resolved'
        ? this.d.db
            .prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_note = ?, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = ? WHERE id = ?`)
            .run(note ?? null, now, gapId)
        : this.d.db
            .prepare(`UPDATE gaps SET status = 'open', resolved_by = NULL, resolved_note = NULL, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = NULL WHERE id = ?`)
            .run(gapId);
    if (res.changes === 0) return false;
    const gap = this.reader.gap(gapId)!;
    this.d.live.publish({ type: 'gap', gapId, project: gap.project, status: status === 'resolved' ? 'resolved' : 'reopened' });
    this.d.pagesChanged({ projectId: gap.project });
    return true;
  }

  /** The project's profile page and the facts it is made from. */
  profile(projectId: string): ReturnType<typeof projectProfile> {
    return projectProfile(this.reader, projectId);
  }

  status(): InsightStatusView {
    const queue = this.queue.counts();
    const today = new Date().toISOString().slice(0, 10);
    const waiting = queue.waiting_key
      ? (oneRow(z.string().nullable(), 'job error', this.d.db.prepare(`SELECT last_error FROM insight_jobs WHERE state = 'waiting_key' ORDER BY updated_at DESC LIMIT 1`).pluck()) ?? this.d.waitingReason)
      : null;
    return { mode: this.mode, queue, waitingReason: waiting, tokens: { today: this.queue.tokens(today), all: this.queue.tokens() } };
  }
}
