// Session, turn and request-kind facts, from headers and from the body's client_metadata.
// On WebSocket the upgrade headers go stale (turn_id:""), so each frame's metadata wins. docs/protocol.md §7.

import type { RequestMeta } from './items.js';
import { isObject, parseJson } from './json-guards.js';

export type HeaderBag = Record<string, string | string[] | undefined>;

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node reads header bytes as Latin-1; clients (Codex included) send non-ASCII values as UTF-8. A value
 * whose bytes are valid UTF-8 is read as UTF-8, anything else stays as it came.
 */
export function headerText(v: string): string {
  if (/^[\x00-\x7f]*$/.test(v) || /[^\x00-\xff]/.test(v)) return v;
  try {
    return utf8.decode(Buffer.from(v, 'latin1'));
  } catch {
    return v;
  }
}

export function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return nonEmpty(first === undefined ? undefined : headerText(first));
}

function turnMetadata(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') return {};
  const parsed = parseJson(raw);
  return isObject(parsed) ? parsed : {};
}

/** Facts from the JSON body alone (HTTP body or WS frame). */
export function bodyMeta(body: Record<string, unknown>): RequestMeta {
  const cm = isObject(body.client_metadata) ? body.client_metadata : {};
  const tm = turnMetadata(cm['x-codex-turn-metadata']);
  const meta: RequestMeta = {};
  const sessionId = nonEmpty(cm.session_id) ?? nonEmpty(cm.thread_id) ?? nonEmpty(tm.session_id) ?? nonEmpty(tm.thread_id);
  const turnId = nonEmpty(cm.turn_id) ?? nonEmpty(tm.turn_id);
  const requestKind = nonEmpty(tm.request_kind);
  if (sessionId) meta.sessionId = sessionId;
  if (turnId) meta.turnId = turnId;
  if (requestKind) meta.requestKind = requestKind;
  const pck = nonEmpty(body.prompt_cache_key);
  if (pck) meta.promptCacheKey = pck;
  const prev = nonEmpty(body.previous_response_id);
  if (prev) meta.previousResponseId = prev;
  return meta;
}

/** Facts from HTTP headers; body facts fill what headers lack, except on WS where the frame wins. */
export function headerMeta(headers: HeaderBag): RequestMeta {
  const meta: RequestMeta = {};
  const tm = turnMetadata(header(headers, 'x-codex-turn-metadata'));
  const sessionId =
    header(headers, 'session-id') ??
    header(headers, 'thread-id') ??
    header(headers, 'session_id') ??
    header(headers, 'conversation_id') ??
    nonEmpty(tm.session_id);
  if (sessionId) meta.sessionId = sessionId;
  const turnId = nonEmpty(tm.turn_id);
  if (turnId) meta.turnId = turnId;
  const kind = nonEmpty(tm.request_kind);
  if (kind) meta.requestKind = kind;
  const subagent = header(headers, 'x-openai-subagent');
  if (subagent) meta.subagent = subagent;
  return meta;
}

export function mergeMeta(primary: RequestMeta, fallback: RequestMeta): RequestMeta {
  return { ...fallback, ...primary };
}
