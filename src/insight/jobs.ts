// The durable insight queue: one row per job in SQLite, so a job survives a crash and is never run
// twice (UNIQUE(kind, subject_id); a result lands in the same transaction that marks its job done).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { jobKind, jobState, type JobKind, type JobState } from '../contracts/insight.js';
import { allRows, oneRow } from '../store/checked-rows.js';
import { newId } from '../capture/ids.js';
import type { LiveEvent } from '../contracts/live-events.js';

const jobRow = z.object({
  id: z.string(),
  kind: jobKind,
  subjectId: z.string(),
  sessionId: z.string().nullable(),
  state: jobState,
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
});
export type Job = z.infer<typeof jobRow>;
const stateCount = z.object({ state: jobState, n: z.number() });
const tokensRow = z.object({ input: z.number(), output: z.number() });

/** What the console and `kx start` are told when a job changes state. */
export function jobEvent(job: Pick<Job, 'kind' | 'subjectId' | 'sessionId' | 'state'>): LiveEvent {
  return { type: 'insight', sessionId: job.sessionId, turnId: job.kind === 'turn' ? job.subjectId : null, jobKind: job.kind, state: job.state };
}

export const POISON_REASON = 'the job was running when the insight worker crashed twice in a row; it is not run again (a poison job)';

const JOB_COLUMNS = `id, kind, subject_id AS subjectId, session_id AS sessionId, state, attempts, next_attempt_at AS nextAttemptAt,
  last_error AS lastError, input_tokens AS inputTokens, output_tokens AS outputTokens`;

// Prepared once per database: a turn's job is made inside the capture commit, on the forwarding thread.
const jobStatements = new WeakMap<Database.Database, { insert: Database.Statement; find: Database.Statement }>();

function statementsOf(db: Database.Database): { insert: Database.Statement; find: Database.Statement } {
  let s = jobStatements.get(db);
  if (!s) {
    s = {
      insert: db.prepare(
        `INSERT INTO insight_jobs (id, kind, subject_id, session_id, state, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (kind, subject_id) DO NOTHING`,
      ),
      find: db.prepare(`SELECT id FROM insight_jobs WHERE kind = ? AND subject_id = ?`).pluck(),
    };
    jobStatements.set(db, s);
  }
  return s;
}

/** Creates a job unless one exists for the subject; returns the id of the job for it either way. */
export function createJob(db: Database.Database, kind: JobKind, subjectId: string, sessionId: string | null, now = new Date().toISOString()): { id: string; created: boolean } {
  const id = newId('j');
  const s = statementsOf(db);
  const res = s.insert.run(id, kind, subjectId, sessionId, now, now, now);
  if (res.changes > 0) return { id, created: true };
  const existing = oneRow(z.string(), 'job id', s.find, kind, subjectId);
  return { id: existing ?? id, created: false };
}

export class JobQueue {
  constructor(private readonly db: Database.Database) {}

  /**
   * After the insight worker itself crashed (kx still running), for the jobs it was running. Once, a
   * job runs again (its result had not landed, or it would be done). A job that was running at two
   * crashes of the worker in a row is the likeliest cause of both: it is failed, visibly, so that it
   * cannot end the worker a third time.
   */
  recoverAfterWorkerCrash(): { requeued: number; poisoned: string[] } {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const poisoned = allRows(z.string(), 'job id', this.db.prepare(`SELECT id FROM insight_jobs WHERE state = 'running' AND interrupted >= 1`).pluck());
      this.db
        .prepare(`UPDATE insight_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE state = 'running' AND interrupted >= 1`)
        .run(POISON_REASON, now);
      const requeued = this.db.prepare(`UPDATE insight_jobs SET state = 'queued', interrupted = interrupted + 1, updated_at = ? WHERE state = 'running'`).run(now).changes;
      return { requeued, poisoned };
    })();
  }

  /**
   * At start, for jobs a stop of kx left running: a closed terminal, a double Ctrl-C, `kill -9`, a
   * power cut. The job did not end kx, so it runs again and nothing counts against it.
   */
  requeueAfterStop(): number {
    return this.db.prepare(`UPDATE insight_jobs SET state = 'queued', updated_at = ? WHERE state = 'running'`).run(new Date().toISOString()).changes;
  }

  /** kx is stopping on purpose: the job goes back to the queue as if it had not been claimed. */
  release(id: string): void {
    this.db.prepare(`UPDATE insight_jobs SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND state = 'running'`).run(new Date().toISOString(), id);
  }

  /** The host ended a worker stuck on this job: it fails, and is not run again. */
  failStalled(id: string, error: string): void {
    this.db.prepare(`UPDATE insight_jobs SET state = 'failed', interrupted = 0, last_error = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(error, new Date().toISOString(), id);
  }

  /** The host ended a worker: the jobs it was running go back to the queue, not counted as a crash. */
  releaseAllRunning(): number {
    return this.db
      .prepare(`UPDATE insight_jobs SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ? WHERE state = 'running' AND kind IN ('turn', 'session')`)
      .run(new Date().toISOString()).changes;
  }

  get(id: string): Job | undefined {
    return oneRow(jobRow, 'job', this.db.prepare(`SELECT ${JOB_COLUMNS} FROM insight_jobs WHERE id = ?`), id);
  }

  /**
   * Due queued turn and session jobs, oldest first (`import` jobs belong to the importer). A summary
   * waits until its session's turn jobs have settled, so it is written from their notes.
   */
  due(limit: number, now = new Date().toISOString()): Job[] {
    const sql = `SELECT ${JOB_COLUMNS} FROM insight_jobs j WHERE state = 'queued' AND kind IN ('turn', 'session') AND next_attempt_at <= ?
        AND NOT (kind = 'session' AND EXISTS (SELECT 1 FROM insight_jobs t WHERE t.kind = 'turn' AND t.session_id = j.session_id
          AND t.state IN ('queued', 'running')))
      ORDER BY next_attempt_at, created_at LIMIT ?`;
    return allRows(jobRow, 'job', this.db.prepare(sql), now, limit);
  }

  /** The earliest time a queued job becomes due, to sleep until then. */
  nextDueAt(): string | undefined {
    // The same filter as `due`: a summary waiting for its session's turn jobs is woken by their end, not by the clock.
    const sql = `SELECT MIN(next_attempt_at) FROM insight_jobs j WHERE state = 'queued' AND kind IN ('turn', 'session')
        AND NOT (kind = 'session' AND EXISTS (SELECT 1 FROM insight_jobs t WHERE t.kind = 'turn' AND t.session_id = j.session_id
          AND t.state IN ('queued', 'running')))`;
    return oneRow(z.string().nullable(), 'due time', this.db.prepare(sql).pluck()) ?? undefined;
  }

  /** queued → running; false when another worker took it or it is no longer queued. */
  claim(id: string): boolean {
    const now = new Date().toISOString();
    return this.db.prepare(`UPDATE insight_jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'`).run(now, id).changes === 1;
  }

  retryLater(id: string, error: string, delayMs: number, tokens: { input: number; output: number }): void {
    const now = Date.now();
    this.db
      .prepare(
        `UPDATE insight_jobs SET state = 'queued', interrupted = 0, last_error = ?, next_attempt_at = ?, updated_at = ?,
           input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ? AND state = 'running'`,
      )
      .run(error, new Date(now + delayMs).toISOString(), new Date(now).toISOString(), tokens.input, tokens.output, id);
  }

  fail(id: string, error: string, tokens: { input: number; output: number }): void {
    this.db
      .prepare(
        `UPDATE insight_jobs SET state = 'failed', interrupted = 0, last_error = ?, updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?
         WHERE id = ? AND state = 'running'`,
      )
      .run(error, new Date().toISOString(), tokens.input, tokens.output, id);
  }

  /** No credentials: the job waits, visibly, and is queued again when some arrive. */
  waitForKey(id: string, reason: string): void {
    this.db.prepare(`UPDATE insight_jobs SET state = 'waiting_key', interrupted = 0, last_error = ?, attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND state = 'running'`).run(reason, new Date().toISOString(), id);
  }

  /** Credentials arrived: every waiting job is queued again. */
  wakeWaiting(): number {
    const now = new Date().toISOString();
    return this.db.prepare(`UPDATE insight_jobs SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE state = 'waiting_key'`).run(now, now).changes;
  }

  /** running → done with its tokens; false if it was not running (then its result must not land). */
  markDone(id: string, tokens: { input: number; output: number }): boolean {
    return (
      this.db
        .prepare(`UPDATE insight_jobs SET state = 'done', interrupted = 0, last_error = NULL, updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ? AND state = 'running'`)
        .run(new Date().toISOString(), tokens.input, tokens.output, id).changes === 1
    );
  }

  counts(): Record<JobState, number> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, waiting_key: 0 };
    for (const row of allRows(stateCount, 'job count', this.db.prepare(`SELECT state, COUNT(*) AS n FROM insight_jobs GROUP BY state`))) out[row.state] = row.n;
    return out;
  }

  countsForSession(sessionId: string): Record<JobState, number> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, waiting_key: 0 };
    const sql = `SELECT state, COUNT(*) AS n FROM insight_jobs WHERE session_id = ? GROUP BY state`;
    for (const row of allRows(stateCount, 'job count', this.db.prepare(sql), sessionId)) out[row.state] = row.n;
    return out;
  }

  tokens(sinceIso?: string): { input: number; output: number } {
    const sql = `SELECT COALESCE(SUM(input_tokens),0) AS input, COALESCE(SUM(output_tokens),0) AS output FROM insight_jobs WHERE updated_at >= ?`;
    return oneRow(tokensRow, 'insight tokens', this.db.prepare(sql), sinceIso ?? '') ?? { input: 0, output: 0 };
  }
}
