// A session's status, one rule for the sessions list (store/session-list.ts), the session page (ui) and the
// CLI: ended, imported, live, or idle (quiet but not ended). Pure, so the console compiles it too.

import type { SessionStatus } from './console.js';

/** A session with no traffic for this long is no longer live. */
const LIVE_WINDOW_MS = 15 * 60_000;

/** Ended, and nothing came after: a session resumed after its end (Codex `exec resume`) is open again. */
export const stillEnded = <T extends { endedAt: string | null; lastActivityAt: string }>(s: T): s is T & { endedAt: string } =>
  s.endedAt !== null && !(Date.parse(s.lastActivityAt) > Date.parse(s.endedAt));

/**
 * Imported sessions stay `imported` until kx records live traffic for them (a live request, not a rollout's).
 * A quiet session is `idle`, not ended: only `kx end`, the API or the insight engine's idle pass end one.
 */
export function sessionStatus(
  s: { identifiedBy: string; importedFrom: string | null; lastActivityAt: string; endedAt: string | null; liveActivity: boolean },
  now: number,
): SessionStatus {
  if (stillEnded(s)) return 'ended';
  if ((s.identifiedBy === 'rollout' || s.importedFrom) && !s.liveActivity) return 'imported';
  return now - Date.parse(s.lastActivityAt) < LIVE_WINDOW_MS ? 'live' : 'idle';
}
