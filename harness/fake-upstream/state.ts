// What the fake upstream remembers between requests: the scripted scenarios waiting for their call,
// the requests it saw, and the counter that numbers its responses.

import type http from 'node:http';
import type { InsightScenario } from './insight.js';
import type { RewriteScenario } from './rewrite.js';
import type { FakeEncoding, SentAnswer } from './compression.js';
import type { AnswerContext, StreamShape } from './script.js';

export type Scenario =
  | { kind: 'http-error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'cut'; afterEvents: number }
  /** Pauses after `afterEvents` events for `ms`, or until `release` settles when given (tests that must not depend on timing). */
  | { kind: 'stall'; afterEvents: number; ms: number; release?: Promise<unknown> }
  | { kind: 'malformed-sse' }
  | { kind: 'ws-refuse'; status: number }
  /** Code 1005 closes with a close frame that carries no code. */
  | { kind: 'ws-close'; code: number; reason: string; afterEvents: number }
  | { kind: 'ws-invalid-frame' }
  | { kind: 'previous-response-not-found' }
  | { kind: 'response-failed'; code?: string; message?: string }
  | { kind: 'answer'; text: string }
  | RewriteScenario;

export interface SeenRequest {
  transport: 'http' | 'ws';
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON of the decoded body, when it was JSON. */
  body: unknown;
  /** The bytes as they arrived on the wire (a WS frame's text for ws). */
  rawBody: Buffer;
}

export class FakeState {
  readonly requests: SeenRequest[] = [];
  readonly rewriteCalls: SeenRequest[] = [];
  readonly queue: Scenario[] = [];
  readonly insightQueue: InsightScenario[] = [];
  shape: StreamShape | null = null;
  /** When set, every HTTP answer is compressed as the client's accept-encoding allows (compression.ts). */
  compression: readonly FakeEncoding[] | null = null;
  readonly compressedAnswers: SentAnswer[] = [];
  recording = true;
  private counter = 0;

  nextCtx(): AnswerContext {
    this.counter += 1;
    const n = String(this.counter).padStart(2, '0');
    return { responseId: `resp_fake_${n}`, n, createdAt: 1795530000 + this.counter };
  }

  take(pred: (s: Scenario) => boolean): Scenario | undefined {
    const i = this.queue.findIndex(pred);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  /** The next scenario for an agent's model call (not an upgrade refusal, not a rewrite script). */
  takeModelScenario(): Scenario | undefined {
    return this.take((s) => s.kind !== 'ws-refuse' && !s.kind.startsWith('rewrite'));
  }

  record(r: SeenRequest): void {
    if (this.recording) this.requests.push(r);
  }
}
