// Which headers cross the proxy. Everything passes except hop-by-hop headers (RFC 9110 §7.6.1)
// and those the connection itself owns; Authorization passes to the upstream, never to capture.

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

const WS_HANDSHAKE = new Set(['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-accept', 'sec-websocket-protocol']);

function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const c = headers.connection;
  const names = (Array.isArray(c) ? c.join(',') : c ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return new Set(names);
}

export function forwardRequestHeaders(headers: IncomingHttpHeaders, opts: { websocket?: boolean } = {}): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.has(k)) continue;
    if (opts.websocket && WS_HANDSHAKE.has(k)) continue;
    out[k] = v;
  }
  // Transfer-Encoding is hop-by-hop, but a body that came chunked must go out chunked: Node frames
  // only POST/PUT/PATCH bodies by itself and would send a DELETE/OPTIONS/GET body unframed.
  if (!opts.websocket && headers['transfer-encoding'] !== undefined && headers['content-length'] === undefined) out['transfer-encoding'] = 'chunked';
  return out;
}

export function forwardResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.has(k) || WS_HANDSHAKE.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** The upstream URL for a client path: /v1/<rest> → <upstream base>/<rest>, query kept. */
export function upstreamUrl(base: URL, clientPath: string): URL {
  const [pathname = '', query] = clientPath.split(/\?(.*)/s, 2);
  const rest = pathname.replace(/^\/v1(?=\/|$)/, '');
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/$/, '')}${rest}`;
  url.search = query ? `?${query}` : '';
  return url;
}

/**
 * The path and query sent upstream: the base's path, then the client's path after /v1, byte for byte.
 * Not through a WHATWG URL, which would resolve `..` and `%2e%2e` and reach another upstream path.
 */
export function upstreamPath(base: URL, clientPath: string): string {
  const rest = clientPath.replace(/^\/v1(?=[/?]|$)/, '');
  return `${base.pathname.replace(/\/$/, '')}${rest}`;
}

/**
 * Whether a client path's dot-segments would climb above /v1 (`/v1/../../etc/passwd`), as the upstream
 * or anything between would resolve them: `%2e` counts as a dot, and `%2f` and `\` as slashes.
 */
export function escapesBasePath(clientPath: string): boolean {
  const pathname = clientPath.split('?')[0] ?? '';
  const rest = pathname.replace(/^\/v1(?=\/|$)/, '').replace(/%2e/gi, '.').replace(/%2f|%5c/gi, '/');
  let depth = 0;
  for (const segment of rest.split(/[/\\]/).slice(1)) {
    if (segment === '..') depth--;
    else if (segment !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}
