// Defeats cross-site requests to /v1: any page open in the person's browser can POST a text/plain
// body to http://127.0.0.1:8787/v1/responses (a "simple" request, no preflight) and plant sessions
// and human messages in their record. Agents send no Origin; browsers always do on cross-site POSTs,
// and a WebSocket handshake from a page always carries one. So /v1 refuses an Origin that is not
// loopback or the configured host, and a `Sec-Fetch-Site: cross-site`.

import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../config/config.js';

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function originAllowed(origin: string, boundHost: string): boolean {
  try {
    const o = new URL(origin);
    const host = o.hostname.replace(/^\[|\]$/g, '');
    return (o.protocol === 'http:' || o.protocol === 'https:') && (isLoopbackHost(host) || host.toLowerCase() === boundHost.toLowerCase());
  } catch {
    return false; // `null` (sandboxed frames, file: pages) and anything unparsable
  }
}

/** Why a /v1 request is refused as cross-site, or undefined when it may pass. */
export function crossSiteRefusal(headers: IncomingHttpHeaders, boundHost: string): string | undefined {
  const origin = first(headers.origin);
  if (origin !== undefined && !originAllowed(origin, boundHost)) return `kx: /v1 refuses requests from the web page at ${origin.slice(0, 200)}`;
  if (first(headers['sec-fetch-site'])?.toLowerCase() === 'cross-site') return 'kx: /v1 refuses cross-site requests from web pages';
  return undefined;
}

/** The 403 JSON body a refused request gets. */
export function crossSiteBody(message: string): string {
  return JSON.stringify({ error: { message, type: 'forbidden_origin' } });
}
