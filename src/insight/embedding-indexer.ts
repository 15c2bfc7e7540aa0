// Embeddings for search, computed in the insight engine's worker (never on the forwarding thread): finished
// turns with no vector yet, a batch at a time, live ones and imported ones alike. The queue is the turns
// table itself (turns no vector row points at), so it survives a restart and an import in another process
// is picked up at the next wake. A failing call waits longer each time; nothing is lost, only delayed.

import type { InsightSettings } from '../config/config.js';
import type { Embed, EmbeddingAccess } from '../store/embedder.js';
import { EMBEDDING_MODEL, type VectorStore } from '../store/vectors.js';
import { dialectOf } from './model-access.js';

/** Turns per call: the API takes up to 2,048 inputs; 64 keeps a call a few seconds and a failure cheap. */
const BATCH = 64;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** Where embeddings are asked for: only with an API key for the platform API (a ChatGPT login has no embeddings). */
export function embeddingAccess(settings: Pick<InsightSettings, 'apiKey' | 'baseUrl' | 'mode'>): EmbeddingAccess | undefined {
  if (!settings.apiKey || settings.mode === 'off') return undefined;
  const baseURL = settings.baseUrl.href.replace(/\/+$/, '');
  return dialectOf(baseURL, undefined) === 'platform' ? { baseURL, apiKey: settings.apiKey } : undefined;
}

export interface EmbeddingIndexerOptions {
  vectors: VectorStore;
  embed: Embed;
  log: (line: Record<string, unknown>) => void;
  /** Called around the synchronous store step, so the worker's watchdog sees it. */
  busy?: () => () => void;
}

export class EmbeddingIndexer {
  private running: Promise<void> | undefined;
  private again = false;
  private backoffMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly o: EmbeddingIndexerOptions) {}

  /** Something may be waiting (a turn ended, an import landed): embeds until nothing is, unless backing off. */
  wake(): void {
    if (this.closed || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.retryTimer) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once the current pass is over (tests and close). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.abort.abort();
    await this.running?.catch(() => {});
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const turns = this.o.vectors.pending(BATCH);
      if (turns.length === 0) return;
      const withText = turns.filter((t) => t.text !== '');
      let vectors: Float32Array[];
      try {
        vectors = withText.length ? await this.o.embed(withText.map((t) => t.text), this.abort.signal) : [];
      } catch (err) {
        if (this.closed) return;
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : FIRST_BACKOFF_MS);
        this.o.log({ level: 'warn', msg: 'embedding turns for search failed; trying again later', error: (err as Error).message, retryInMs: this.backoffMs });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.wake();
        }, this.backoffMs);
        this.retryTimer.unref?.();
        return;
      }
      this.backoffMs = 0;
      const byTurn = new Map(withText.map((t, i) => [t.turnRowid, vectors[i]]));
      const done = this.o.busy?.() ?? (() => {});
      try {
        this.o.vectors.store(turns.map((turn) => ({ turn, vector: byTurn.get(turn.turnRowid) })), EMBEDDING_MODEL);
      } finally {
        done();
      }
    }
  }
}
