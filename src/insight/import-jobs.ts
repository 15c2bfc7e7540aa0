// What `kx import codex` hands the insight engine: the engine's own commit hook for the import's
// store (each imported turn that ended gets its job in the same transaction, and the session its
// project), and a summary job per imported session. The running kx's engine picks the jobs up from
// SQLite (or the next `kx start` does): the import itself never calls a model. It counts what it
// queued and what those calls will roughly send, so the person is told before any runs.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from '../store/checked-rows.js';
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

/** `queue` false (`--no-insight`) still places sessions in their projects but queues nothing. */
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
      if (effective === 'off' || session.newTurnIds.length === 0) return;
      const lastSeq = oneRow(z.number().nullable(), 'turn seq', db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck(), session.sessionId) ?? 0;
      // The same subject as `kx end` after the same turns: a later end with nothing new adds no second summary.
      if (lastSeq > 0 && createJob(db, 'session', `${session.sessionId}:${lastSeq}`, session.sessionId).created) {
        queued.sessions++;
        queued.inputTokens += cost.session(lastSeq);
      }
    },
    queued: () => ({ ...queued }),
  };
}
