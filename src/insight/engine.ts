// The insight engine: runs the durable queue's jobs (a turn's insight, a session's summary) after the
// traffic has ended, never on the forwarding path, at most `concurrency` at a time, with backoff
// that honours retry-after; then rebuilds the session's learnings.md and the project's profile.md.

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { InsightStatusView, SessionEndView } from '../api/insight-types.js';
import type { InsightSettings } from '../config/config.js';
import type { LiveEvent, LiveEvents } from '../store/live-events.js';
import { projectDir, writeFileAtomic } from '../store/markdown-files.js';
import { createJob, JobQueue, type Job } from './jobs.js';
import { ensureProject, landSummary, landTurnInsight, sessionGapFacts } from './insight-store.js';
import { InsightReader } from './insight-reader.js';
import { renderLearnings } from './learnings-md.js';
import { callStructured, ModelCallError, type ModelAccessResolver } from './model-access.js';
import { renderProfile, type ProfileInput } from './profile-md.js';
import { renderPrompt, type InsightPrompts } from './prompts.js';
import { SESSION_SUMMARY_SCHEMA, SessionSummaryOutput, TURN_INSIGHT_SCHEMA, TurnInsightOutput } from './schemas.js';
import type { StoredInsight } from './search-docs.js';
import { estimateTokens, fitParts, loadTurnParts, renderParts, type TurnPart } from './turn-input.js';

export interface InsightEngineOptions {
  db: Database.Database;
  documentsDir: string;
  /** The folder of a session's files, as the store recorded it. */
  sessionDir: (sessionId: string) => string;
  settings: InsightSettings;
  prompts: InsightPrompts;
  access: ModelAccessResolver;
  live: LiveEvents;
  log?: (line: Record<string, unknown>) => void;
  /** First retry delay; doubles per attempt unless the server said retry-after. */
  retryBaseMs?: number;
  /** Attempts before a job that keeps failing is stored as failed. */
  maxAttempts?: number;
  /** How often idle sessions are looked for. */
  idleCheckMs?: number;
  /** Told of each answer once it is stored (kx.ts indexes it for search); a throw is logged, never fails the job. */
  onStoredInsight?: (stored: StoredInsight) => void;
}

type Tokens = { input: number; output: number };
const NO_TOKENS: Tokens = { input: 0, output: 0 };
/** Room kept for the schema the provider adds and for rounding in the token estimate. */
const CAP_MARGIN_TOKENS = 600;
const MAX_OPEN_GAPS_SENT = 40;
/** Within the 1 s a turn's entry may take, and long enough to share one rebuild among a burst of jobs. */
const REBUILD_DELAY_MS = 200;

export class InsightEngine {
  readonly queue: JobQueue;
  readonly reader: InsightReader;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Sessions whose pages are due for a rebuild, coalesced so a burst of jobs rebuilds once. */
  private readonly rebuildDue = new Set<string>();
  private rebuildTimer: NodeJS.Timeout | undefined;
  /** How long the last rebuild of pages took, which spaces out the next. */
  private lastRebuildMs = 0;
  private readonly log: (line: Record<string, unknown>) => void;

  constructor(private readonly o: InsightEngineOptions) {
    this.queue = new JobQueue(o.db);
    this.reader = new InsightReader(o.db);
    this.log = o.log ?? (() => {});
  }

  get mode(): InsightSettings['mode'] {
    return this.o.settings.mode;
  }

  start(): void {
    const recovered = this.queue.recoverRunning();
    if (recovered) this.log({ level: 'warn', msg: 'insight jobs interrupted by a stop run again', jobs: recovered });
    // A key may have been configured since the last run.
    this.queue.wakeWaiting();
    this.rebuildStalePages();
    // The same tick also looks for jobs another process queued (`kx import codex` writes them into SQLite).
    this.idleTimer = setInterval(() => {
      this.endIdleSessions();
      this.wake();
    }, this.o.idleCheckMs ?? 60_000);
    this.idleTimer.unref();
    this.wake();
  }

  /**
   * learnings.md and profile.md are rebuilt when missing or older than the rows they show: a stop
   * between a job's commit and its page's rebuild (a crash, a kill) must not leave a page behind.
   */
  private rebuildStalePages(): void {
    const sessions = this.o.db
      .prepare(
        `SELECT j.session_id AS id, MAX(j.updated_at) AS changedAt, s.project, s.ended_at AS endedAt FROM insight_jobs j JOIN sessions s ON s.id = j.session_id
         GROUP BY j.session_id`,
      )
      .all() as Array<{ id: string; changedAt: string; project: string | null; endedAt: string | null }>;
    const stale = (file: string, changedAt: string): boolean => {
      try {
        return fs.statSync(file).mtimeMs < Date.parse(changedAt);
      } catch {
        return true;
      }
    };
    const projects = new Map<string, string>();
    for (const s of sessions) {
      const changedAt = s.endedAt && s.endedAt > s.changedAt ? s.endedAt : s.changedAt;
      if (s.project && changedAt > (projects.get(s.project) ?? '')) projects.set(s.project, changedAt);
      if (stale(path.join(this.o.sessionDir(s.id), 'learnings.md'), changedAt)) this.rebuildDue.add(s.id);
    }
    for (const [project, changedAt] of projects) {
      const resolvedAt = this.o.db.prepare(`SELECT MAX(resolved_at) FROM gaps WHERE project = ?`).pluck().get(project) as string | null;
      const newest = resolvedAt && resolvedAt > changedAt ? resolvedAt : changedAt;
      if (stale(path.join(projectDir(this.o.documentsDir, project), 'profile.md'), newest)) this.rebuildProfile(project);
    }
    if (this.rebuildDue.size) this.rebuildPending();
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

  private async run(job: Job, signal: AbortSignal): Promise<void> {
    const access = this.o.access.resolve(job.sessionId ?? undefined);
    if (!access) {
      this.queue.waitForKey(job.id, this.o.access.waitingReason);
      return this.settled(job);
    }
    let spent = NO_TOKENS;
    try {
      if (job.kind === 'turn') {
        const { facts, instructions, input } = this.turnCall(job);
        const answer = await callStructured({ access, model: this.o.settings.model, instructions, input, schema: TurnInsightOutput, schemaName: TURN_INSIGHT_SCHEMA, signal, timeoutMs: this.o.settings.timeoutMs });
        spent = answer.usage;
        const events = landTurnInsight(this.o.db, job, facts, answer.output, this.o.settings.model, answer.usage);
        if (events) this.told({ kind: 'turn', sessionId: facts.sessionId, turnId: facts.turnId, project: facts.project, output: answer.output });
        for (const e of events ?? []) this.o.live.publish(e);
      } else {
        const sessionId = job.sessionId!;
        const { instructions, input } = this.sessionCall(sessionId);
        const answer = await callStructured({ access, model: this.o.settings.model, instructions, input, schema: SessionSummaryOutput, schemaName: SESSION_SUMMARY_SCHEMA, signal, timeoutMs: this.o.settings.timeoutMs });
        spent = answer.usage;
        const version = landSummary(this.o.db, job, sessionId, answer.output, answer.usage);
        if (version !== undefined) this.told({ kind: 'summary', sessionId, project: ensureProject(this.o.db, sessionId), version, output: answer.output });
      }
    } catch (err) {
      if (this.closed) return; // kx is stopping: the job stays running and runs again at the next start
      this.failed(job, err, (err as { usage?: Tokens }).usage ?? spent);
    }
    this.settled(job);
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
    if (job.sessionId) this.scheduleRebuild(job.sessionId);
  }

  /**
   * The pages are rebuilt whole from SQLite, which costs more as a session grows, on the thread that
   * also forwards traffic: jobs that settle close together share one rebuild, a few ms later.
   */
  private scheduleRebuild(sessionId: string): void {
    this.rebuildDue.add(sessionId);
    if (this.rebuildTimer) return;
    // Pages are rebuilt whole and share kx's one thread with forwarding: after a rebuild that took
    // X ms, the next waits at least 20·X ms, so rebuilding never takes more than ~5 % of the thread.
    this.rebuildTimer = setTimeout(() => this.rebuildPending(), Math.max(REBUILD_DELAY_MS, 20 * this.lastRebuildMs));
    this.rebuildTimer.unref();
  }

  private rebuildPending(): void {
    this.rebuildTimer = undefined;
    const due = [...this.rebuildDue];
    this.rebuildDue.clear();
    const started = performance.now();
    for (const id of due) this.rebuildFiles(id);
    this.lastRebuildMs = performance.now() - started;
  }

  private publishJob(job: Job): void {
    const event: LiveEvent = { type: 'insight', sessionId: job.sessionId, turnId: job.kind === 'turn' ? job.subjectId : null, jobKind: job.kind, state: job.state };
    this.o.live.publish(event);
  }

  private openGapLines(project: string): string {
    const open = this.reader.gaps({ status: 'open', project, limit: MAX_OPEN_GAPS_SENT });
    return open.length ? open.map((g) => `${g.id} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`).join('\n') : '(none)';
  }

  /** The turn call's text, under KX_INSIGHT_MAX_INPUT_TOKENS. Public for tests of what is sent. */
  turnCall(job: Pick<Job, 'subjectId' | 'sessionId'>): { facts: { turnId: string; sessionId: string; seq: number; project: string; at: string }; instructions: string; input: string } {
    const turn = this.o.db.prepare(`SELECT id, session_id AS sessionId, seq, COALESCE(ended_at, started_at) AS at FROM turns WHERE id = ?`).get(job.subjectId) as
      | { id: string; sessionId: string; seq: number; at: string }
      | undefined;
    if (!turn) throw new Error(`turn ${job.subjectId} is not in the store`);
    const project = ensureProject(this.o.db, turn.sessionId);
    const projectName = this.reader.project(project)?.name ?? project;
    const prompt = this.o.prompts.turn;
    const fixed = { project: projectName, open_gaps: this.openGapLines(project) };
    const budget = this.o.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turn: '' })) - CAP_MARGIN_TOKENS;
    const parts = fitParts(loadTurnParts(this.o.db, turn.id), Math.max(500, budget));
    return {
      // The turn's own time, not the call's: an imported October session's gaps were first seen in October.
      facts: { turnId: turn.id, sessionId: turn.sessionId, seq: turn.seq, project, at: turn.at },
      instructions: prompt.instructions,
      input: renderPrompt(prompt, { ...fixed, turn: renderParts(parts) }),
    };
  }

  sessionCall(sessionId: string): { instructions: string; input: string } {
    const project = ensureProject(this.o.db, sessionId);
    const projectName = this.reader.project(project)?.name ?? project;
    const prompt = this.o.prompts.session;
    const gapLines = this.o.db
      .prepare(
        `SELECT DISTINCT g.id, g.status, g.topic, g.question FROM gaps g LEFT JOIN turns t ON t.id = g.resolved_turn_id
         WHERE g.first_seen_session_id = ? OR g.last_seen_session_id = ? OR t.session_id = ? ORDER BY g.first_seen_at`,
      )
      .all(sessionId, sessionId, sessionId) as Array<{ id: string; status: string; topic: string; question: string }>;
    const gaps = gapLines.length ? gapLines.map((g) => `${g.id} | ${g.status} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`).join('\n') : '(none)';
    const notes = this.reader.turnInsights(sessionId).map((t): TurnPart => {
      if (t.state === 'done') {
        const steps = t.playbookSteps.map((p) => `  - ${p.step}${p.command ? `: ${p.command}` : ''}`).join('\n');
        const text = [`summary: ${t.summary}`, `action: ${t.action}`, `outcome: ${t.outcome}`, `next time: ${t.nextTime ?? '-'}`, steps ? `steps:\n${steps}` : ''].filter(Boolean).join('\n');
        return { kind: 'assistant', label: `turn ${t.turnSeq} notes`, text };
      }
      const raw = loadTurnParts(this.o.db, t.turnId);
      const human = raw.find((p) => p.kind === 'human')?.text ?? '';
      const answer = [...raw].reverse().find((p) => p.kind === 'assistant')?.text ?? '(no answer)';
      return { kind: 'assistant', label: `turn ${t.turnSeq} (raw)`, text: `human: ${human}\nagent: ${answer}` };
    });
    const fixed = { project: projectName, gaps };
    const budget = this.o.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turns: '' })) - CAP_MARGIN_TOKENS;
    return { instructions: prompt.instructions, input: renderPrompt(prompt, { ...fixed, turns: renderParts(fitParts(notes, Math.max(500, budget))) }) };
  }

  /**
   * `kx end`, POST /api/sessions/:id/end, or idle: marks the end and queues a summary of the turns so far.
   * `endedAt`: when it ended, if not now (an idle session ended at its last activity).
   */
  endSession(sessionId: string, endedAt = new Date().toISOString()): SessionEndView | undefined {
    const facts = this.reader.session(sessionId);
    if (!facts) return undefined;
    const lastSeq = (this.o.db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck().get(sessionId) as number | null) ?? 0;
    const jobId = this.o.db.transaction(() => {
      this.o.db.prepare(`UPDATE sessions SET ended_at = ? WHERE id = ?`).run(endedAt, sessionId);
      // One summary per state of the session: ending again after more turns writes a new version;
      // ending twice with nothing new does not.
      return this.mode === 'off' || lastSeq === 0 ? null : createJob(this.o.db, 'session', `${sessionId}:${lastSeq}`, sessionId).id;
    })();
    this.o.live.publish({ type: 'session', sessionId });
    if (jobId) {
      const job = this.queue.get(jobId);
      if (job) this.publishJob(job);
    }
    this.rebuildFiles(sessionId);
    this.wake();
    return { sessionId, endedAt, summaryJobId: jobId };
  }

  /**
   * Sessions silent for KX_SESSION_IDLE_MINUTES that are not ended, or have turns not yet summarised,
   * are ended at their last activity (an imported session ends when it ended, not when kx saw it).
   */
  endIdleSessions(now = Date.now()): string[] {
    const cutoff = new Date(now - this.o.settings.idleMinutes * 60_000).toISOString();
    const idle = this.o.db
      .prepare(
        `SELECT id, lastActivityAt FROM (
           SELECT s.id, s.ended_at AS endedAt,
             (SELECT MAX(COALESCE(r.ended_at, r.started_at)) FROM requests r WHERE r.session_id = s.id) AS lastActivityAt,
             EXISTS (SELECT 1 FROM insight_jobs j WHERE j.kind = 'session'
               AND j.subject_id = s.id || ':' || (SELECT MAX(seq) FROM turns t WHERE t.session_id = s.id)) AS summarised
           FROM sessions s WHERE EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id))
         WHERE lastActivityAt < ? AND (endedAt IS NULL OR NOT summarised)`,
      )
      .all(cutoff) as Array<{ id: string; lastActivityAt: string }>;
    if (this.mode === 'off') return [];
    for (const s of idle) this.endSession(s.id, s.lastActivityAt);
    return idle.map((s) => s.id);
  }

  /** learnings.md for the session and profile.md for its project, from SQLite, temp file + rename. */
  rebuildFiles(sessionId: string): void {
    try {
      const session = this.reader.session(sessionId);
      if (!session) return;
      const turnStarts = new Map(
        (this.o.db.prepare(`SELECT id, started_at AS startedAt FROM turns WHERE session_id = ?`).all(sessionId) as Array<{ id: string; startedAt: string }>).map((t) => [t.id, t.startedAt]),
      );
      const typed = new Map(
        (
          this.o.db
            .prepare(`SELECT turn_id AS turnId, group_concat(text, '\n') AS text FROM (SELECT turn_id, text FROM items WHERE session_id = ? AND kind = 'human_message' ORDER BY seq) GROUP BY turn_id`)
            .all(sessionId) as Array<{ turnId: string; text: string }>
        ).map((t) => [t.turnId, t.text]),
      );
      const files = renderLearnings(
        { session, insightMode: this.mode, queue: this.queue.countsForSession(sessionId), summary: this.reader.summary(sessionId), turns: this.reader.turnInsights(sessionId), typed },
        turnStarts,
      );
      const dir = this.o.sessionDir(sessionId);
      writeFileAtomic(path.join(dir, 'learnings.md'), files.learnings);
      if (files.archive !== undefined) writeFileAtomic(path.join(dir, 'learnings.archive.md'), files.archive);
      if (session.project) this.rebuildProfile(session.project);
    } catch (err) {
      this.log({ level: 'error', msg: 'learnings.md rebuild failed', session: sessionId, error: (err as Error).message });
    }
  }

  /** The project's profile page and the facts it is made from. */
  profile(projectId: string): (ProfileInput & { markdown: string }) | undefined {
    const input = this.profileInput(projectId);
    return input && { ...input, markdown: renderProfile(input) };
  }

  private profileInput(projectId: string): ProfileInput | undefined {
    const project = this.reader.project(projectId);
    if (!project) return undefined;
    const openGaps = this.reader.gaps({ status: 'open', project: projectId });
    const resolvedGaps = this.reader.gaps({ status: 'resolved', project: projectId });
    const recurringTopics = [...openGaps, ...resolvedGaps]
      .filter((g) => g.timesSeen > 1)
      .sort((a, b) => b.timesSeen - a.timesSeen)
      .map((g) => ({ topic: g.topic, timesSeen: g.timesSeen }));
    return { project, openGaps, resolvedGaps, recurringTopics, recentSummaries: this.reader.recentSummaries(projectId) };
  }

  rebuildProfile(projectId: string): void {
    const profile = this.profile(projectId);
    if (profile) writeFileAtomic(path.join(projectDir(this.o.documentsDir, projectId), 'profile.md'), profile.markdown);
  }

  /** The person marks a gap resolved (with a note) or reopens it. */
  setGapStatus(gapId: string, status: 'open' | 'resolved', note: string | undefined): boolean {
    const now = new Date().toISOString();
    const res =
      status === 'resolved'
        ? this.o.db
            .prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_note = ?, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = ? WHERE id = ?`)
            .run(note ?? null, now, gapId)
        : this.o.db
            .prepare(`UPDATE gaps SET status = 'open', resolved_by = NULL, resolved_note = NULL, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = NULL WHERE id = ?`)
            .run(gapId);
    if (res.changes === 0) return false;
    const gap = this.reader.gap(gapId)!;
    this.o.live.publish({ type: 'gap', gapId, project: gap.project, status: status === 'resolved' ? 'resolved' : 'reopened' });
    this.rebuildProfile(gap.project);
    return true;
  }

  status(): InsightStatusView {
    const queue = this.queue.counts();
    const today = new Date().toISOString().slice(0, 10);
    const waiting = queue.waiting_key
      ? ((this.o.db.prepare(`SELECT last_error FROM insight_jobs WHERE state = 'waiting_key' ORDER BY updated_at DESC LIMIT 1`).pluck().get() as string | null) ?? this.o.access.waitingReason)
      : null;
    return { mode: this.mode, queue, waitingReason: waiting, tokens: { today: this.queue.tokens(today), all: this.queue.tokens() } };
  }

  /** Stops taking jobs; calls in flight are abandoned and run again at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const c of this.inFlight.values()) c.abort();
    await Promise.allSettled([...this.running]);
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildPending();
  }
}

const oneLineCut = (s: string, max: number): string => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};
