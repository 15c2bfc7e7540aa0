// Capture's side of the proxy: receives copies of traffic, and does all parsing and record
// building later, in order, off the turn that forwarded the bytes. Any failure here is recorded
// as a capture error and the exchange is dropped from capture, never from the wire.

import { performance } from 'node:perf_hooks';
import { createStreamDecoder, encodingsOf, type StreamDecoder } from '../protocol/body-encoding.js';
import { ChatCompletionFolder } from '../protocol/chat-completions.js';
import type { ParsedRequest, ResponseSummary } from '../protocol/items.js';
import { ResponsesEventFolder } from '../protocol/responses-events.js';
import { createSseDecoder } from '../protocol/sse-decoder.js';
import type { QuietScheduler } from '../proxy/answer-gate.js';
import type { RewriteNote } from '../proxy/request-hook.js';
import type { ExchangeEnd, ExchangeInfo, HttpExchangeObserver, TrafficObserver, WsObserver } from '../proxy/traffic-observer.js';
import { header, type HeaderBag } from '../protocol/request-meta.js';
import { apiOfPath, describeParsed, parseWsFrame, remember, type ConnectionMemory, type DescribeInput, type ModelApi, type RequestDescription } from './describe-request.js';
import { HttpBodies, type ParsedHttpBody } from './http-bodies.js';
import { bodySummary } from './answer-summary.js';
import { SessionTracker, type BeginRequest, type RequestContext, type StoreSink } from './session-tracker.js';
import { WorkQueue } from './work-queue.js';

type Api = ModelApi;


export interface RecorderOptions {
  log?: (line: Record<string, unknown>) => void;
  /** When capture's work may run: after the answers in flight have started (answer-gate.ts). */
  scheduler?: QuietScheduler;
}

export class Recorder implements TrafficObserver {
  readonly tracker: SessionTracker;
  private readonly work: WorkQueue;
  private readonly bodies: HttpBodies;
  private readonly log: (line: Record<string, unknown>) => void;
  /** Answers still being decoded off the thread: capture has not drained until they are in. */
  private readonly decoding = new Set<Promise<void>>();

  constructor(sink: StoreSink, opts: RecorderOptions = {}) {
    this.tracker = new SessionTracker(sink);
    this.bodies = new HttpBodies(this.tracker);
    this.log = opts.log ?? (() => {});
    this.work = new WorkQueue((err) => this.fail('queue', err), opts.scheduler);
  }

  /** Resolves once everything handed to capture so far has been turned into store ops. */
  async drained(): Promise<void> {
    await this.work.drained();
    while (this.decoding.size > 0) {
      await Promise.all(this.decoding);
      await this.work.drained();
    }
  }

  /** Resolves once everything queued so far is filed, without waiting for answers still streaming. */
  queueDrained(): Promise<void> {
    return this.work.drained();
  }

  /** `decoded` settles once an answer's last decoded bytes and its end are queued. */
  awaitDecoding(decoded: Promise<void>): void {
    this.decoding.add(decoded);
    void decoded.finally(() => this.decoding.delete(decoded));
  }

  get backlog(): number {
    return this.work.size;
  }

  private fail(stage: string, err: unknown, ctx?: Partial<RequestContext>): void {
    const message = err instanceof Error ? err.message : String(err);
    this.log({ level: 'warn', msg: 'capture error', stage, error: message, ...(ctx?.requestId ? { request: ctx.requestId } : {}) });
    try {
      this.tracker.captureError(stage, message, ctx);
    } catch {
      // nothing more to do: the store itself is failing and says so in its health
    }
  }

  http(info: ExchangeInfo): HttpExchangeObserver | undefined {
    const api = apiOfPath(info.path, info.method);
    if (!api) return undefined;
    return new HttpCapture(this, info, api);
  }

  ws(info: ExchangeInfo): WsObserver | undefined {
    return new WsCapture(this, info);
  }

  /** Parses an HTTP body, reusing the remembered prefix of the same conversation (http-bodies.ts). */
  parseHttpBody(api: Api, info: ExchangeInfo, raw: Buffer | readonly Buffer[], contentEncoding: string | undefined): ParsedHttpBody {
    return this.bodies.parse(api, info, raw, contentEncoding);
  }

  /** What a parsed request means (describe-request.ts), by the session chain capture knows. */
  describe(input: DescribeInput, memory: ConnectionMemory): RequestDescription {
    return describeParsed(input, memory, (id) => this.tracker.sessionOfResponse(id), this.tracker);
  }

  defer(fn: () => void, ctx?: () => Partial<RequestContext> | undefined, stage = 'capture'): void {
    this.work.push(() => {
      try {
        fn();
      } catch (err) {
        this.fail(stage, err, ctx?.());
      }
    });
  }
}

/** One HTTP call: the request body, then the response stream. */
class HttpCapture implements HttpExchangeObserver {
  private ctx: RequestContext | undefined;
  private failed = false;
  private statusCode: number | undefined;
  private firstByteMs: number | undefined;
  private isSse = false;
  private readonly errorBody: Buffer[] = [];
  private decoder: StreamDecoder | undefined;
  /** Why this answer cannot be decoded, known from its headers (an encoding kx does not know). */
  private undecodable: string | undefined;
  private readonly folder: ResponsesEventFolder | ChatCompletionFolder;
  private readonly sse;

  constructor(
    private readonly rec: Recorder,
    private readonly info: ExchangeInfo,
    private readonly api: Api,
  ) {
    this.folder = api === 'chat' ? new ChatCompletionFolder() : new ResponsesEventFolder();
    this.sse = createSseDecoder((data, event) => this.folder.feedData(data, event));
  }

  private guard(stage: string, fn: () => void): void {
    this.rec.defer(
      () => {
        if (!this.failed) fn();
      },
      () => this.ctx,
      stage,
    );
  }

  requestBody(body: Buffer | readonly Buffer[], contentEncoding: string | undefined, rewrite?: RewriteNote): void {
    this.rec.defer(
      () => {
        try {
          const parsed = this.rec.parseHttpBody(this.api, this.info, body, contentEncoding);
          if (rewrite) linkOriginal(parsed.input.parsed, rewrite);
          const described = this.rec.describe(parsed.input, parsed.memory);
          this.ctx = this.rec.tracker.beginRequest({
            ...beginFields(described),
            method: this.info.method,
            path: this.info.path,
            ...(this.info.upstream ? { upstream: this.info.upstream } : {}),
            startedAtIso: this.info.startedAtIso,
            skippedItems: parsed.skipped,
            ...(parsed.prefixCounts ? { prefixCounts: parsed.prefixCounts } : {}),
          });
          parsed.commit(this.ctx);
        } catch (err) {
          this.failed = true;
          throw err;
        }
      },
      () => this.ctx,
      'request',
    );
  }

  responseStart(status: number, headers: HeaderBag): void {
    const at = performance.now();
    this.guard('response', () => {
      this.statusCode = status;
      this.firstByteMs = at - this.info.startedAt;
      this.isSse = (header(headers, 'content-type') ?? '').includes('text/event-stream');
      const encoding = header(headers, 'content-encoding');
      if (encoding !== undefined && encodingsOf(encoding).length > 0) this.openDecoder(encoding);
    });
  }

  /** A compressed answer: capture decodes its copy as it streams; the client's bytes are untouched. */
  private openDecoder(encoding: string): void {
    try {
      // Each decoded piece is queued behind the work already waiting, so the answer's end comes after it.
      this.decoder = createStreamDecoder(encoding, (decoded) => this.guard('response', () => this.consume(decoded)));
    } catch (err) {
      this.undecodable = (err as Error).message;
    }
  }

  responseChunk(chunk: Buffer): void {
    this.guard('response', () => {
      if (this.decoder) this.decoder.write(chunk);
      else if (this.undecodable === undefined) this.consume(chunk);
    });
  }

  private consume(bytes: Buffer): void {
    if (this.isSse) this.sse.feed(bytes);
    else if (this.errorBody.length < 1024) this.errorBody.push(bytes);
  }

  responseEnd(end: ExchangeEnd): void {
    const at = performance.now();
    const endedAtIso = new Date().toISOString();
    this.guard('response', () => {
      const decoder = this.decoder;
      if (!decoder) return this.finish(end, at, endedAtIso);
      this.rec.awaitDecoding(decoder.end().then((reason) => this.guard('response', () => this.finish(end, at, endedAtIso, reason))));
    });
  }

  private finish(end: ExchangeEnd, at: number, endedAtIso: string, decodeFailure?: string): void {
    if (!this.ctx) return;
    let summary: ResponseSummary;
    if (this.isSse) {
      this.sse.end();
      if (end.kind !== 'complete') this.folder.markCut(end.message);
      else this.folder.markCut('stream ended before a terminal event');
      summary = this.folder.result();
    } else {
      summary = bodySummary(this.folder, Buffer.concat(this.errorBody), this.statusCode);
    }
    // A stream cut mid-way fails to decode at its end too: it stays a cut. An unknown encoding never decodes.
    const undecodable = this.undecodable ?? (end.kind === 'complete' ? decodeFailure : undefined);
    if (undecodable && end.kind !== 'aborted') summary = { ...summary, status: 'error', error: undecodableError(undecodable, this.statusCode) };
    // A client that hangs up after the last event (before a compressed stream's trailer) got its whole answer.
    const aborted = end.kind === 'aborted' && !(this.isSse && summary.status !== 'cut');
    const outcome = aborted ? 'aborted' : undecodable ? 'undecodable' : summary.status === 'in_progress' ? 'cut' : undefined;
    this.rec.tracker.finishRequest(this.ctx, summary, {
      ...(this.statusCode !== undefined ? { statusCode: this.statusCode } : {}),
      ...(this.firstByteMs !== undefined ? { firstByteMs: this.firstByteMs } : {}),
      durationMs: at - this.info.startedAt,
      endedAtIso,
      ...(outcome ? { outcome } : {}),
    });
  }
}

/** What the record says of an answer kx could not decode: the client got it whole all the same. */
function undecodableError(reason: string, status: number | undefined): NonNullable<ResponseSummary['error']> {
  return { message: `kx could not decode this answer (${reason}); the client received it unchanged`, code: 'undecodable', ...(status !== undefined ? { status } : {}) };
}

/** The human's own text beside the rewrite that went upstream in its place (learn mode). */
function linkOriginal(request: ParsedRequest, rewrite: RewriteNote): void {
  const human = [...request.input].reverse().find((i) => i.kind === 'human_message');
  if (human) human.detail = { ...human.detail, originalText: rewrite.originalText, approvalId: rewrite.approvalId };
}

/** What capture's record of a request takes from its description (describe-request.ts). */
function beginFields(d: RequestDescription): Pick<BeginRequest, 'transport' | 'request' | 'session' | 'client' | 'userAgent' | 'background' | 'prefilledContext'> {
  return {
    transport: d.transport,
    request: d.parsed,
    session: d.session,
    ...(d.client ? { client: d.client } : {}),
    ...(d.userAgent ? { userAgent: d.userAgent } : {}),
    ...(d.rules?.background ? { background: true } : {}),
    ...(d.rules?.prefilledContext ? { prefilledContext: true } : {}),
  };
}

/** One WebSocket connection: a sequence of response.create frames, each answered by a stream of event frames. */
class WsCapture implements WsObserver {
  private current: { ctx: RequestContext; folder: ResponsesEventFolder; startedAt: number; firstByteMs?: number } | undefined;
  /** What this socket's earlier frames said (describe-request.ts); the hook keeps its own by the same rule. */
  private readonly memory: ConnectionMemory = {};

  constructor(
    private readonly rec: Recorder,
    private readonly info: ExchangeInfo,
  ) {}

  refused(status: number, message: string): void {
    this.rec.defer(() => this.rec.tracker.captureError('ws-upgrade', `upstream refused WebSocket (${status}): ${message}`), undefined, 'ws');
  }

  opened(): void {}

  clientFrame(data: string, rewrite?: RewriteNote): void {
    const at = performance.now();
    const atIso = new Date().toISOString();
    this.rec.defer(
      () => {
        this.finishCurrent('cut', 'a new request started before the previous response ended', at, atIso);
        const request = parseWsFrame(data);
        if (rewrite) linkOriginal(request, rewrite);
        const described = this.rec.describe({ transport: 'ws', headers: this.info.headers, parsed: request }, this.memory);
        const ctx = this.rec.tracker.beginRequest({
          ...beginFields(described),
          method: 'WS',
          path: this.info.path,
          ...(this.info.upstream ? { upstream: this.info.upstream } : {}),
          startedAtIso: atIso,
          skippedItems: 0,
        });
        remember(this.memory, described);
        this.current = { ctx, folder: new ResponsesEventFolder(), startedAt: at };
      },
      () => this.current?.ctx,
      'ws-request',
    );
  }

  serverFrame(data: Buffer | string, isBinary: boolean): void {
    const at = performance.now();
    this.rec.defer(
      () => {
        const cur = this.current;
        if (!cur) return;
        cur.firstByteMs ??= at - cur.startedAt;
        if (isBinary) throw new Error('binary WebSocket frame from upstream');
        if (typeof data === 'string') cur.folder.feedData(data);
        else cur.folder.feedFrame(data);
        // Only the frame that ends a response needs its time as text: formatting it for every frame cost
        // more than the rest of capture's per-frame work.
        if (cur.folder.terminal) this.finishCurrent(undefined, undefined, at, new Date(performance.timeOrigin + at).toISOString());
      },
      () => this.current?.ctx,
      'ws-response',
    );
  }

  closed(code: number, reason: string, by: 'client' | 'upstream'): void {
    const at = performance.now();
    const atIso = new Date().toISOString();
    this.rec.defer(() => {
      const outcome = by === 'client' ? 'aborted' : undefined;
      this.finishCurrent(outcome, `WebSocket closed by ${by} (${code}${reason ? ` ${reason}` : ''})`, at, atIso);
    }, undefined, 'ws-close');
  }

  private finishCurrent(outcome: 'aborted' | 'cut' | undefined, reason: string | undefined, at: number, atIso: string): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    if (reason) cur.folder.markCut(reason);
    const summary = cur.folder.result();
    this.rec.tracker.finishRequest(cur.ctx, summary, {
      ...(cur.firstByteMs !== undefined ? { firstByteMs: cur.firstByteMs } : {}),
      durationMs: at - cur.startedAt,
      endedAtIso: atIso,
      ...(outcome ? { outcome } : {}),
      ...(summary.error?.status ? { statusCode: summary.error.status } : {}),
    });
  }
}
