// The project's scripted fake OpenAI upstream: Responses over HTTP+SSE and WebSocket, Chat
// Completions, /v1/models, with scenarios for errors, cut and stalled streams and bad frames.
// Tests, the demo and the bench all talk to it; the real API is never reachable here.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { isObject, parseJson } from '../../src/protocol/json-guards.js';
import { compressAnswer, offerOf, type FakeEncoding, type SentAnswer } from './compression.js';
import { answerInsight, answerRewrite, chat, responsesJson, sendJson, streamResponses } from './http-answers.js';
import { insightSchemaOf, type InsightScenario } from './insight.js';
import { embeddingsAnswer } from './embeddings.js';
import { isRewriteCall } from './rewrite.js';
import type { StreamShape } from './script.js';
import { FakeState, type Scenario, type SeenRequest } from './state.js';
import { createWsAnswers, RESPONSES_PATHS, type WsCounters } from './ws-answers.js';


export interface FakeUpstream {
  url: string;
  /** The base an OpenAI client uses: `${url}/v1`. */
  baseUrl: string;
  port: number;
  requests: SeenRequest[];
  /** Learn mode's rewrite calls (kept apart from `requests`, which are the agent's own). */
  rewriteCalls: SeenRequest[];
  /** kx's calls to /v1/embeddings (search's vectors), kept apart from the agent's requests. */
  embeddingCalls: SeenRequest[];
  /** Each compressed answer's bytes as sent (setCompression), in order. */
  compressedAnswers: SentAnswer[];
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
  /**
   * Compresses every HTTP answer with the first of `offer` the client's accept-encoding allows, as
   * real front ends do (true: zstd, br, gzip, deflate); null or false answers uncompressed.
   */
  setCompression(offer: readonly FakeEncoding[] | boolean | null): void;
  /** Stops recording requests (benchmarks, soak runs). */
  setRecording(on: boolean): void;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  port?: number;
  host?: string;
  /** As setCompression, from the start. */
  compression?: readonly FakeEncoding[] | boolean;
}

const CHAT_PATHS = new Set(['/v1/chat/completions']);


function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Routes one HTTP request to its answer. */
async function handle(state: FakeState, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const rawBody = await readBody(req);
  const url = req.url ?? '/';
  const seen = (body: unknown): SeenRequest => ({ transport: 'http', method: req.method ?? 'GET', path: url, headers: req.headers, body, rawBody });
  let decoded: Buffer;
  try {
    decoded = decodeBody(rawBody, req.headers['content-encoding']);
  } catch {
    // Recorded all the same: what arrived on the wire is what tests compare.
    state.record(seen(undefined));
    return sendJson(res, 400, { error: { message: 'Could not decode the request body.', type: 'invalid_request_error', code: 'bad_encoding' } });
  }
  const body = parseJson(decoded.toString('utf8'));
  if (isObject(body) && isRewriteCall(body)) {
    state.rewriteCalls.push(seen(body));
    return answerRewrite(state, res, body);
  }
  const path = url.split('?')[0]!.replace(/\/+$/, '');
  // kx's own embedding calls have their own list, as its rewrite calls do: tests count the agent's requests.
  if (req.method === 'POST' && path === '/v1/embeddings' && isObject(body)) {
    state.embeddingCalls.push(seen(body));
    const answer = embeddingsAnswer(body);
    return sendJson(res, answer.status, answer.body);
  }
  state.record(seen(body));
  // Both bases answer: the API's /v1 and the ChatGPT backend's /backend-api/codex.
  if (req.method === 'POST' && (RESPONSES_PATHS.has(path) || CHAT_PATHS.has(path))) {
    // Insight calls have their own script, looked at first: they never take a scenario meant for the agent.
    const schema = RESPONSES_PATHS.has(path) ? insightSchemaOf(body) : undefined;
    if (schema && isObject(body)) return answerInsight(state, res, body, schema, state.insightQueue.shift());
    const scenario = state.takeModelScenario();
    if (scenario?.kind === 'http-error') return sendJson(res, scenario.status, scenario.body, scenario.headers);
    if (!isObject(body)) {
      return sendJson(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
    }
    if (CHAT_PATHS.has(path)) return chat(state, res, body, scenario);
    if (body.stream === true) return streamResponses(state, res, body, scenario);
    return responsesJson(state, res, body, scenario);
  }
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-6.1-sol', object: 'model', owned_by: 'fake' }, { id: 'gpt-5', object: 'model', owned_by: 'fake' }] });
  }
  sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${url}.`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
}

/** Counts of what the server saw, read through the handle's getters. */
interface Counters {
  ws: WsCounters;
  responsesClosedEarly: number;
  sockets: Set<Socket | Duplex>;
}

function createServer(state: FakeState, counters: Counters): { server: http.Server; wss: ReturnType<typeof createWsAnswers>['wss'] } {
  const track = (s: Socket | Duplex) => {
    counters.sockets.add(s);
    s.on('close', () => counters.sockets.delete(s));
  };
  const server = http.createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) counters.responsesClosedEarly += 1;
    });
    if (state.compression) compressAnswer(req, res, state.compression, state.recording ? state.compressedAnswers : undefined);
    handle(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error' } });
      else res.destroy();
    });
  });
  server.on('connection', track);
  const { wss, upgrade } = createWsAnswers(state, counters.ws);
  server.on('upgrade', (req, socket, head) => {
    track(socket);
    upgrade(req, socket, head);
  });
  return { server, wss };
}

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const state = new FakeState();
  state.compression = offerOf(opts.compression);
  const counters: Counters = { ws: { connections: 0, closed: 0, closeCodes: [] }, responsesClosedEarly: 0, sockets: new Set() };
  const { ws, sockets } = counters;
  const { server, wss } = createServer(state, counters);
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
    requests: state.requests,
    rewriteCalls: state.rewriteCalls,
    embeddingCalls: state.embeddingCalls,
    compressedAnswers: state.compressedAnswers,
    get wsConnections() {
      return ws.connections;
    },
    get responsesClosedEarly() {
      return counters.responsesClosedEarly;
    },
    get wsClosed() {
      return ws.closed;
    },
    wsCloseCodes: ws.closeCodes,
    get openSockets() {
      return sockets.size;
    },
    enqueue: (s) => void state.queue.push(s),
    enqueueInsight: (s: InsightScenario) => void state.insightQueue.push(s),
    setStreamShape: (s: StreamShape | null) => void (state.shape = s),
    setCompression: (offer) => void (state.compression = offerOf(offer)),
    setRecording: (on) => void (state.recording = on),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
