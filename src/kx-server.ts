// The HTTP server kx listens on: one node:http server. /v1 goes to the proxy on the raw request and
// response (no framework on the hot path), /mcp to the agent's memory, the rest (/api, /ui) to Hono.
// Every route first checks the Host header; /v1 also refuses cross-site requests and dot-segments.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { hostAllowed } from './api/host-check.js';
import { crossSiteBody, crossSiteRefusal } from './api/v1-cross-site.js';
import { escapesBasePath } from './proxy/forward-headers.js';
import { kxUrl } from './config/config.js';

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface KxRoutes {
  /** /v1 over HTTP: the proxy. */
  forward: Listener;
  /** /v1 upgraded to a WebSocket: the proxy's bridge. */
  upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  mcp: Listener;
  app: Listener;
}

function forbidden(res: http.ServerResponse): void {
  const body = JSON.stringify({ error: { message: 'kx: Host header not allowed', type: 'forbidden_host' } });
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Why a /v1 request is refused before anything is forwarded or recorded, or undefined. */
function v1Refusal(req: http.IncomingMessage, boundHost: string): { status: number; body: string } | undefined {
  const crossSite = crossSiteRefusal(req.headers, boundHost);
  if (crossSite) return { status: 403, body: crossSiteBody(crossSite) };
  if (escapesBasePath(req.url ?? '/')) {
    return { status: 400, body: JSON.stringify({ error: { message: 'kx: the path climbs above /v1 with dot-segments', type: 'invalid_path' } }) };
  }
  return undefined;
}

function sendRefusal(res: http.ServerResponse, refusal: { status: number; body: string }): void {
  res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(refusal.body) });
  res.end(refusal.body);
}

const isMcpPath = (url: string | undefined): boolean => url === '/mcp' || (url ?? '').startsWith('/mcp?') || (url ?? '').startsWith('/mcp/');
const isProxyPath = (url: string | undefined): boolean => url === '/v1' || (url ?? '').startsWith('/v1/') || (url ?? '').startsWith('/v1?');

export function createKxServer(boundHost: string, routes: KxRoutes): http.Server {
  const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    if (!hostAllowed(req.headers.host, boundHost)) return forbidden(res);
    if (isProxyPath(req.url)) {
      const refusal = v1Refusal(req, boundHost);
      return refusal ? sendRefusal(res, refusal) : routes.forward(req, res);
    }
    if (isMcpPath(req.url)) return routes.mcp(req, res);
    routes.app(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hostAllowed(req.headers.host, boundHost) || !isProxyPath(req.url)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refusal = v1Refusal(req, boundHost);
    if (refusal) {
      const reason = http.STATUS_CODES[refusal.status] ?? 'Error';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(refusal.body)}\r\nConnection: close\r\n\r\n${refusal.body}`);
      return;
    }
    routes.upgrade(req, socket, head);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Headers (or a URL) past Node's limit: 431, as the upstream's own server answers.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // Streams may stay silent for minutes while the model thinks: no server-side timeouts on them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Listens on the configured host and port; the URL kx is reached at (an IPv6 host in brackets). */
export async function listen(server: http.Server, host: string, port: number): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { url: kxUrl(host, bound), port: bound };
}
