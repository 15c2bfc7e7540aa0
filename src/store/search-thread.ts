// Searches off the forwarding thread: asks go to search-worker.ts, started at the first search. If the
// worker cannot start or fails, the search runs here instead: memory answers slower, never not at all.

import { Worker } from 'node:worker_threads';
import { siblingEntry, workerBoot } from './worker-boot.js';
import type { Retrieval, RetrievalOptions, SessionHit } from './retrieval.js';
import type { EmbeddingAccess } from './embedder.js';

export interface SearchAsk {
  id: number;
  query: string;
  opts: RetrievalOptions;
}
export type SearchAnswer = { id: number; hits: SessionHit[] } | { id: number; error: string };

const entry = siblingEntry(import.meta.url, 'search-worker');

export class SearchThread {
  private worker: Worker | undefined;
  /** Until the worker has loaded (seconds on a busy machine), searches run here rather than wait. */
  private ready = false;
  private failed = false;
  private next = 0;
  /** Searches answered by the worker, and here (the worker failed or could not start). */
  readonly answered = { thread: 0, here: 0 };
  private readonly pending = new Map<number, { ask: SearchAsk; resolve: (hits: SessionHit[]) => void }>();

  constructor(
    private readonly dbPath: string,
    /** The same retrieval on the caller's connection (words only): used only when the worker is gone. */
    private readonly fallback: Retrieval,
    private readonly opts: { embedding?: EmbeddingAccess; notice?: (line: string) => void } = {},
  ) {}

  sessions(query: string, opts: RetrievalOptions): Promise<SessionHit[]> {
    const worker = this.start();
    if (!worker || !this.ready) return Promise.resolve(this.here(query, opts));
    const ask: SearchAsk = { id: ++this.next, query, opts };
    return new Promise((resolve) => {
      this.pending.set(ask.id, { ask, resolve });
      worker.postMessage(ask);
    });
  }

  close(): Promise<number> | undefined {
    return this.worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    const worker = new Worker(workerBoot(), { eval: true, workerData: { entry, dbPath: this.dbPath, embedding: this.opts.embedding } });
    worker.unref();
    worker.on('message', (a: SearchAnswer | 'ready' | { notice: string }) => {
      if (a === 'ready') this.ready = true;
      else if ('notice' in a) this.opts.notice?.(a.notice);
      else this.onAnswer(a);
    });
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
    return (this.worker = worker);
  }

  private onAnswer(a: SearchAnswer): void {
    const p = this.pending.get(a.id);
    if (!p) return;
    this.pending.delete(a.id);
    if ('hits' in a) this.answered.thread++;
    p.resolve('hits' in a ? a.hits : this.here(p.ask.query, p.ask.opts));
  }

  private here(query: string, opts: RetrievalOptions): SessionHit[] {
    this.answered.here++;
    return this.fallback.sessions(query, opts);
  }

  /** The worker is gone: what it was asked is answered here, and so is everything after. */
  private fail(): void {
    this.failed = true;
    this.ready = false;
    this.worker = undefined;
    for (const p of this.pending.values()) p.resolve(this.here(p.ask.query, p.ask.opts));
    this.pending.clear();
  }
}
