// Bridges Codex's Responses WebSocket to the upstream's, frame for frame, one upstream socket per
// client socket (docs/protocol.md §3.6 option B). The upstream is dialled first; if it refuses, the
// client gets 426 so Codex falls back to HTTP at once (any other status costs retries, 400 kills the turn).

import type http from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { forwardRequestHeaders, upstreamUrl } from './forward-headers.js';
import { KEEPALIVE_FRAME, refusalBody, type HookDecision, type RequestHook, type RewriteNote } from './request-hook.js';
import type { CredentialHandOff, TrafficObserver, WsObserver } from './traffic-observer.js';
import type { HeaderBag } from '../protocol/request-meta.js';
import type { Upstreams } from './upstream-route.js';
import type { AnswerGate } from './answer-gate.js';
import { beginExchange, type Prologue } from './exchange-prologue.js';

export interface WsBridgeOptions {
  /** Each connection goes to the one its credentials belong to (upstream-route.ts). */
  upstreams: Upstreams;
  observer?: TrafficObserver;
  hook?: () => RequestHook | undefined;
  log?: (line: Record<string, unknown>) => void;
  /** Receives the caller's credentials for the insight engine's in-memory vault. */
  credentials?: CredentialHandOff;
  /** How often a held frame's socket gets a `proxy.keepalive` text frame (Codex's idle clock runs from its response.create). */
  keepaliveMs?: number;
  /** How long the upstream handshake may take before the client is told 426. */
  connectTimeoutMs?: number;
  /** Told when a frame awaits its answer, so kx's own work waits for the answer's first frame. */
  gate?: AnswerGate;
}

// Headers Codex reads from the 101 (docs/protocol.md §3.1); the rest of the upstream's 101 is the handshake itself.
const PASSED_101_HEADERS = ['x-codex-turn-state', 'openai-model', 'x-models-etag', 'x-reasoning-included', 'x-request-id', 'x-openai-request-id'];

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { message, type: 'upstream_websocket_refused' } });
  const reason = status === 426 ? 'Upgrade Required' : 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Close codes a peer may send in a close frame; others (1005, 1006, 1015) only describe what happened. */
const sendable = (code: number): boolean => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function toText(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** One bridged connection: both sockets, what capture sees, and the hook's view of it. */
interface Bridge {
  client: WebSocket;
  upstream: WebSocket;
  path: string;
  safeHeaders: HeaderBag;
  obs: WsObserver | undefined;
  /** Aborted when the client leaves, so a held frame's approval is cancelled and nothing goes upstream. */
  hangUp: AbortController;
  /** Learn mode keeps per-connection memory here (the project an earlier frame named). */
  connection: object;
  gate: AnswerGate | undefined;
  /** Ends the wait a sent frame opened, at the upstream's next frame or the close. */
  answered: (() => void) | undefined;
}

/** Sends a client frame on, unless the upstream or the client is gone. */
function sendUp(b: Bridge, text: Buffer, isBinary: boolean, note?: RewriteNote): void {
  if (b.upstream.readyState !== WebSocket.OPEN || b.hangUp.signal.aborted) return;
  b.upstream.send(text, { binary: isBinary });
  b.answered ??= b.gate?.awaitAnswer();
  if (!isBinary) b.obs?.clientFrame(text.toString('utf8'), note);
}

/** Awaits the hook; while it holds, only this socket waits, and Codex gets keepalive frames. */
async function decide(b: Bridge, hook: RequestHook, buf: Buffer, keepaliveMs: number): Promise<HookDecision> {
  const keepalive = setInterval(() => {
    if (b.client.readyState === WebSocket.OPEN) b.client.send(KEEPALIVE_FRAME);
  }, keepaliveMs);
  try {
    return await hook({ transport: 'ws', path: b.path, headers: b.safeHeaders, body: buf, signal: b.hangUp.signal, connection: b.connection });
  } finally {
    clearInterval(keepalive);
  }
}

/** Client frames go upstream in order; with a hook installed, each text frame waits for its decision. */
function relayClientFrames(b: Bridge, hookNow: () => RequestHook | undefined, keepaliveMs: number, log: (l: Record<string, unknown>) => void): void {
  let chain: Promise<void> = Promise.resolve();
  b.client.on('message', (data, isBinary) => {
    const buf = toText(data);
    const hook = hookNow();
    if (!hook || isBinary) {
      chain = chain.then(() => sendUp(b, buf, isBinary));
      return;
    }
    chain = chain.then(async () => {
      try {
        const decision = await decide(b, hook, buf, keepaliveMs);
        if (decision.action === 'replace') sendUp(b, decision.body, false, decision.note);
        else if (decision.action === 'refuse') {
          const err = JSON.parse(refusalBody(decision)) as Record<string, unknown>;
          b.client.send(JSON.stringify({ type: 'error', status: decision.status, ...err }));
        } else sendUp(b, buf, false);
      } catch (err) {
        log({ level: 'error', msg: 'request hook failed; forwarding the original frame', error: (err as Error).message });
        sendUp(b, buf, false);
      }
    });
  });
  b.client.on('ping', (d) => b.upstream.readyState === WebSocket.OPEN && b.upstream.ping(d));
}

/** Either side closing closes the other the way it was closed; an error is an abnormal close. */
function closeTogether(b: Bridge, log: (l: Record<string, unknown>) => void): void {
  let closed = false;
  const finish = (code: number, reason: string, by: 'client' | 'upstream'): void => {
    if (closed) return;
    closed = true;
    b.hangUp.abort();
    b.obs?.closed(code, reason, by);
    const other = by === 'client' ? b.upstream : b.client;
    if (other.readyState === WebSocket.OPEN || other.readyState === WebSocket.CONNECTING) {
      // 1005 means the close frame carried no code: the other side gets a close frame without one too.
      if (code === 1005) other.close();
      else if (sendable(code)) other.close(code, reason);
      else other.terminate();
    }
  };
  b.client.on('close', (code, reason) => finish(code, reason.toString(), 'client'));
  b.upstream.on('close', (code, reason) => finish(code, reason.toString(), 'upstream'));
  // An invalid frame or a broken socket on either side: the other side sees an abnormal close, as it would directly.
  b.client.on('error', (err) => {
    log({ level: 'warn', msg: 'client WebSocket error', error: err.message });
    b.client.terminate();
  });
  b.upstream.on('error', (err) => {
    log({ level: 'warn', msg: 'upstream WebSocket error', error: err.message });
    b.upstream.terminate();
  });
}

/** What every connection of one bridge shares: its options and the server its clients upgrade on. */
interface BridgeContext {
  opts: WsBridgeOptions;
  log: (line: Record<string, unknown>) => void;
  wss: WebSocketServer;
  /** The headers of the upstream's 101 that the client's 101 repeats, per upgrade request. */
  pending101: WeakMap<http.IncomingMessage, Record<string, string>>;
  /** The client is told the subprotocol the upstream chose, not the first one it offered. */
  upstreamProtocol: WeakMap<http.IncomingMessage, string>;
}

function bridgeContext(opts: WsBridgeOptions): BridgeContext {
  const pending101 = new WeakMap<http.IncomingMessage, Record<string, string>>();
  const upstreamProtocol = new WeakMap<http.IncomingMessage, string>();
  // Codex offers permessage-deflate; declining keeps loopback frames cheap and Codex works either way (§8).
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
    handleProtocols: (_offered, req) => upstreamProtocol.get(req) || false,
  });
  wss.on('headers', (headers, req) => {
    for (const [k, v] of Object.entries(pending101.get(req) ?? {})) headers.push(`${k}: ${v}`);
  });
  return { opts, log: opts.log ?? (() => {}), wss, pending101, upstreamProtocol };
}

/** Both sockets are open: frames flow each way, capture sees them after they are sent on. */
function bridge(ctx: BridgeContext, client: WebSocket, upstream: WebSocket, prologue: Prologue<WsObserver>): void {
  const { path, safeHeaders, obs } = prologue;
  obs?.opened();
  const b: Bridge = { client, upstream, path, safeHeaders, obs, hangUp: new AbortController(), connection: {}, gate: ctx.opts.gate, answered: undefined };
  relayClientFrames(b, () => ctx.opts.hook?.(), ctx.opts.keepaliveMs ?? 30_000, ctx.log);
  const answered = (): void => {
    b.answered?.();
    b.answered = undefined;
  };
  upstream.on('message', (data, isBinary) => {
    const buf = toText(data);
    if (client.readyState === WebSocket.OPEN) client.send(buf, { binary: isBinary });
    answered();
    obs?.serverFrame(buf, isBinary);
  });
  upstream.once('close', answered);
  client.once('close', answered);
  closeTogether(b, ctx.log);
}

/** The upstream socket for an upgrade request, offered the client's subprotocols and headers. */
function dialUpstream(ctx: BridgeContext, req: http.IncomingMessage, base: URL, path: string): WebSocket {
  const target = upstreamUrl(base, path);
  target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers = forwardRequestHeaders(req.headers, { websocket: true });
  delete headers['sec-websocket-protocol'];
  const protocols = req.headers['sec-websocket-protocol']?.split(',').map((s) => s.trim()).filter(Boolean);
  return new WebSocket(target, protocols ?? [], {
    headers: headers as Record<string, string>,
    handshakeTimeout: ctx.opts.connectTimeoutMs ?? 10_000,
    perMessageDeflate: true,
    maxPayload: 256 * 1024 * 1024,
  });
}

/** One upgrade while its upstream handshake runs: settled once, by the upstream opening or failing, or the client leaving. */
interface Upgrade {
  req: http.IncomingMessage;
  socket: Duplex;
  head: Buffer;
  settled: boolean;
  refuse: (message: string) => void;
}

/** The client's upgrade completes only once the upstream is open; a refusal or failure upstream is a 426. */
function followUpstream(ctx: BridgeContext, u: Upgrade, upstream: WebSocket, prologue: Prologue<WsObserver>): void {
  u.socket.once('close', () => {
    if (!u.settled) {
      u.settled = true;
      upstream.terminate();
    }
  });
  upstream.on('unexpected-response', (_r, res) => {
    u.refuse(`upstream answered the WebSocket upgrade with ${res.statusCode}`);
    res.resume();
    upstream.terminate();
  });
  upstream.on('upgrade', (res) => {
    const pass: Record<string, string> = {};
    for (const name of PASSED_101_HEADERS) {
      const v = res.headers[name];
      if (typeof v === 'string') pass[name] = v;
    }
    ctx.pending101.set(u.req, pass);
  });
  upstream.on('error', (err) => {
    if (!u.settled) u.refuse(`upstream WebSocket failed: ${err.message}`);
  });
  upstream.once('open', () => {
    if (u.settled) {
      upstream.terminate();
      return;
    }
    u.settled = true;
    ctx.upstreamProtocol.set(u.req, upstream.protocol);
    ctx.wss.handleUpgrade(u.req, u.socket, u.head, (client) => bridge(ctx, client, upstream, prologue));
  });
}

/** The upstream is dialled first; the client's upgrade completes only once it is open, else 426. */
function handleUpgrade(ctx: BridgeContext, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  const prologue = beginExchange(
    { upstreams: ctx.opts.upstreams, ...(ctx.opts.credentials ? { credentials: ctx.opts.credentials } : {}), log: ctx.log },
    req,
    'ws',
    (info) => ctx.opts.observer?.ws(info),
  );
  socket.on('error', () => {});
  const u: Upgrade = {
    req,
    socket,
    head,
    settled: false,
    refuse: (message) => {
      if (u.settled) return;
      u.settled = true;
      prologue.obs?.refused(426, message);
      refuseUpgrade(socket, 426, message);
    },
  };
  // 426 sends Codex to HTTP at once, where the request gets the error that names the setting.
  if (!prologue.base) return u.refuse('kx: ChatGPT-login traffic is off (KX_CHATGPT_BASE_URL=off)');
  followUpstream(ctx, u, dialUpstream(ctx, req, prologue.base, prologue.path), prologue);
}

export function createWsBridge(opts: WsBridgeOptions): {
  handleUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  close: () => void;
} {
  const ctx = bridgeContext(opts);
  return {
    handleUpgrade: (req, socket, head) => handleUpgrade(ctx, req, socket, head),
    close: () => {
      for (const c of ctx.wss.clients) c.terminate();
      ctx.wss.close();
    },
  };
}
