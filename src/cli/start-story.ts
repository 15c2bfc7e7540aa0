// What `kx start` prints while it runs, so its terminal tells the story a person would otherwise open
// the console for: mode changes, each held turn (with when it times out) and its decision, jobs that
// `kx import` queued being picked up, answers kx could not decode, and insight failures. Each once;
// captured text escaped.

import { LRUCache } from 'lru-cache';
import type { Kx } from '../kx.js';
import { approvalLink } from './approval-link.js';
import { termLine, localTime } from './terminal-text.js';

const DECIDED: Record<string, string> = {
  accepted: 'accepted: kx’s version was sent',
  edited: 'edited: your edit was sent',
  rejected: 'rejected: what you typed was sent',
  timed_out: 'timed out: what you typed was sent',
  nothing_to_add: 'nothing to add: sent unchanged',
  cancelled: 'cancelled: nothing was sent',
  failed: 'the rewrite failed: what you typed was sent',
};

const minutes = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

export interface StoryOptions {
  url: string;
  uiToken: string;
  approvalTimeoutMs: number;
  now?: () => number;
  timeZone?: string;
}

export function startStory(kx: Pick<Kx, 'live' | 'reader'>, opts: StoryOptions, out: (line: string) => void): () => void {
  const now = opts.now ?? Date.now;
  // Bounded: a long-running kx does not keep every key forever.
  const told = new LRUCache<string, true>({ max: 10_000 });
  const once = (key: string, line: string): void => {
    if (told.has(key)) return;
    told.set(key, true);
    out(line);
  };
  let lastMode = '';
  return kx.live.subscribe((e) => {
    if (e.type === 'mode') {
      const line = `  mode:     ${e.scope === 'global' ? 'global' : `${e.scope} ${termLine(e.target ?? '')}`} → ${e.mode}`;
      if (line !== lastMode) out(line);
      lastMode = line;
    } else if (e.type === 'approval' && e.status === 'pending') {
      const at = new Date(now() + opts.approvalTimeoutMs).toISOString();
      once(
        `${e.approvalId}:pending`,
        `  waiting:  turn of session ${termLine(e.sessionId)}, sent as typed in ${minutes(opts.approvalTimeoutMs)} (${localTime(at, opts.timeZone)}) unless you decide: ${approvalLink(opts.url, opts.uiToken, e.approvalId)}   (or: kx approve)`,
      );
    } else if (e.type === 'approval' && DECIDED[e.status]) {
      const words = e.status === 'cancelled' ? `cancelled: ${termLine(e.reason ?? 'the client hung up')}, nothing was sent` : DECIDED[e.status];
      once(`${e.approvalId}:decided`, `  decided:  turn of session ${termLine(e.sessionId)}: ${words}`);
    } else if (e.type === 'undecodable') {
      // Once per session and reason: an upstream that compresses every answer the same bad way is one line.
      once(`undecodable:${e.sessionId}:${e.reason}`, `  capture:  session ${termLine(e.sessionId)}: ${termLine(e.reason)}`);
    } else if (e.type === 'insight' && e.sessionId && (e.state === 'running' || e.state === 'done')) {
      // Asked on every insight event, on the forwarding thread: one column, not the session's summary.
      if (kx.reader.importedFrom(e.sessionId)) once(`import:${e.sessionId}`, `  insight:  picked up the jobs kx import queued for session ${termLine(e.sessionId)}`);
    }
  });
}
