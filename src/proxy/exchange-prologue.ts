// What every exchange does first, on HTTP and WebSocket alike: pick the upstream its credentials
// belong to, hand those credentials to the insight engine's vault, strip secrets from the headers
// capture sees, and ask capture for an observer (guarded, so its failures never reach the bytes).

import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { guardObserver } from './guarded-observer.js';
import { handOffCredentials, withoutSecrets, type CredentialHandOff, type ExchangeInfo } from './traffic-observer.js';
import type { HeaderBag } from '../protocol/request-meta.js';
import { upstreamForHeaders, upstreamLabel, type Upstreams } from './upstream-route.js';

export interface PrologueOptions {
  upstreams: Upstreams;
  credentials?: CredentialHandOff;
  log: (line: Record<string, unknown>) => void;
}

export interface Prologue<O> {
  path: string;
  /** The headers without Authorization and keys: all that capture and the hook ever see. */
  safeHeaders: HeaderBag;
  /** Where the exchange goes; null when its login's upstream is off. */
  base: URL | null;
  obs: O | undefined;
}

export function beginExchange<O extends object>(
  o: PrologueOptions,
  req: http.IncomingMessage,
  transport: 'http' | 'ws',
  observe: (info: ExchangeInfo) => O | undefined,
): Prologue<O> {
  const startedAt = performance.now();
  const path = req.url ?? '/';
  const safeHeaders = withoutSecrets(req.headers);
  const { base } = upstreamForHeaders(o.upstreams, req.headers);
  handOffCredentials(o.credentials, req.headers, base, o.log);
  let observer: O | undefined;
  try {
    const upstream = base ? upstreamLabel(base) : undefined;
    observer = observe({ transport, method: transport === 'ws' ? 'GET' : (req.method ?? 'GET'), path, headers: safeHeaders, upstream, startedAt, startedAtIso: new Date().toISOString() });
  } catch (err) {
    o.log({ level: 'error', msg: `capture refused ${transport === 'ws' ? 'WebSocket' : 'exchange'}`, error: (err as Error).message });
  }
  return { path, safeHeaders, base, obs: guardObserver(observer, transport === 'ws' ? 'the WebSocket' : 'traffic', o.log) };
}
