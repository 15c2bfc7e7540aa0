// What `kx start` prints about the insight engine: one line when a job fails, and one line when jobs
// start waiting for a key (not one per job), so the terminal says what the console shows.

import type { Kx } from '../kx.js';
import { termLine } from './terminal-text.js';

export function insightNotices(kx: Kx, out: (line: string) => void): () => void {
  let waitingShown = false;
  // A job retried and failing again is told once.
  const failed = new Set<string>();
  return kx.live.subscribe((e) => {
    if (e.type !== 'insight') return;
    if (e.state === 'failed') {
      const key = `${e.jobKind}:${e.sessionId ?? ''}:${e.turnId ?? ''}`;
      if (failed.has(key)) return;
      failed.add(key);
      const error = kx.insight.engine.reader.turnInsights(e.sessionId ?? '').find((t) => t.turnId === e.turnId)?.error;
      out(`insight: a ${e.jobKind} job of session ${termLine(e.sessionId ?? '?')} failed${error ? `: ${termLine(error)}` : ''} (GET /api/insight/status)`);
    } else if (e.state === 'waiting_key' && !waitingShown) {
      waitingShown = true;
      out(`insight: jobs are waiting for a key: ${kx.insight.engine.status().waitingReason ?? 'no credentials'}. Set KX_INSIGHT_API_KEY, or keep using the session so kx can borrow its credentials.`);
    } else if (e.state === 'done') {
      waitingShown = false;
    }
  });
}
