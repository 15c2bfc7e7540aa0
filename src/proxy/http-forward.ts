// Forwards one HTTP request to the upstream and streams the answer back chunk by chunk.
// Bytes go to the client first; capture gets a reference to the same chunk afterwards.

import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { decodeBody } from '../protocol/body-encoding.js';
import { forwardRequestHeaders, forwardResponseHeaders, upstreamPath, upstreamUrl } from './forward-headers.js';
import { refusalBody, type RequestHook, type RewriteNote } from './request-hook.js';
import { handOffCredentials, withoutSecrets, type CredentialHandOff, type ExchangeEnd, type HttpExchangeObserver, type TrafficObserver } from './traffic-observer.js';
import { CHATGPT_OFF_STATUS, chatgptOffBody, upstreamForHeaders, upstreamLabel, type Upstreams } from './upstream-route.js';
import { guardObserver } from './guarded-observer.js';

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
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 }),
};

/** Calls into capture never reach the traffic: an observer that throws is dropped for this exchange. */
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

export function createHttpForwarder(opts: HttpForwarderOptions): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const log = opts.log ?? (() => {});

  return (req, res) => {
    const startedAt = performance.now();
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const safeHeaders = withoutSecrets(req.headers);
    const { base } = upstreamForHeaders(opts.upstreams, req.headers);
    handOffCredentials(opts.credentials, req.headers, base, log);
    let observer: HttpExchangeObserver | undefined;
    try {
      const upstream = base ? upstreamLabel(base) : undefined;
      observer = opts.observer?.http({ transport: 'http', method, path, headers: safeHeaders, upstream, startedAt, startedAtIso: new Date().toISOString() });
    } catch (err) {
      log({ level: 'error', msg: 'capture refused exchange', error: (err as Error).message });
    }
    const obs = guardObserver(observer, 'traffic', log);
    let ended = false;
    const end = (e: ExchangeEnd): void => {
      if (ended) return;
      ended = true;
      obs?.responseEnd(e);
    };

    if (!base) return refuseChatgptLogin(req, res, obs, end);
    const target = upstreamUrl(base, path);
    const isHttps = target.protocol === 'https:';
    const transport = isHttps ? https : http;
    const agent = isHttps ? agents.https : agents.http;
    const headers = forwardRequestHeaders(req.headers);
    headers.host = target.host;

    const hook = opts.hook?.();
    const hooked = hook !== undefined && method === 'POST' && (opts.hookable?.(path) ?? true);

    let upstreamReq: http.ClientRequest | undefined;
    let clientGone = false;
    // Tells a hook holding this request that the client left (Esc in Codex): nothing goes upstream then.
    const hangUp = new AbortController();

    res.on('close', () => {
      if (!res.writableFinished) {
        clientGone = true;
        hangUp.abort();
        upstreamReq?.destroy();
        end({ kind: 'aborted', message: 'client disconnected' });
      }
    });

    const open = (): http.ClientRequest => {
      // The client's path as sent: `target.pathname` has been through URL normalisation.
      const upReq = transport.request(target, { method, headers, agent, path: upstreamPath(base, path) });
      upReq.setNoDelay(true);
      upReq.on('response', (upRes) => {
        if (clientGone) {
          upRes.destroy();
          return;
        }
        const status = upRes.statusCode ?? 502;
        res.writeHead(status, upRes.statusMessage, forwardResponseHeaders(upRes.headers));
        res.flushHeaders();
        obs?.responseStart(status, upRes.headers);
        upRes.on('data', (chunk: Buffer) => {
          if (!res.write(chunk)) {
            upRes.pause();
            res.once('drain', () => upRes.resume());
          }
          obs?.responseChunk(chunk);
        });
        upRes.on('end', () => {
          res.end();
          end({ kind: 'complete' });
        });
        // A stream the upstream cut mid-way reaches the client as a cut too.
        upRes.on('close', () => {
          if (upRes.complete) return;
          end({ kind: clientGone ? 'aborted' : 'error', message: 'upstream closed the stream mid-response' });
          res.destroy();
        });
        upRes.on('error', () => {});
      });
      upReq.on('error', (err: NodeJS.ErrnoException) => {
        if (clientGone) return;
        if (!res.headersSent) {
          const body = JSON.stringify({
            error: { message: `kx could not reach the upstream ${target.origin}: ${err.message}`, type: 'upstream_unreachable', code: err.code ?? 'upstream_error' },
          });
          obs?.responseStart(502, { 'content-type': 'application/json' });
          obs?.responseChunk(Buffer.from(body));
          end({ kind: 'complete' });
          sendJsonError(res, 502, body);
        } else {
          end({ kind: 'error', message: `upstream error: ${err.message}` });
          res.destroy();
        }
      });
      return upReq;
    };

    if (!hooked) {
      // Stream the body through as it arrives; capture gets the whole body once it has passed.
      upstreamReq = open();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        chunks.push(c);
        if (!upstreamReq!.write(c)) {
          req.pause();
          upstreamReq!.once('drain', () => req.resume());
        }
      });
      req.on('end', () => {
        upstreamReq!.end();
        if (chunks.length) obs?.requestBody(chunks, headerValue(req.headers['content-encoding']));
      });
      req.on('error', () => upstreamReq?.destroy());
      return;
    }

    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      void (async () => {
        let body: Buffer = raw;
        let encoding = headerValue(req.headers['content-encoding']);
        let note: RewriteNote | undefined;
        try {
          const decoded = decodeBody(raw, encoding);
          // Held before any response header is written: Codex's idle clock has not started (docs/protocol.md §9.3).
          const decision = await hook({ transport: 'http', path, headers: safeHeaders, body: decoded, signal: hangUp.signal, connection: {} });
          if (clientGone) return;
          if (decision.action === 'refuse') {
            sendJsonError(res, decision.status, refusalBody(decision));
            end({ kind: 'complete' });
            return;
          }
          if (decision.action === 'replace') {
            body = decision.body;
            note = decision.note;
            encoding = undefined;
            delete headers['content-encoding'];
            headers['content-length'] = String(body.length);
            delete headers['transfer-encoding'];
          }
        } catch (err) {
          // kx's own logic failed: the original request still goes out.
          log({ level: 'error', msg: 'request hook failed; forwarding the original', error: (err as Error).message });
          body = raw;
        }
        if (clientGone) return;
        upstreamReq = open();
        upstreamReq.end(body);
        obs?.requestBody(body, encoding, note);
      })();
    });
  };
}
