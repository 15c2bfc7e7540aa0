// The seam where learn mode holds a human turn and replaces its text before it goes upstream.
// With no hook installed, requests stream straight through; with one, the proxy buffers the request
// (HTTP body or WS frame), awaits the decision, then forwards. The proxy knows bytes only: what the
// request means (parsed request, session) is added by whoever installs the hook (capture/hook-facts.ts).

import type { HeaderBag } from '../protocol/request-meta.js';

export interface HookRequest {
  transport: 'http' | 'ws';
  path: string;
  /** Client headers without secrets. */
  headers: HeaderBag;
  /** The request body as JSON bytes (already decoded if it came compressed). */
  body: Buffer;
  /** Aborted when the client hangs up while the request is held: nothing may go upstream then. */
  signal: AbortSignal;
  /** The same object for every frame of one WebSocket (a fresh one per HTTP request). */
  connection: object;
}

/** What capture keeps beside a replaced body: the human's own text, linked to what was sent. */
export interface RewriteNote {
  originalText: string;
  approvalId: string;
}

export type HookDecision =
  | { action: 'forward' }
  /** Send this JSON body instead (uncompressed). */
  | { action: 'replace'; body: Buffer; note?: RewriteNote }
  /** Answer the client with an error instead of forwarding (Codex shows a 4xx and ends the turn). */
  | { action: 'refuse'; status: number; message: string; code?: string };

export type RequestHook = (req: HookRequest) => Promise<HookDecision>;

export function refusalBody(d: Extract<HookDecision, { action: 'refuse' }>): string {
  return JSON.stringify({ error: { message: d.message, type: 'invalid_request_error', code: d.code ?? 'kx_refused' } });
}

/** The text frame kx sends a held WebSocket so Codex's idle clock restarts (docs/protocol.md §9.2). */
export const KEEPALIVE_FRAME = JSON.stringify({ type: 'proxy.keepalive' });
