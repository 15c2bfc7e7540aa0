// Forwards one HTTP request to the upstream and streams the answer back chunk by chunk.
// Bytes go to the client first; capture gets a reference to the same chunk afterwards.

import http from 'node:http';
import https from 'node:https';
import { decodeBody } from '../protocol/body-encoding.js';
import { forwardRequestHeaders, forwardResponseHeaders, upstreamPath, upstreamUrl } from './forward-headers.js';
import { refusalBody, type RequestHook, type RewriteNote } from './request-hook.js';
import type { CredentialHandOff, ExchangeEnd, HttpExchangeObserver, TrafficObserver } from './traffic-observer.js';
import type { HeaderBag } from '../protocol/request-meta.js';
import { CHATGPT_OFF_STATUS, chatgptOffBody, type Upstreams } from './upstream-route.js';
import type { AnswerGate } from './answer-gate.js';
import { beginExchange } from './exchange-prologue.js';

export interface HttpForwarderOptions {
  /** Each request goes to the one its credentials belong to (upstream-route.ts). */
  upstreams: Upstreams;
  observer?: TrafficObserver;
  /** Returns the installed hook, if any; read per request so it can be swapped at run time. */
  hook?: () => RequestHook | undefined;
  /** Paths the hook applies to (model calls). */
  hookable?: (path: string) => boolean;
  log?: (line: Record<string, unknown>) => void;
  /** Receives the caller's credentials for the insight engine's in-memory vault. */
  credentials?: CredentialHandOff;
  /** Told when a request awaits its answer, so kx's own work waits for the answer's first byte. */
  gate?: AnswerGate;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
};

const headerValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function sendJsonError(res: http.ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A ChatGPT login while its upstream is off: the body is kept for capture, the client told which setting to change. */
function refuseChatgptLogin(req: http.IncomingMessage, res: http.ServerResponse, obs: HttpExchangeObserver | undefined, end: (e: ExchangeEnd) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('error', () => {});
  req.on('end', () => {
    const body = chatgptOffBody();
    if (chunks.length) obs?.requestBody(chunks, headerValue(req.headers['content-encoding']));
    obs?.responseStart(CHATGPT_OFF_STATUS, { 'content-type': 'application/json' });
    obs?.responseChunk(Buffer.from(body));
    end({ kind: 'complete' });
    sendJsonError(res, CHATGPT_OFF_STATUS, body);
  });
}

/** One exchange's shared state: the client's sockets, the observer, and whether either side is gone. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  obs: HttpExchangeObserver | undefined;
  /** Ends capture's record of the exchange, once. */
  end: (e: ExchangeEnd) => void;
  clientGone: boolean;
  upstreamReq: http.ClientRequest | undefined;
  /** Ends the gate's wait for this request's answer: at its first byte, or when it fails. */
  answered: () => void;
}

/** Streams the upstream's answer to the client chunk by chunk, with backpressure; capture sees each chunk after. */
function relayResponse(x: Exchange, upRes: http.IncomingMessage): void {
  if (x.clientGone) {
    upRes.destroy();
    return;
  }
  const { res, obs } = x;
  const status = upRes.statusCode ?? 502;
  res.writeHead(status, upRes.statusMessage, forwardResponseHeaders(upRes.headers));
  obs?.responseStart(status, upRes.headers);
  // The headers go out with the first chunk when it is already here (one write, not two, before the
  // first byte); an answer whose body is slow to start gets them on their own at the next turn.
  let started = false;
  setImmediate(() => {
    if (!started && !x.clientGone && !res.writableEnded && !res.destroyed) res.flushHeaders();
  });
  upRes.on('data', (chunk: Buffer) => {
    started = true;
    if (!res.write(chunk)) {
      upRes.pause();
      res.once('drain', () => upRes.resume());
    }
    x.answered();
    obs?.responseChunk(chunk);
  });
  upRes.on('end', () => {
    x.answered();
    res.end();
    x.end({ kind: 'complete' });
  });
  // A stream the upstream cut mid-way reaches the client as a cut too.
  upRes.on('close', () => {
    if (upRes.complete) return;
    x.end({ kind: x.clientGone ? 'aborted' : 'error', message: 'upstream closed the stream mid-response' });
    res.destroy();
  });
  upRes.on('error', () => {});
}

/** An upstream that cannot be reached: 502 JSON before any header, a cut after. */
function upstreamFailed(x: Exchange, target: URL, err: NodeJS.ErrnoException): void {
  x.answered();
  if (x.clientGone) return;
  if (!x.res.headersSent) {
    const body = JSON.stringify({
      error: { message: `kx could not reach the upstream ${target.origin}: ${err.message}`, type: 'upstream_unreachable', code: err.code ?? 'upstream_error' },
    });
    x.obs?.responseStart(502, { 'content-type': 'application/json' });
    x.obs?.responseChunk(Buffer.from(body));
    x.end({ kind: 'complete' });
    sendJsonError(x.res, 502, body);
  } else {
    x.end({ kind: 'error', message: `upstream error: ${err.message}` });
    x.res.destroy();
  }
}

/** Without a hook: the body streams through as it arrives; capture gets it whole once it has passed. */
function streamBody(x: Exchange, open: () => http.ClientRequest): void {
  const upstreamReq = (x.upstreamReq = open());
  const chunks: Buffer[] = [];
  x.req.on('data', (c: Buffer) => {
    chunks.push(c);
    if (!upstreamReq.write(c)) {
      x.req.pause();
      upstreamReq.once('drain', () => x.req.resume());
    }
  });
  x.req.on('end', () => {
    upstreamReq.end();
    if (chunks.length) x.obs?.requestBody(chunks, headerValue(x.req.headers['content-encoding']));
  });
  x.req.on('error', () => upstreamReq.destroy());
}

/**
 * With a hook: the body is read whole, the hook decides (held before any response header is
 * written, so Codex's idle clock has not started: docs/protocol.md §9.3), then the original or the
 * replacement goes upstream. A hook that fails forwards the original.
 */
function holdBody(x: Exchange, hook: RequestHook, ctx: { path: string; safeHeaders: HeaderBag; headers: http.OutgoingHttpHeaders; hangUp: AbortSignal; log: (l: Record<string, unknown>) => void }, open: () => http.ClientRequest): void {
  const chunks: Buffer[] = [];
  x.req.on('data', (c: Buffer) => chunks.push(c));
  x.req.on('error', () => {});
  x.req.on('end', () => {
    const raw = Buffer.concat(chunks);
    void (async () => {
      let body: Buffer = raw;
      let encoding = headerValue(x.req.headers['content-encoding']);
      let note: RewriteNote | undefined;
      try {
        const decoded = decodeBody(raw, encoding);
        const decision = await hook({ transport: 'http', path: ctx.path, headers: ctx.safeHeaders, body: decoded, signal: ctx.hangUp, connection: {} });
        if (x.clientGone) return;
        if (decision.action === 'refuse') {
          sendJsonError(x.res, decision.status, refusalBody(decision));
          x.end({ kind: 'complete' });
          return;
        }
        if (decision.action === 'replace') {
          body = decision.body;
          note = decision.note;
          encoding = undefined;
          delete ctx.headers['content-encoding'];
          ctx.headers['content-length'] = String(body.length);
          delete ctx.headers['transfer-encoding'];
        }
      } catch (err) {
        // kx's own logic failed: the original request still goes out.
        ctx.log({ level: 'error', msg: 'request hook failed; forwarding the original', error: (err as Error).message });
        body = raw;
      }
      if (x.clientGone) return;
      x.upstreamReq = open();
      x.upstreamReq.end(body);
      x.obs?.requestBody(body, encoding, note);
    })();
  });
}

export function createHttpForwarder(opts: HttpForwarderOptions): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const log = opts.log ?? (() => {});

  return (req, res) => {
    const method = req.method ?? 'GET';
    const { path, safeHeaders, base, obs } = beginExchange(
      { upstreams: opts.upstreams, ...(opts.credentials ? { credentials: opts.credentials } : {}), log },
      req,
      'http',
      (info) => opts.observer?.http(info),
    );
    let ended = false;
    const x: Exchange = {
      req,
      res,
      obs,
      end: (e) => {
        if (ended) return;
        ended = true;
        obs?.responseEnd(e);
      },
      clientGone: false,
      upstreamReq: undefined,
      answered: () => {},
    };
    if (!base) return refuseChatgptLogin(req, res, obs, x.end);

    const target = upstreamUrl(base, path);
    const isHttps = target.protocol === 'https:';
    const headers = forwardRequestHeaders(req.headers);
    headers.host = target.host;
    // Tells a hook holding this request that the client left (Esc in Codex): nothing goes upstream then.
    const hangUp = new AbortController();
    res.on('close', () => {
      if (res.writableFinished) return;
      x.clientGone = true;
      x.answered();
      hangUp.abort();
      x.upstreamReq?.destroy();
      x.end({ kind: 'aborted', message: 'client disconnected' });
    });
    const open = (): http.ClientRequest => {
      // The client's path as sent: `target.pathname` has been through URL normalisation.
      const upReq = (isHttps ? https : http).request(target, { method, headers, agent: isHttps ? agents.https : agents.http, path: upstreamPath(base, path) });
      upReq.setNoDelay(true);
      if (opts.gate) x.answered = opts.gate.awaitAnswer();
      upReq.on('response', (upRes) => relayResponse(x, upRes));
      upReq.on('error', (err: NodeJS.ErrnoException) => upstreamFailed(x, target, err));
      return upReq;
    };

    const hook = opts.hook?.();
    if (hook !== undefined && method === 'POST' && (opts.hookable?.(path) ?? true)) holdBody(x, hook, { path, safeHeaders, headers, hangUp: hangUp.signal, log }, open);
    else streamBody(x, open);
  };
}
