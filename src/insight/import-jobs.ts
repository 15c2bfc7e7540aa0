// What `kx import codex` hands the insight engine: the engine's own commit hook for the import's
// store (each imported turn that ended gets its job in the same transaction, and the session its
// project), and a summary job per imported session. The running kx's engine picks the jobs up from
// SQLite (or the next `kx start` does): the import itself never calls a model. It counts what it
// queued and what those calls will roughly send, so the person is told before any runs.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import type { InsightMode } from '../config/config.js';
import type { CommitEffects } from '../store/session-store.js';
import { insightCommitHook } from './commit-hook.js';
import type { JobCost } from './job-cost.js';
import { createJob } from './jobs.js';

export interface QueuedJobs {
  turns: number;
  sessions: number;
  /** The input tokens those calls will send, roughly (job-cost.ts). */
  inputTokens: number;
}

export interface ImportInsight {
  inTransaction: (effects: CommitEffects, db: Database.Database) => void;
  queueInsightsFor: (session: { sessionId: string; newTurnIds: readonly string[] }, db: Database.Database) => void;
  /** What this import has queued so far. */
  queued: () => QueuedJobs;
}

/**
 * The ended turns of an imported session that have no job: an earlier import left them out
 * (`--no-insight`, KX_INSIGHT=off). A session recorded live is not touched: its jobs are the engine's.
 */
function turnsLeftOut(db: Database.Database, sessionId: string): string[] {
  const stmt = db
    .prepare(
      `SELECT t.id FROM turns t JOIN sessions s ON s.id = t.session_id
       WHERE t.session_id = ? AND s.imported_from IS NOT NULL AND t.status <> 'open'
         AND NOT EXISTS (SELECT 1 FROM insight_jobs j WHERE j.kind = 'turn' AND j.subject_id = t.id)
       ORDER BY t.seq`,
    )
    .pluck();
  return allRows(z.string(), 'turn left out', stmt, sessionId);
}

const wasImported = (db: Database.Database, sessionId: string): boolean =>
  db.prepare(`SELECT 1 FROM sessions WHERE id = ? AND imported_from IS NOT NULL`).pluck().get(sessionId) !== undefined;

/**
 * `queue` false (`--no-insight`) still places sessions in their projects but queues nothing. An
 * import that queues gives an imported session what an earlier one left out, so a later import
 * without `--no-insight` undoes it.
 */
export function importInsight(mode: InsightMode, queue: boolean, cost: JobCost): ImportInsight {
  const effective: InsightMode = queue ? mode : 'off';
  const queued: QueuedJobs = { turns: 0, sessions: 0, inputTokens: 0 };
  return {
    // In the transaction that queues it, the turn's items are all in the store: its call is measured then.
    inTransaction: insightCommitHook(effective, (turnId, db) => {
      queued.turns++;
      queued.inputTokens += cost.turn(db, turnId);
    }),
    queueInsightsFor: (session, db) => {
      if (effective === 'off') return;
      if (session.newTurnIds.length === 0 && !wasImported(db, session.sessionId)) return;
      if (effective === 'turn') {
        for (const turnId of turnsLeftOut(db, session.sessionId)) {
          if (!createJob(db, 'turn', turnId, session.sessionId).created) continue;
          queued.turns++;
          queued.inputTokens += cost.turn(db, turnId);
        }
      }
      const lastSeq = oneRow(z.number().nullable(), 'turn seq', db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck(), session.sessionId) ?? 0;
      // The same subject as `kx end` after the same turns: a later end or import with nothing new adds no second summary.
      if (lastSeq > 0 && createJob(db, 'session', `${session.sessionId}:${lastSeq}`, session.sessionId).created) {
        queued.sessions++;
        queued.inputTokens += cost.session(lastSeq);
      }
    },
    queued: () => ({ ...queued }),
  };
}
