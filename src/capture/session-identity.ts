// Which session a request belongs to: one rule, used by capture (SessionTracker) and by the request
// hook learn mode installs, so both always agree. Pure: the stateful lookups are passed in.

import { createHash } from 'node:crypto';
import type { ParsedRequest } from '../protocol/items.js';
import type { SessionSource } from '../store/records.js';

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

/** Identity order: headers/metadata, prompt_cache_key, previous_response_id chain, known session, fingerprint. */
export function identifySession(req: IdentityInput, sessionOfResponse: (responseId: string) => string | undefined): SessionIdentity {
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
  return { id: `fp-${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`, source: 'fingerprint' };
}
