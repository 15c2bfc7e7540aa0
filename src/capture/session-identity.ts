// Which session a request belongs to: one rule, used by capture (SessionTracker) and by the request
// hook learn mode installs, so both always agree. Pure: the stateful lookups are passed in.

import { createHash } from 'node:crypto';
import type { ParsedItem, ParsedRequest } from '../protocol/items.js';
import type { SessionSource } from '../store/records.js';
import { OrdinalCounter, resentAlias } from './dedup-key.js';

export interface SessionIdentity {
  id: string;
  source: SessionSource;
}

export interface IdentityInput {
  transport: 'http' | 'ws' | 'rollout';
  request: ParsedRequest;
  client?: string;
  userAgent?: string;
  /** The session this connection (WS) or remembered history prefix (HTTP) already belongs to. */
  knownSession?: string;
}

/** What capture knows of the sessions a fingerprint may name (SessionTracker); without it a fingerprint is the first human message alone. */
export interface FingerprintLookup {
  /** The keys (and aliases) of the answers kx received in this session, or undefined if there is no such session. */
  answersOf(sessionId: string): ReadonlySet<string> | undefined;
}

/** Identity order: headers/metadata, prompt_cache_key, previous_response_id chain, known session, fingerprint. */
export function identifySession(
  req: IdentityInput,
  sessionOfResponse: (responseId: string) => string | undefined,
  fingerprints?: FingerprintLookup,
): SessionIdentity {
  const m = req.request.meta;
  if (m.sessionId) return { id: m.sessionId, source: req.transport === 'http' ? 'header' : req.transport === 'ws' ? 'client_metadata' : 'rollout' };
  if (m.promptCacheKey) return { id: m.promptCacheKey, source: 'prompt_cache_key' };
  if (m.previousResponseId) {
    const chained = sessionOfResponse(m.previousResponseId);
    if (chained) return { id: chained, source: 'previous_response' };
  }
  if (req.knownSession) return { id: req.knownSession, source: req.transport === 'ws' ? 'previous_response' : 'fingerprint' };
  const firstHuman = req.request.input.find((i) => i.kind === 'human_message');
  // A message learn mode rewrote is fingerprinted by what the human typed, as the request hook saw it.
  const typed = typeof firstHuman?.detail?.originalText === 'string' ? firstHuman.detail.originalText : firstHuman?.text;
  const basis = `${req.client ?? req.userAgent ?? ''}\u0000${typed ?? req.request.input[0]?.text ?? ''}`;
  const base = `fp-${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;
  return { id: fingerprints ? conversationOf(base, req.request.input, fingerprints) : base, source: 'fingerprint' };
}

/**
 * Conversations that open alike share a fingerprint: `base`, then `base-1`, `base-2`, … A request
 * joins the latest of them that received the last answer its history resends. One that resends no
 * answer (an opening) or an answer kx never received is a new conversation, unless kx could read no
 * answer of the latest (the client retrying its opening, or answers kx could not decode).
 */
function conversationOf(base: string, input: readonly ParsedItem[], lookup: FingerprintLookup): string {
  const idAt = (n: number): string => (n === 0 ? base : `${base}-${n}`);
  const seen: ReadonlySet<string>[] = [];
  for (let answers = lookup.answersOf(base); answers; answers = lookup.answersOf(idAt(seen.length))) seen.push(answers);
  const last = lastAnswerKeys(input);
  if (last) for (let n = seen.length - 1; n >= 0; n--) if (last.some((k) => seen[n]!.has(k))) return idAt(n);
  return seen.length > 0 && seen[seen.length - 1]!.size === 0 ? idAt(seen.length - 1) : idAt(seen.length);
}

/** The keys capture gives the last answer (assistant message or tool call) the input resends, as the store keys it. */
function lastAnswerKeys(input: readonly ParsedItem[]): string[] | undefined {
  const counts = new OrdinalCounter();
  let last: string[] | undefined;
  for (const item of input) {
    const key = counts.keyFor(item);
    if (item.kind !== 'assistant_message' && item.kind !== 'tool_call') continue;
    const alias = resentAlias(item);
    last = alias ? [key, alias] : [key];
  }
  return last;
}
