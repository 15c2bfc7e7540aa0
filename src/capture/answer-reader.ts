// What capture reads of one HTTP answer: an SSE stream folded event by event, or a JSON body read
// whole, each decoded from its content-encoding first. The client got the bytes as they were sent;
// this is a copy. An answer kx cannot decode is said so (outcome `undecodable`, with the reason),
// never passed off as a stream that was cut.

import { createStreamDecoder, decodeBody, encodingsOf, undecodableEncoding, type StreamDecoder } from '../protocol/body-encoding.js';
import { ChatCompletionFolder } from '../protocol/chat-completions.js';
import type { ResponseSummary } from '../protocol/items.js';
import { header, type HeaderBag } from '../protocol/request-meta.js';
import { isDeltaHead, ResponsesEventFolder } from '../protocol/responses-events.js';
import { createSseDecoder, type SseDecoder } from '../protocol/sse-decoder.js';
import type { ExchangeEnd } from '../proxy/traffic-observer.js';

/** A JSON answer is read whole; past this it is not the answer to a model call. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface AnswerRead {
  summary: ResponseSummary;
  outcome?: 'aborted' | 'cut' | 'undecodable';
}

export class AnswerReader {
  private readonly folder: ResponsesEventFolder | ChatCompletionFolder;
  private readonly sse: SseDecoder;
  private isSse = false;
  private encoding: string | undefined;
  private decoder: StreamDecoder | undefined;
  private decoded = false;
  private whenDecoded: (() => void) | undefined;
  /** Why the answer could not be decoded. */
  private failure: string | undefined;
  private readonly body: Buffer[] = [];
  private bodyBytes = 0;

  /** `later` runs capture work in order, off the forwarding turn; `hold` keeps the recorder from calling itself drained while a decoder works. */
  constructor(
    api: 'responses' | 'chat',
    private readonly later: (fn: () => void) => void,
    private readonly hold: () => () => void,
  ) {
    const folder = (this.folder = api === 'chat' ? new ChatCompletionFolder() : new ResponsesEventFolder());
    // A Chat Completions stream is all deltas, and they are its answer: only Responses skips them.
    this.sse = createSseDecoder(
      (data, event) => folder.feedData(data, event),
      folder instanceof ResponsesEventFolder ? { test: isDeltaHead, counted: () => folder.countSkipped() } : undefined,
    );
  }

  start(headers: HeaderBag): void {
    this.isSse = (header(headers, 'content-type') ?? '').includes('text/event-stream');
    this.encoding = header(headers, 'content-encoding');
    this.failure = undecodableEncoding(this.encoding);
    if (this.failure || !this.isSse || encodingsOf(this.encoding).length === 0) return;
    const release = this.hold();
    this.decoder = createStreamDecoder(
      this.encoding,
      (bytes) => this.later(() => this.sse.feed(bytes)),
      (err) => {
        this.later(() => {
          this.decoded = true;
          if (err) this.failure ??= `kx could not decode the answer (content-encoding: ${this.encoding}): ${err.message}`;
          this.whenDecoded?.();
        });
        release();
      },
    );
  }

  chunk(chunk: Buffer): void {
    if (this.failure) return;
    if (!this.isSse) {
      if (this.bodyBytes < MAX_BODY_BYTES) this.body.push(chunk);
      this.bodyBytes += chunk.length;
    } else if (this.decoder) this.decoder.write(chunk);
    else this.sse.feed(chunk);
  }

  /** Calls `then` once every byte received has been read (a decoder may still hold some). */
  end(then: () => void): void {
    if (!this.decoder || this.decoded) return then();
    this.whenDecoded = then;
    this.decoder.end();
  }

  read(end: ExchangeEnd, status: number | undefined): AnswerRead {
    let summary: ResponseSummary;
    if (this.isSse) {
      this.sse.end();
      if (end.kind !== 'complete') this.folder.markCut(end.message);
      else this.folder.markCut('stream ended before a terminal event');
      summary = this.folder.result();
    } else {
      summary = bodySummary(this.folder, this.decodedBody(), status);
    }
    if (end.kind === 'aborted') return { summary, outcome: 'aborted' };
    // A stream cut mid-way also breaks its compression: the cut is what happened, not the encoding.
    if (this.failure && end.kind === 'complete') return { summary: { ...summary, status: 'error', error: { message: this.failure } }, outcome: 'undecodable' };
    return summary.status === 'in_progress' ? { summary, outcome: 'cut' } : { summary };
  }

  private decodedBody(): Buffer {
    const raw = Buffer.concat(this.body);
    if (this.failure) return raw;
    try {
      return decodeBody(raw, this.encoding);
    } catch (err) {
      this.failure = `kx could not decode the answer (content-encoding: ${this.encoding}): ${(err as Error).message}`;
      return raw;
    }
  }
}

/** A non-SSE answer: a JSON body (chat non-stream, stream:false responses) or an error. */
function bodySummary(folder: ResponsesEventFolder | ChatCompletionFolder, body: Buffer, status: number | undefined): ResponseSummary {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  const ok = status !== undefined && status < 400;
  if (ok && json !== undefined) {
    if (folder instanceof ChatCompletionFolder) folder.feedBody(json);
    else folder.feedEvent({ type: 'response.completed', response: json });
    return folder.result();
  }
  const summary = folder.result();
  const text = body.toString('utf8').slice(0, 4000);
  return { ...summary, status: 'error', error: errorFrom(json !== undefined ? json : text, status) };
}

function errorFrom(raw: unknown, status: number | undefined): NonNullable<ResponseSummary['error']> {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const e = typeof obj.error === 'object' && obj.error !== null ? (obj.error as Record<string, unknown>) : obj;
  const message = typeof e.message === 'string' ? e.message : typeof raw === 'string' ? raw : `HTTP ${status ?? '?'}`;
  return {
    message,
    ...(status !== undefined ? { status } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.type === 'string' ? { type: e.type } : {}),
  };
}
