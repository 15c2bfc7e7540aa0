// Runs the insight engine in a worker thread and keeps it alive, so that nothing the engine does can
// hold up the forwarding thread. A worker whose steps stop making progress (a loop that never ends
// cannot be interrupted from inside its own thread) is terminated: the job it was on is failed, the
// others go back to the queue, and a new worker starts. A worker that crashes is restarted too.

import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { InsightSettings, TeamSettings } from '../config/config.js';
import type { LiveEvents } from '../store/live-events.js';
import { siblingEntry, workerBoot } from '../store/worker-boot.js';
import type { CredentialOffer } from './credentials.js';
import type { PagesChange } from './desk.js';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-messages.js';
import { jobEvent, JobQueue } from './jobs.js';
import type { InsightPrompts } from './prompts.js';

export interface EngineHostOptions {
  db: Database.Database;
  documentsDir: string;
  settings: InsightSettings;
  prompts: InsightPrompts;
  live: LiveEvents;
  log: (line: Record<string, unknown>) => void;
  timing?: EngineWorkerData['timing'];
  /** How long a worker may go without a heartbeat before it is ended. */
  stallBudgetMs?: number;
  heartbeatMs?: number;
  /** The worker's module; tests give one that misbehaves. */
  entry?: string;
  /** Team memory, synced by the worker when set. */
  team?: TeamSettings;
  /** Credentials known before a (re)start, replayed to the new worker. */
  knownCredentials?: () => CredentialOffer[];
}

export const STALL_BUDGET_MS = 20_000;
const START_BUDGET_MS = 60_000;
const CLOSE_GRACE_MS = 3_000;
const MAX_RESTART_DELAY_MS = 60_000;

const ownEntry = siblingEntry(import.meta.url, 'engine-worker');
const BOOT = workerBoot();

const STEP_WORDS: Record<string, string> = { build: 'building its input', land: 'storing its answer', pages: 'rebuilding pages' };

export class EngineHost {
  private worker: Worker | undefined;
  private lastBeat = 0;
  /** Until the worker says it is ready, loading its modules may take long on a busy machine. */
  private ready = false;
  private busy: { jobId: string | null; step: string } | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDelayMs = 1000;
  private startedAt = 0;
  private closing = false;
  private readonly queue: JobQueue;
  readonly stallBudgetMs: number;
  /** Workers started so far (tests watch restarts). */
  starts = 0;

  constructor(private readonly o: EngineHostOptions) {
    this.queue = new JobQueue(o.db);
    this.stallBudgetMs = o.stallBudgetMs ?? STALL_BUDGET_MS;
  }

  start(): void {
    if (this.closing) return;
    this.starts++;
    this.startedAt = Date.now();
    this.lastBeat = Date.now();
    this.ready = false;
    this.busy = undefined;
    const heartbeatMs = this.o.heartbeatMs ?? 1000;
    const data: EngineWorkerData = {
      entry: this.o.entry ?? ownEntry,
      dbPath: this.o.db.name,
      documentsDir: this.o.documentsDir,
      settings: { ...this.o.settings, baseUrl: this.o.settings.baseUrl.href },
      prompts: this.o.prompts,
      timing: this.o.timing ?? {},
      heartbeatMs,
      ...(this.o.team ? { team: this.o.team } : {}),
    };
    // The engine holds little at once (a call's input is capped, outputs are read cut): a small young
    // generation keeps its memory near what it uses, and a runaway job ends the worker, not kx.
    const worker = new Worker(BOOT, { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 } });
    this.worker = worker;
    worker.on('message', (m: FromWorker) => this.received(m));
    worker.on('error', (err) => this.o.log({ level: 'error', msg: 'the insight worker failed', error: err.message }));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.closing) return;
      this.o.log({ level: 'error', msg: 'the insight worker stopped; restarting it', code });
      // Jobs it was running count as interrupted by a crash of the worker (a job at two in a row is failed).
      const { poisoned } = this.queue.recoverAfterWorkerCrash();
      for (const id of poisoned) this.publishJob(id);
      this.restartLater();
    });
    for (const offer of this.o.knownCredentials?.() ?? []) this.post({ type: 'credentials', offer });
    this.watchdog ??= setInterval(() => this.check(), heartbeatMs);
    this.watchdog.unref();
  }

  wake(): void {
    this.post({ type: 'wake' });
  }

  credentials(offer: CredentialOffer): void {
    this.post({ type: 'credentials', offer });
  }

  pagesChanged(change: PagesChange): void {
    this.post({ type: 'pages', change });
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private received(m: FromWorker): void {
    switch (m.type) {
      case 'heartbeat':
      case 'ready':
        this.ready = true;
        this.lastBeat = Date.now();
        if (Date.now() - this.startedAt > 60_000) this.restartDelayMs = 1000;
        break;
      case 'live':
        this.o.live.publish(m.event);
        break;
      case 'log':
        this.o.log(m.line);
        break;
      case 'busy':
        this.busy = { jobId: m.jobId, step: m.step };
        this.lastBeat = Date.now();
        break;
      case 'free':
        this.busy = undefined;
        this.lastBeat = Date.now();
        break;
    }
  }

  /** A worker that misses its heartbeats for the budget is stuck in a synchronous step: end it. */
  private check(): void {
    const budget = this.ready ? this.stallBudgetMs : Math.max(this.stallBudgetMs, START_BUDGET_MS);
    const quiet = Date.now() - this.lastBeat;
    if (!this.worker || this.closing || quiet <= budget) return;
    const worker = this.worker;
    const busy = this.busy;
    this.worker = undefined;
    // What was seen, not the budget: a check comes up to a heartbeat late, and a starting worker has a longer budget.
    const seconds = Math.round(quiet / 1000);
    const where = busy ? STEP_WORDS[busy.step] ?? busy.step : 'working';
    this.o.log({ level: 'error', msg: `the insight worker made no progress for ${seconds} s while ${where}; ending it`, job: busy?.jobId ?? undefined });
    void worker.terminate();
    if (busy?.jobId) {
      this.queue.failStalled(busy.jobId, `kx ended this job after ${seconds} s without progress while ${where}; it is not run again`);
      this.publishJob(busy.jobId);
    }
    // The other jobs did nothing wrong: back to the queue, not counted as a crash.
    this.queue.releaseAllRunning();
    this.restartLater();
  }

  private restartLater(): void {
    if (this.closing || this.restartTimer) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start();
    }, delay);
    this.restartTimer.unref();
  }

  private publishJob(id: string): void {
    const job = this.queue.get(id);
    if (job) this.o.live.publish(jobEvent(job));
  }

  /** Asks the worker to stop (its calls in flight go back to the queue), then ends it if it does not. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
