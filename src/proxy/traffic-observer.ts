// The one small interface through which the proxy tells capture what passed. The proxy calls
// these after the bytes are on their way, wrapped so a throwing observer never touches traffic.

import type { RewriteNote } from './request-hook.js';
import type { HeaderBag } from '../protocol/request-meta.js';

export interface ExchangeInfo {
  transport: 'http' | 'ws';
  method: string;
  /** Path and query as the client sent them. */
  path: string;
  /** Client request headers, minus Authorization, cookies and API keys. */
  headers: HeaderBag;
  /** The upstream base it was sent to, origin and path only; undefined when kx answered it itself. */
  upstream?: string | undefined;
  startedAt: number; // performance.now()
  startedAtIso: string;
}

export type ExchangeEnd =
  | { kind: 'complete' }
  | { kind: 'aborted'; message: string } // the client went away
  | { kind: 'error'; message: string }; // the upstream failed or cut the stream

export interface HttpExchangeObserver {
  /**
   * The body exactly as sent upstream, with the content-encoding it was sent with; as the chunks it
   * arrived in when it was streamed through, so capture can skip a resent history without a copy.
   */
  requestBody(body: Buffer | readonly Buffer[], contentEncoding: string | undefined, rewrite?: RewriteNote): void;
  responseStart(status: number, headers: HeaderBag): void;
  responseChunk(chunk: Buffer): void;
  responseEnd(end: ExchangeEnd): void;
}

export interface WsObserver {
  /** The upgrade failed upstream; the client was told `status`. */
  refused(status: number, message: string): void;
  opened(): void;
  /** A client frame as sent upstream; `rewrite` when the request hook replaced the human's text in it. */
  clientFrame(data: string, rewrite?: RewriteNote): void;
  serverFrame(data: Buffer | string, isBinary: boolean): void;
  closed(code: number, reason: string, by: 'client' | 'upstream'): void;
}

export interface TrafficObserver {
  http(info: ExchangeInfo): HttpExchangeObserver | undefined;
  ws(info: ExchangeInfo): WsObserver | undefined;
}

/** Drops secrets before headers leave the proxy. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'api-key', 'x-api-key', 'openai-api-key']);

export function withoutSecrets(headers: HeaderBag): HeaderBag {
  const out: HeaderBag = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}

/**
 * The one place a secret leaves the proxy: the caller's bearer token (and ChatGPT account id) go to
 * the insight engine's in-memory vault, so it can call the same upstream with no key configured.
 * Capture never sees them; the vault never writes them.
 */
/** `baseURL` is the upstream this request was sent to: insight calls made with these credentials go there too. */
export type CredentialHandOff = (c: { authorization: string | undefined; accountId: string | undefined; sessionId: string | undefined; baseURL: string }) => void;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export function handOffCredentials(handOff: CredentialHandOff | undefined, headers: HeaderBag, base: URL | null | undefined, log: (l: Record<string, unknown>) => void): void {
  if (!handOff || !base) return;
  const authorization = one(headers['authorization']);
  if (!authorization) return;
  try {
    handOff({ authorization, accountId: one(headers['chatgpt-account-id']), sessionId: one(headers['session-id']) ?? one(headers['thread-id']), baseURL: base.href.replace(/\/+$/, '') });
  } catch (err) {
    log({ level: 'error', msg: 'credential hand-off failed', error: (err as Error).message });
  }
}
