// The session page's status badge: the sessions list's own rule (src/contracts/session-status.ts) on the page's facts.

import type { SessionDetailView, SessionStatus } from '../../src/contracts/console.js';
import { sessionStatus } from '../../src/contracts/session-status.js';

export function detailStatus(s: SessionDetailView, now: number): SessionStatus {
  const liveActivity = s.requests.some((r) => r.transport !== 'rollout');
  return sessionStatus({ identifiedBy: s.identifiedBy, importedFrom: s.importedFrom ?? null, lastActivityAt: s.lastActivityAt, endedAt: s.endedAt, liveActivity }, now);
}
