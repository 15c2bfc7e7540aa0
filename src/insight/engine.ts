// The insight engine's scheduler: runs the durable queue's jobs (a turn's insight, a session's
// summary) at most `concurrency` at a time, with backoff that honours retry-after, lands their
// answers and has the pages that show them rebuilt. kx runs it in a worker thread (engine-worker.ts),
// so nothing it does can hold up the forwarding thread; `busy` marks its synchronous steps, which the
// host times against a budget and ends by terminating the worker.

import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { InsightSettings } from '../config/config.js';
import type { LiveEvents } from '../store/live-events.js';
import { sessionCall, turnCall } from './calls.js';
import type { InsightDesk } from './desk.js';
import { ensureProject, landSummary, landTurnInsight } from './insight-store.js';
import { jobEvent, type Job, type JobQueue } from './jobs.js';
import { callStructured, ModelCallError, type ModelAccessResolver } from './model-access.js';
import type { InsightPages } from './pages.js';
import type { InsightPrompts } from './prompts.js';
import { SESSION_SUMMARY_SCHEMA, SessionSummaryOutput, TURN_INSIGHT_SCHEMA, TurnInsightOutput } from './schemas.js';
import type { StoredInsight } from './search-docs.js';

/** A synchronous step of a job, announced before it starts; the returned function marks its end. */
export type BusyWatch = (jobId: string | null, step: 'build' | 'land' | 'pages') => () => void;

export interface InsightEngineOptions {
  db: Database.Database;
  desk: InsightDesk;
  pages: InsightPages;
  settings: InsightSettings;
  prompts: InsightPrompts;
  access: ModelAccessResolver;
  live: LiveEvents;
  log?: (line: Record<string, unknown>) => void;
  busy?: BusyWatch;
  /** First retry delay; doubles per attempt unless the server said retry-after. */
  retryBaseMs?: number;
  /** Attempts before a job that keeps failing is stored as failed. */
  maxAttempts?: number;
  /** How often idle sessions are looked for. */
  idleCheckMs?: number;
  /** Indexes an answer for search inside the transaction that lands it; a throw is logged and the answer still lands. */
  indexInsight?: (stored: StoredInsight) => void;
  /** Told of each answer once it is stored and indexed; a throw is logged, never fails the job. */
  onStoredInsight?: (stored: StoredInsight) => void;
}

type Tokens = { input: number; output: number };
const NO_TOKENS: Tokens = { input: 0, output: 0 };
/** Within the 1 s a turn's entry may take, and long enough to share one rebuild among a burst of jobs. */
const REBUILD_DELAY_MS = 200;
const notWatched: BusyWatch = () => () => {};

export class InsightEngine {
  private readonly queue: JobQueue;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Sessions and projects whose pages are due for a rebuild, coalesced so a burst of jobs rebuilds once. */
  private readonly sessionsDue = new Set<string>();
  private readonly projectsDue = new Set<string>();
  private rebuildTimer: NodeJS.Timeout | undefined;
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly busy: BusyWatch;

  constructor(private readonly o: InsightEngineOptions) {
    this.queue = o.desk.queue;
    this.log = o.log ?? (() => {});
    this.busy = o.busy ?? notWatched;
  }

  start(): void {
    // Jobs left running are a stop's, not a crash's: a crash of the worker was counted by its host.
    const requeued = this.queue.requeueAfterStop();
    if (requeued) this.log({ level: 'warn', msg: 'insight jobs a stop of kx left running run again', jobs: requeued });
    // A key may have been configured since the last run.
    this.queue.wakeWaiting();
    // A stop between a job's commit and its page's rebuild must not leave a page behind.
    const stale = this.step(null, 'pages', () => this.o.pages.stalePages());
    for (const id of stale.sessions) this.sessionsDue.add(id);
    for (const id of stale.projects) this.projectsDue.add(id);
    if (stale.sessions.length + stale.projects.length) this.rebuildPending();
    // The same tick also looks for jobs another process queued (`kx import codex` writes them into SQLite).
    this.idleTimer = setInterval(() => {
      this.o.desk.endIdleSessions();
      this.wake();
    }, this.o.idleCheckMs ?? 60_000);
    this.idleTimer.unref();
    this.wake();
  }

  /** Something may be due: new jobs were committed, credentials arrived, a retry time passed. */
  wake(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), 0);
    this.timer.unref();
  }

  /** Credentials arrived: jobs waiting for a key run now. */
  credentialsArrived(): void {
    if (this.queue.wakeWaiting() > 0) this.wake();
  }

  private pump(): void {
    this.timer = undefined;
    if (this.closed) return;
    const free = this.o.settings.concurrency - this.inFlight.size;
    if (free > 0) {
      for (const job of this.queue.due(free + this.inFlight.size).filter((j) => !this.inFlight.has(j.id)).slice(0, free)) {
        if (!this.queue.claim(job.id)) continue;
        this.publishJob({ ...job, state: 'running' });
        const controller = new AbortController();
        this.inFlight.set(job.id, controller);
        const run = this.run(job, controller.signal)
          .catch((err: unknown) => this.log({ level: 'error', msg: 'insight job crashed', job: job.id, error: (err as Error).message }))
          .finally(() => {
            this.inFlight.delete(job.id);
            this.running.delete(run);
            this.wake();
          });
        this.running.add(run);
      }
    }
    // Sleep until the next retry is due.
    const next = this.queue.nextDueAt();
    if (next && !this.timer && this.inFlight.size < this.o.settings.concurrency) {
      // At least 1 ms: a timer can fire a millisecond before the retry time it was set for, and a job
      // found not yet due must still get a timer, or it waits for the minute tick.
      const delay = Math.max(1, Date.parse(next) - Date.now());
      this.timer = setTimeout(() => this.pump(), Math.min(delay, 60_000));
      this.timer.unref();
    }
  }

  /** Runs a synchronous step under the host's watch. */
  private step<T>(jobId: string | null, step: 'build' | 'land' | 'pages', fn: () => T): T {
    const done = this.busy(jobId, step);
    try {
      return fn();
    } finally {
      done();
    }
  }

  private async run(job: Job, signal: AbortSignal): Promise<void> {
    const access = this.o.access.resolve(job.sessionId ?? undefined);
    if (!access) {
      this.queue.waitForKey(job.id, this.o.access.waitingReason);
      return this.settled(job);
    }
    const calls = { db: this.o.db, reader: this.o.desk.reader, prompts: this.o.prompts, settings: this.o.settings };
    const { model, timeoutMs } = this.o.settings;
    let spent = NO_TOKENS;
    try {
      if (job.kind === 'turn') {
        const { facts, instructions, input } = this.step(job.id, 'build', () => turnCall(calls, job.subjectId));
        const answer = await callStructured({ access, model, instructions, input, schema: TurnInsightOutput, schemaName: TURN_INSIGHT_SCHEMA, signal, timeoutMs });
        spent = answer.usage;
        const stored: StoredInsight = { kind: 'turn', sessionId: facts.sessionId, turnId: facts.turnId, project: facts.project, output: answer.output };
        const landed = this.step(job.id, 'land', () => this.landIndexed(() => landTurnInsight(this.o.db, job, facts, answer.output, model, answer.usage), () => stored));
        if (landed) this.told(stored);
        for (const e of landed?.landed ?? []) this.o.live.publish(e);
      } else {
        const sessionId = job.sessionId!;
        const { instructions, input } = this.step(job.id, 'build', () => sessionCall(calls, sessionId));
        const answer = await callStructured({ access, model, instructions, input, schema: SessionSummaryOutput, schemaName: SESSION_SUMMARY_SCHEMA, signal, timeoutMs });
        spent = answer.usage;
        const stored = (version: number): StoredInsight => ({ kind: 'summary', sessionId, project: ensureProject(this.o.db, sessionId), version, output: answer.output });
        const landed = this.step(job.id, 'land', () => this.landIndexed(() => landSummary(this.o.db, job, sessionId, answer.output, answer.usage), stored));
        if (landed) this.told(landed.stored);
      }
    } catch (err) {
      if (this.closed) return; // kx is stopping: close() puts the job back in the queue
      this.failed(job, err, (err as { usage?: Tokens }).usage ?? spent);
    }
    this.settled(job);
  }

  /**
   * Lands an answer and indexes it in one transaction, so search finds a note as soon as a reader can see it.
   * Indexing runs in a savepoint of its own: when it fails, the note still lands, unindexed, and the failure
   * is logged.
   */
  private landIndexed<T>(land: () => T | undefined, describe: (landed: T) => StoredInsight): { landed: T; stored: StoredInsight } | undefined {
    return this.o.db.transaction(() => {
      const landed = land();
      if (landed === undefined) return undefined;
      const stored = describe(landed);
      try {
        if (this.o.indexInsight) this.o.db.transaction(() => this.o.indexInsight!(stored))();
      } catch (err) {
        this.log({ level: 'error', msg: 'indexing a stored insight for search failed', session: stored.sessionId, error: (err as Error).message });
      }
      return { landed, stored };
    })();
  }

  private told(stored: StoredInsight): void {
    try {
      this.o.onStoredInsight?.(stored);
    } catch (err) {
      this.log({ level: 'error', msg: 'a listener of stored insights failed', session: stored.sessionId, error: (err as Error).message });
    }
  }

  private failed(job: Job, err: unknown, tokens: Tokens): void {
    const attempts = job.attempts + 1;
    if (!(err instanceof ModelCallError)) {
      this.queue.fail(job.id, (err as Error).message ?? String(err), tokens);
      return;
    }
    const reason = `${err.failure}: ${err.message}`;
    switch (err.failure) {
      case 'auth':
        this.queue.waitForKey(job.id, `the credentials were refused (${err.message})`);
        return;
      case 'refused':
      case 'too_large':
        this.queue.fail(job.id, reason, tokens);
        return;
      case 'invalid_output':
        // Once more at once: a model's answer varies; a second bad one is a real problem.
        if (attempts < 2) this.queue.retryLater(job.id, reason, 0, tokens);
        else this.queue.fail(job.id, reason, tokens);
        return;
      default: {
        const maxAttempts = this.o.maxAttempts ?? 5;
        if (attempts >= maxAttempts) {
          this.queue.fail(job.id, `${reason} (gave up after ${attempts} attempts)`, tokens);
          return;
        }
        const backoff = (this.o.retryBaseMs ?? 2000) * 2 ** (attempts - 1);
        this.queue.retryLater(job.id, reason, Math.min(err.retryAfterMs ?? backoff, 10 * 60_000), tokens);
      }
    }
  }

  /** After a job changed state: tell subscribers and rebuild the pages that show it. */
  private settled(job: Job): void {
    const now = this.queue.get(job.id);
    if (now) this.publishJob(now);
    if (job.sessionId) this.pagesChanged({ sessionId: job.sessionId });
  }

  /** Pages to rebuild; jobs that settle close together share one rebuild, a few ms later. */
  pagesChanged(change: { sessionId?: string; projectId?: string }): void {
    if (change.sessionId) this.sessionsDue.add(change.sessionId);
    if (change.projectId) this.projectsDue.add(change.projectId);
    if (this.rebuildTimer || this.closed) return;
    this.rebuildTimer = setTimeout(() => this.rebuildPending(), REBUILD_DELAY_MS);
    this.rebuildTimer.unref();
  }

  private rebuildPending(): void {
    this.rebuildTimer = undefined;
    const sessions = [...this.sessionsDue];
    const projects = [...this.projectsDue];
    this.sessionsDue.clear();
    this.projectsDue.clear();
    const started = performance.now();
    this.step(null, 'pages', () => {
      for (const id of sessions) this.o.pages.rebuildSession(id);
      for (const id of projects) this.o.pages.rebuildProject(id);
    });
    if (sessions.length + projects.length > 0) this.log({ level: 'debug', msg: 'insight pages rebuilt', sessions: sessions.length, projects: projects.length, ms: Math.round(performance.now() - started) });
  }

  private publishJob(job: Job): void {
    this.o.live.publish(jobEvent(job));
  }

  /** Stops taking jobs; calls in flight are abandoned, go back to the queue and run again at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    const abandoned = [...this.inFlight.keys()];
    for (const c of this.inFlight.values()) c.abort();
    await Promise.allSettled([...this.running]);
    // A stop on purpose is not a crash: these jobs must not count towards the poison rule.
    for (const id of abandoned) this.queue.release(id);
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildPending();
  }
}
