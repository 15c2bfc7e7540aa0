// The WAL's checkpoints, off the forwarding thread. A checkpoint copies the WAL into sessions.db and
// fsyncs both; SQLite runs one inside whichever commit takes the WAL past 1,000 pages, which was the
// forwarding thread's: three fsyncs of up to 8 ms each, a few times per few hundred small turns. Once
// checkpoint-worker.ts is running, the forwarding thread's connection stops checkpointing and that
// thread runs a passive checkpoint (it never blocks a writer) every `everyMs`. If the thread cannot
// start or stops, the connection checkpoints by itself again: the WAL never grows without bound.

import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { siblingEntry, workerBoot } from './worker-boot.js';

const entry = siblingEntry(import.meta.url, 'checkpoint-worker');
/** SQLite's own default: pages in the WAL before a commit checkpoints. */
const AUTO_CHECKPOINT_PAGES = 1000;

export interface CheckpointWorkerData {
  entry: string;
  dbPath: string;
  everyMs: number;
}

export class CheckpointThread {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The thread has its connection open; the caller's connection has stopped checkpointing. */
  running = false;

  constructor(
    private readonly db: Database.Database,
    private readonly o: { everyMs?: number; log?: (line: Record<string, unknown>) => void } = {},
  ) {}

  /** Starts the thread after `delayMs`, so it takes no CPU from kx's own start. */
  start(delayMs = 0): void {
    if (this.closed || this.worker || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.spawn();
    }, delayMs);
    this.timer.unref();
  }

  private spawn(): void {
    if (this.closed) return;
    const data: CheckpointWorkerData = { entry, dbPath: this.db.name, everyMs: this.o.everyMs ?? 1000 };
    const worker = new Worker(workerBoot(), { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 } });
    worker.unref();
    worker.on('message', (m: 'ready' | { error: string }) => {
      if (this.closed) return;
      if (m !== 'ready') return this.o.log?.({ level: 'warn', msg: 'a WAL checkpoint failed; the next one will try again', error: m.error });
      this.db.pragma('wal_autocheckpoint = 0');
      this.running = true;
    });
    worker.on('error', (err) => this.o.log?.({ level: 'error', msg: 'the checkpoint thread failed; commits checkpoint by themselves', error: err.message }));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.checkpointInCommits();
    });
    this.worker = worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.worker?.terminate();
    this.checkpointInCommits();
  }

  private checkpointInCommits(): void {
    this.running = false;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
