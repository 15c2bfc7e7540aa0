// The seam where learn mode will hold a human turn and replace its text before it goes upstream.
// Today no hook is installed and requests stream straight through; with one, the proxy buffers
// the request (HTTP body or WS frame), awaits the decision, then forwards.

import type { HeaderBag } from './traffic-observer.js';

export interface HookRequest {
  transport: 'http' | 'ws';
  path: string;
  /** Client headers without secrets. */
  headers: HeaderBag;
  /** The request body as JSON bytes (already decoded if it came compressed). */
  body: Buffer;
}

export type HookDecision =
  | { action: 'forward' }
  /** Send this JSON body instead (uncompressed). */
  | { action: 'replace'; body: Buffer }
  /** Answer the client with an error instead of forwarding (Codex shows a 4xx and ends the turn). */
  | { action: 'refuse'; status: number; message: string; code?: string };

export type RequestHook = (req: HookRequest) => Promise<HookDecision>;

export function refusalBody(d: Extract<HookDecision, { action: 'refuse' }>): string {
  return JSON.stringify({ error: { message: d.message, type: 'invalid_request_error', code: d.code ?? 'kx_refused' } });
}
