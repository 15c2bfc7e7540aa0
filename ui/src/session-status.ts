// The session page's status badge, as the sessions list decides it (src/store/session-list.ts sessionStatus).

import type { SessionDetailView } from '../../src/contracts/console.js';

/** A session with no traffic for this long is no longer live (as in the sessions list). */
const LIVE_WINDOW_MS = 15 * 60_000;

/** The session's status as the sessions list shows it: ended, imported, live, or idle (quiet but not ended). */
export function detailStatus(s: SessionDetailView, now: number): 'live' | 'idle' | 'ended' | 'imported' {
  // Turns after the end (a resumed session) open it again, as in the sessions list.
  if (s.endedAt && !(Date.parse(s.lastActivityAt) > Date.parse(s.endedAt))) return 'ended';
  if (s.requests.length > 0 && s.requests.every((r) => r.transport === 'rollout')) return 'imported';
  return now - Date.parse(s.lastActivityAt) < LIVE_WINDOW_MS ? 'live' : 'idle';
}
