// The project's scripted fake OpenAI upstream: Responses over HTTP+SSE and WebSocket, Chat
// Completions, /v1/models, with scenarios for errors, cut and stalled streams and bad frames.
// Tests, the demo and the bench all talk to it; the real API is never reachable here.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeBody } from '../protocol/body-encoding.js';
import { chatChunks, chatCompletion } from './chat.js';
import { defaultInsightOutput, insightSchemaOf, type InsightScenario } from './insight.js';
import { defaultRewrite, isRewriteCall, rewriteResponse, type RewriteScenario } from './rewrite.js';
import {
  decideOutput,
  previousResponseNotFound,
  responseEvents,
  responseFailed,
  shapedEvents,
  sseFrame,
  type AnswerContext,
  type Json,
  type StreamShape,
} from './script.js';
import { isObject } from '../protocol/json-guards.js';

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

export interface FakeUpstream {
  url: string;
  /** The base an OpenAI client uses: `${url}/v1`. */
  baseUrl: string;
  port: number;
  requests: SeenRequest[];
  /** Learn mode's rewrite calls (kept apart from `requests`, which are the agent's own). */
  rewriteCalls: SeenRequest[];
  /** WebSocket connections accepted so far. */
  readonly wsConnections: number;
  /** HTTP responses whose connection closed before the fake finished them (the caller went away, or a cut). */
  readonly responsesClosedEarly: number;
  /** WebSocket connections closed so far, by either side. */
  readonly wsClosed: number;
  /** The close code the fake saw on each closed WebSocket (1005: a close frame without a code). */
  readonly wsCloseCodes: number[];
  /** Sockets (HTTP and WebSocket) open to the fake right now. */
  readonly openSockets: number;
  /** Queues a scenario for the next model call (or, for ws-refuse, the next upgrade). */
  enqueue(s: Scenario): void;
  /** Queues a scenario for the next insight call (one naming a kx insight schema in text.format). */
  enqueueInsight(s: InsightScenario): void;
  /** Replaces every model answer with a synthetic stream of this shape (benchmarks); null restores the script. */
  setStreamShape(shape: StreamShape | null): void;
  /** Stops recording requests (benchmarks, soak runs). */
  setRecording(on: boolean): void;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  port?: number;
  host?: string;
}

const MODEL_PATHS = {
  responses: new Set(['/v1/responses', '/backend-api/codex/responses']),
  chat: new Set(['/v1/chat/completions']),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stallFor = (s: { ms: number; release?: Promise<unknown> }): Promise<unknown> => s.release ?? sleep(s.ms);

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes and waits for the socket to drain when its buffer is full, as a real server would. */
function write(res: http.ServerResponse, chunk: string): Promise<void> | void {
  if (res.write(chunk)) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  const queue: Scenario[] = [];
  const insightQueue: InsightScenario[] = [];
  let shape: StreamShape | null = null;
  let recording = true;
  let counter = 0;
  let wsConnections = 0;
  let wsClosed = 0;
  const wsCloseCodes: number[] = [];
  let responsesClosedEarly = 0;
  const sockets = new Set<Socket | Duplex>();

  const nextCtx = (): AnswerContext => {
    counter += 1;
    const n = String(counter).padStart(2, '0');
    return { responseId: `resp_fake_${n}`, n, createdAt: 1795530000 + counter };
  };
  const take = (pred: (s: Scenario) => boolean): Scenario | undefined => {
    const i = queue.findIndex(pred);
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };
  const takeModelScenario = () => take((s) => s.kind !== 'ws-refuse' && !s.kind.startsWith('rewrite'));
  const rewriteCalls: SeenRequest[] = [];

  /** Learn mode's rewrite call: its own queue, so Codex's turns never take a rewrite script. */
  async function answerRewrite(res: http.ServerResponse, body: Json): Promise<void> {
    let s = take((x) => x.kind.startsWith('rewrite')) as RewriteScenario | undefined;
    if (s?.kind === 'rewrite-stall') {
      await stallFor(s);
      if (res.destroyed) return;
      s = take((x) => x.kind === 'rewrite') as RewriteScenario | undefined;
    }
    if (s?.kind === 'rewrite-fail') {
      return sendJson(res, s.status, { error: { message: s.message ?? 'The fake upstream failed the rewrite.', type: 'server_error', code: null } });
    }
    const ctx = nextCtx();
    const response = rewriteResponse(body, s?.kind === 'rewrite' ? s.answer : defaultRewrite(body), ctx.n, ctx.createdAt);
    if (body.stream !== true) return sendJson(res, 200, response);
    // The ChatGPT dialect: the same answer as a Responses stream.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
    for (const event of responseEvents(body, response.output as Json[], ctx)) await write(res, sseFrame(event));
    res.end();
  }
  const record = (r: SeenRequest) => {
    if (recording) requests.push(r);
  };

  /** The events to send for a Responses request, with the scenario that shapes how they are sent. */
  function* answerEvents(body: Json, scenario: Scenario | undefined, ctx: AnswerContext): Generator<Json> {
    const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
    if (scenario?.kind === 'previous-response-not-found') {
      yield previousResponseNotFound(typeof body.previous_response_id === 'string' ? body.previous_response_id : 'resp_unknown');
      return;
    }
    if (scenario?.kind === 'response-failed') {
      const pending = { id: ctx.responseId, object: 'response', created_at: ctx.createdAt, status: 'in_progress', model, output: [] };
      yield { type: 'response.created', response: pending };
      yield responseFailed(ctx, model, scenario.code ?? 'server_error', scenario.message ?? 'The fake upstream failed this response.');
      return;
    }
    if (shape && body.generate !== false) {
      yield* shapedEvents(body, shape, ctx);
      return;
    }
    const output =
      scenario?.kind === 'answer'
        ? [{ id: `msg_fake_${ctx.n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: scenario.text, annotations: [] }] }]
        : decideOutput(body, ctx);
    yield* responseEvents(body, output, ctx);
  }

  async function streamResponses(res: http.ServerResponse, body: Json, scenario: Scenario | undefined): Promise<void> {
    const ctx = nextCtx();
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'x-request-id': `req_fake_${ctx.n}`,
      'openai-model': String(body.model ?? 'gpt-6.1-sol'),
      'x-codex-turn-state': `ts_fake_${ctx.n}`,
    });
    let sent = 0;
    for (const event of answerEvents(body, scenario, ctx)) {
      if (res.destroyed) return;
      if (scenario?.kind === 'cut' && sent === scenario.afterEvents) {
        // Half an event, then the connection drops: what a broken upstream looks like.
        const frame = sseFrame(event);
        await new Promise<void>((resolve) => res.write(frame.slice(0, Math.floor(frame.length / 2)), () => resolve()));
        res.socket?.destroy();
        return;
      }
      if (scenario?.kind === 'stall' && sent === scenario.afterEvents) await stallFor(scenario);
      if (scenario?.kind === 'malformed-sse' && sent === 1) {
        await write(res, 'data: {"type":"response.output_text.delta", this is not json\n\n');
        await write(res, 'event: fake.unknown\ndata: not-json-at-all\n\n');
      }
      await write(res, sseFrame(event));
      sent += 1;
      if (shape && shape.paceMs > 0) await sleep(shape.paceMs);
    }
    res.end();
  }

  function responsesJson(res: http.ServerResponse, body: Json, scenario: Scenario | undefined): void {
    const events = [...answerEvents(body, scenario, nextCtx())];
    const last = events.at(-1);
    if (last?.type === 'error') return sendJson(res, Number(last.status ?? 400), { error: last.error });
    sendJson(res, 200, last?.response ?? {});
  }

  async function chat(res: http.ServerResponse, body: Json, scenario: Scenario | undefined): Promise<void> {
    const ctx = nextCtx();
    if (body.stream !== true) return sendJson(res, 200, chatCompletion(body, ctx.n, ctx.createdAt));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
    let sent = 0;
    for (const chunk of chatChunks(body, ctx.n, ctx.createdAt)) {
      if (scenario?.kind === 'cut' && sent === scenario.afterEvents) {
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        res.socket?.destroy();
        return;
      }
      if (scenario?.kind === 'stall' && sent === scenario.afterEvents) await stallFor(scenario);
      await write(res, `data: ${JSON.stringify(chunk)}\n\n`);
      sent += 1;
    }
    await write(res, 'data: [DONE]\n\n');
    res.end();
  }

  async function answerInsight(res: http.ServerResponse, body: Json, schema: string, scenario: InsightScenario | undefined): Promise<void> {
    if (scenario?.kind === 'http-error') {
      return sendJson(res, scenario.status, scenario.body ?? { error: { message: `fake insight error ${scenario.status}`, type: 'server_error' } }, scenario.headers);
    }
    if (scenario?.kind === 'stall') await stallFor(scenario);
    const text = scenario?.kind === 'invalid' ? '{"summary": "not the schema"' : JSON.stringify(scenario?.kind === 'answer' || (scenario?.kind === 'stall' && scenario.output !== undefined) ? scenario.output : defaultInsightOutput(schema, body));
    const ctx = nextCtx();
    const events = responseEvents(body, [{ id: `msg_fake_${ctx.n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], ctx);
    if (body.stream !== true) {
      const response = events.at(-1)!.response as Json;
      if (scenario?.kind === 'cut') {
        const full = JSON.stringify(response);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(full) });
        await new Promise<void>((resolve) => res.write(full.slice(0, full.length >> 1), () => resolve()));
        res.socket?.destroy();
        return;
      }
      return sendJson(res, 200, response);
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
    for (const [i, event] of events.entries()) {
      if (scenario?.kind === 'cut' && i === 3) {
        res.socket?.destroy();
        return;
      }
      await write(res, sseFrame(event));
    }
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    let decoded: Buffer;
    try {
      decoded = decodeBody(rawBody, req.headers['content-encoding']);
    } catch {
      // Recorded all the same: what arrived on the wire is what tests compare.
      record({ transport: 'http', method: req.method ?? 'GET', path: url, headers: req.headers, body: undefined, rawBody });
      return sendJson(res, 400, { error: { message: 'Could not decode the request body.', type: 'invalid_request_error', code: 'bad_encoding' } });
    }
    const body = parseJson(decoded);
    if (isObject(body) && isRewriteCall(body)) {
      rewriteCalls.push({ transport: 'http', method: req.method ?? 'POST', path: url, headers: req.headers, body, rawBody });
      return answerRewrite(res, body);
    }
    record({ transport: 'http', method: req.method ?? 'GET', path: url, headers: req.headers, body, rawBody });
    const path = url.split('?')[0]!.replace(/\/+$/, '');
    // Both bases answer: the API's /v1 and the ChatGPT backend's /backend-api/codex.
    const isModelCall = req.method === 'POST' && (MODEL_PATHS.responses.has(path) || MODEL_PATHS.chat.has(path));
    if (isModelCall) {
      const scenario = takeModelScenario();
      if (scenario?.kind === 'http-error') return sendJson(res, scenario.status, scenario.body, scenario.headers);
      if (!isObject(body)) {
        return sendJson(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
      }
      if (MODEL_PATHS.chat.has(path)) return chat(res, body, scenario);
      const schema = insightSchemaOf(body);
      if (schema) {
        // Insight calls have their own script, so agent scenarios are never taken by them.
        if (scenario) queue.unshift(scenario);
        return answerInsight(res, body, schema, insightQueue.shift());
      }
      if (body.stream === true) return streamResponses(res, body, scenario);
      return responsesJson(res, body, scenario);
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-6.1-sol', object: 'model', owned_by: 'fake' }, { id: 'gpt-5', object: 'model', owned_by: 'fake' }] });
    }
    sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${url}.`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
  }

  const server = http.createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) responsesClosedEarly += 1;
    });
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error' } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  // Picks the last subprotocol a client offers, so a proxy that answers with its own choice shows.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => [...offered].at(-1) ?? false });
  let turnStateN = 0;
  wss.on('headers', (headers) => {
    turnStateN += 1;
    headers.push('openai-model: gpt-6.1-sol', `x-codex-turn-state: ts_fake_ws_${turnStateN}`);
  });

  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const refuse = take((s) => s.kind === 'ws-refuse');
    const path = (req.url ?? '').split('?')[0];
    if (refuse?.kind === 'ws-refuse' || !MODEL_PATHS.responses.has(path ?? '')) {
      const status = refuse?.kind === 'ws-refuse' ? refuse.status : 404;
      const body = JSON.stringify({ error: { message: 'WebSocket refused by the fake upstream', type: 'invalid_request_error' } });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wsConnections += 1;
      ws.on('close', (code) => {
        wsClosed += 1;
        wsCloseCodes.push(code);
      });
      serveWs(ws, req);
    });
  });

  function serveWs(ws: WebSocket, upgrade: http.IncomingMessage): void {
    // Frames are answered one at a time, in order, like one Codex turn after another.
    let chain = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      const raw = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      chain = chain.then(() => answerFrame(ws, upgrade, raw, isBinary)).catch(() => ws.terminate());
    });
  }

  async function answerFrame(ws: WebSocket, upgrade: http.IncomingMessage, raw: Buffer, isBinary: boolean): Promise<void> {
    const body = isBinary ? undefined : parseJson(raw);
    record({ transport: 'ws', method: 'GET', path: upgrade.url ?? '', headers: upgrade.headers, body, rawBody: raw });
    if (!isObject(body) || body.type !== 'response.create') {
      ws.send(JSON.stringify({ type: 'error', status: 400, error: { type: 'invalid_request_error', code: 'invalid_frame', message: 'Expected a response.create frame.' } }));
      return;
    }
    const scenario = takeModelScenario();
    if (scenario?.kind === 'ws-invalid-frame') {
      // A frame with a reserved opcode: the receiver must fail the connection.
      const sock = (ws as unknown as { _socket: Socket })._socket;
      sock.write(Buffer.from([0x83, 0x00]));
      return;
    }
    const ctx = nextCtx();
    let sent = 0;
    for (const event of answerEvents(body, scenario, ctx)) {
      if (ws.readyState !== ws.OPEN) return;
      if (scenario?.kind === 'ws-close' && sent === scenario.afterEvents) {
        if (scenario.code === 1005) ws.close();
        else ws.close(scenario.code, scenario.reason);
        return;
      }
      if (scenario?.kind === 'cut' && sent === scenario.afterEvents) {
        ws.terminate();
        return;
      }
      if (scenario?.kind === 'stall' && sent === scenario.afterEvents) await stallFor(scenario);
      ws.send(JSON.stringify(event));
      sent += 1;
      if (shape && shape.paceMs > 0) await sleep(shape.paceMs);
      else if (ws.bufferedAmount > 1 << 20) while (ws.bufferedAmount > 1 << 18 && ws.readyState === ws.OPEN) await sleep(1);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    rewriteCalls,
    get wsConnections() {
      return wsConnections;
    },
    get responsesClosedEarly() {
      return responsesClosedEarly;
    },
    get wsClosed() {
      return wsClosed;
    },
    wsCloseCodes,
    get openSockets() {
      return sockets.size;
    },
    enqueue: (s) => void queue.push(s),
    enqueueInsight: (s) => void insightQueue.push(s),
    setStreamShape: (s) => void (shape = s),
    setRecording: (on) => void (recording = on),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
