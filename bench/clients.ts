// Load clients that time a streamed Responses call the way an agent feels it: first byte of the
// answer's body, last byte, bytes and events. They count events without parsing each one, so the
// client's own cost stays small and the same for every target.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { healthView } from '../src/contracts/health.js';

export interface Target {
  name: 'direct' | 'bare' | 'kx';
  /** http://127.0.0.1:PORT, serving /v1/responses. */
  origin: string;
  agent: http.Agent;
}

export function makeTarget(name: Target['name'], origin: string): Target {
  return { name, origin, agent: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 }) };
}

export interface StreamResult {
  ok: boolean;
  error?: string;
  /** From sending the request to the first byte of the body (HTTP) or the first frame (WS), ms. */
  ttfbMs: number;
  /** From sending the request to the end of the stream, ms. */
  ttlbMs: number;
  bytes: number;
  events: number;
  /** The last event's JSON (response.completed when all went well). */
  last?: string;
}

export { userMessage } from '../harness/drivers/http-client.js';

export function responsesBody(input: unknown[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input, ...extra }));
}

const TAIL_BYTES = 64 * 1024;
const NL = 0x0a;

/** The data of the last SSE event in `tail`. */
function lastSseData(tail: Buffer): string | undefined {
  const text = tail.toString('utf8').trimEnd();
  const at = text.lastIndexOf('\ndata: ');
  if (at < 0) return text.startsWith('data: ') ? text.slice(6) : undefined;
  return text.slice(at + 7).split('\n')[0];
}

/**
 * POSTs a streamed Responses request and times the answer. `expectEvents` makes a stream with any
 * other number of events count as failed: a proxy that loses an event must not look fast.
 */
export function sseCall(target: Target, body: Buffer, headers: Record<string, string>, expectEvents?: number): Promise<StreamResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttfb = NaN;
    let bytes = 0;
    let events = 0;
    let prevNl = false;
    const tail: Buffer[] = [];
    let tailLen = 0;
    let settled = false;
    const done = (r: Omit<StreamResult, 'ttfbMs' | 'ttlbMs' | 'bytes' | 'events'>): void => {
      if (settled) return;
      settled = true;
      resolve({ ttfbMs: ttfb, ttlbMs: performance.now() - t0, bytes, events, ...r });
    };
    const req = http.request(
      `${target.origin}/v1/responses`,
      {
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          if (bytes === 0) ttfb = performance.now() - t0;
          bytes += chunk.length;
          // Each SSE event ends with a blank line; JSON data never holds a raw newline.
          for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) {
            if (i === 0 ? prevNl : chunk[i - 1] === NL) events++;
          }
          prevNl = chunk[chunk.length - 1] === NL;
          tail.push(chunk);
          tailLen += chunk.length;
          while (tail.length > 1 && tailLen - tail[0]!.length >= TAIL_BYTES) tailLen -= tail.shift()!.length;
        });
        res.on('end', () => {
          const last = lastSseData(Buffer.concat(tail));
          const completed = last?.startsWith('{"type":"response.completed"') ?? false;
          const ok = res.statusCode === 200 && completed && (expectEvents === undefined || events === expectEvents);
          const error = ok ? undefined : res.statusCode !== 200 ? `HTTP ${res.statusCode}` : !completed ? 'no response.completed' : `${events} events, expected ${expectEvents}`;
          done({ ok, ...(error ? { error } : {}), ...(last ? { last } : {}) });
        });
        res.on('error', (e) => done({ ok: false, error: e.message }));
        res.on('aborted', () => done({ ok: false, error: 'aborted' }));
      },
    );
    req.setNoDelay(true);
    req.on('error', (e) => done({ ok: false, error: e.message }));
    req.end(body);
  });
}

const TERMINAL = ['"type":"response.completed"', '"type":"response.failed"', '"type":"response.incomplete"', '"type":"error"'];

/** One WebSocket to a target, used like Codex uses it: one response.create after another on the same socket. */
export class WsConn {
  private waiter: ((data: Buffer) => void) | undefined;
  private closedWith: string | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.waiter?.(data as Buffer));
    ws.on('close', (code) => {
      this.closedWith = `closed (${code})`;
      this.waiter?.(Buffer.alloc(0));
    });
    ws.on('error', () => {});
  }

  static open(target: Target, headers: Record<string, string>): Promise<WsConn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${target.origin.replace(/^http/, 'ws')}/v1/responses`, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      ws.once('open', () => resolve(new WsConn(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  stream(frame: Record<string, unknown>, expectEvents?: number): Promise<StreamResult> {
    return new Promise((resolve) => {
      if (this.closedWith) {
        resolve({ ok: false, error: this.closedWith, ttfbMs: NaN, ttlbMs: NaN, bytes: 0, events: 0 });
        return;
      }
      let ttfb = NaN;
      let bytes = 0;
      let events = 0;
      const t0 = performance.now();
      this.waiter = (data) => {
        if (this.closedWith) {
          this.waiter = undefined;
          resolve({ ok: false, error: this.closedWith, ttfbMs: ttfb, ttlbMs: performance.now() - t0, bytes, events });
          return;
        }
        if (events === 0) ttfb = performance.now() - t0;
        events++;
        bytes += data.length;
        const head = data.toString('latin1', 0, 40);
        const terminal = TERMINAL.find((t) => head.includes(t));
        if (!terminal) return;
        this.waiter = undefined;
        const completed = terminal === TERMINAL[0];
        const ok = completed && (expectEvents === undefined || events === expectEvents);
        const error = ok ? undefined : !completed ? head : `${events} frames, expected ${expectEvents}`;
        resolve({ ok, ttfbMs: ttfb, ttlbMs: performance.now() - t0, bytes, events, last: data.toString('utf8'), ...(error ? { error } : {}) });
      };
      this.ws.send(JSON.stringify({ type: 'response.create', ...frame }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** GET /api/health on kx: the capture backlog (recorder queue) and the store's (ops not yet in SQLite). */
export interface KxHealth {
  captureBacklog: number;
  storeBacklog: number;
  committedOps: number;
  droppedOps: number;
  storeOk: boolean;
}

const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export function kxHealth(origin: string): Promise<KxHealth> {
  return new Promise((resolve, reject) => {
    http
      .get(`${origin}/api/health`, { agent: healthAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const h = healthView.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            if (!h.store || h.captureBacklog === undefined) throw new Error('kx answered /api/health without its store and capture facts');
            resolve({ captureBacklog: h.captureBacklog, storeBacklog: h.store.backlog, committedOps: h.store.committedOps, droppedOps: h.store.droppedOps, storeOk: h.store.ok });
          } catch (err) {
            reject(err as Error);
          }
        });
      })
      .on('error', reject);
  });
}

/** Waits until kx has nothing left to capture or commit (twice in a row, so a batch between polls is not missed). */
export async function kxIdle(origin: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let quiet = 0;
  while (quiet < 2) {
    const h = await kxHealth(origin);
    quiet = h.captureBacklog === 0 && h.storeBacklog === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error(`kx still busy after ${limitMs} ms: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Samples kx's backlogs while a phase runs. Peaks shorter than the interval can slip between samples. */
export class BacklogWatch {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  maxCapture = 0;
  maxStore = 0;
  samples = 0;

  constructor(private readonly origin: string, readonly everyMs = 25) {}

  start(): this {
    this.timer = setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = true;
      kxHealth(this.origin)
        .then((h) => {
          this.samples++;
          this.maxCapture = Math.max(this.maxCapture, h.captureBacklog);
          this.maxStore = Math.max(this.maxStore, h.storeBacklog);
        })
        .catch(() => {})
        .finally(() => (this.inFlight = false));
    }, this.everyMs);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
