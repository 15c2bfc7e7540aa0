// What `kx start` prints while it runs: each thing once, captured text escaped.

import { describe, expect, it } from 'vitest';
import { startStory } from '../../src/cli/start-story.js';
import { LiveEvents } from '../../src/store/live-events.js';
import type { SessionReader } from '../../src/store/session-reader.js';

function story(imported: string[] = []) {
  const live = new LiveEvents();
  const reader = { importedFrom: (id: string) => (imported.includes(id) ? `/x/${id}.jsonl` : null) } as unknown as SessionReader;
  const lines: string[] = [];
  startStory({ live, reader }, { url: 'http://127.0.0.1:8787', uiToken: 'tok', approvalTimeoutMs: 600_000, now: () => Date.parse('2026-11-27T09:00:00Z'), timeZone: 'UTC' }, (l) => lines.push(l));
  return { live, lines };
}

describe('kx start’s running story', () => {
  it('tells a held turn once, with when it is sent as typed, then its decision once', () => {
    const { live, lines } = story();
    for (let i = 0; i < 2; i++) live.publish({ type: 'approval', approvalId: 'apr_1', sessionId: 's1', status: 'pending' });
    for (let i = 0; i < 2; i++) live.publish({ type: 'approval', approvalId: 'apr_1', sessionId: 's1', status: 'rejected' });
    expect(lines).toEqual([
      '  waiting:  turn of session s1, sent as typed in 10 min (2026-11-27 09:10) unless you decide: http://127.0.0.1:8787/ui/?token=tok#/approvals/apr_1   (or: kx approve)',
      '  decided:  turn of session s1: rejected: what you typed was sent',
    ]);
  });

  it('tells a mode change, not the same mode twice', () => {
    const { live, lines } = story();
    live.publish({ type: 'mode', scope: 'project', target: 'shop', mode: 'learn' });
    live.publish({ type: 'mode', scope: 'project', target: 'shop', mode: 'learn' });
    live.publish({ type: 'mode', scope: 'global', target: null, mode: 'capture' });
    expect(lines).toEqual(['  mode:     project shop → learn', '  mode:     global → capture']);
  });

  it('tells once that jobs kx import queued were picked up', () => {
    const { live, lines } = story(['imp-1']);
    live.publish({ type: 'insight', sessionId: 'imp-1', turnId: 't1', jobKind: 'turn', state: 'running' });
    live.publish({ type: 'insight', sessionId: 'imp-1', turnId: 't2', jobKind: 'turn', state: 'running' });
    live.publish({ type: 'insight', sessionId: 'live-1', turnId: 't1', jobKind: 'turn', state: 'running' });
    expect(lines).toEqual(['  insight:  picked up the jobs kx import queued for session imp-1']);
  });

  it('shows a session id with escape sequences escaped', () => {
    const { live, lines } = story();
    live.publish({ type: 'approval', approvalId: 'a', sessionId: 'x\u001b[2Jy', status: 'pending' });
    expect(lines[0]).toContain('session x\\e[2Jy,');
    expect(lines[0]).not.toContain('\u001b');
  });

  it('tells of answers kx could not decode with why, once per session and reason', () => {
    const { live, lines } = story();
    const reason = 'kx could not decode this answer (content-encoding br: Decompression failed); the client received it unchanged';
    for (const requestId of ['r1', 'r2']) live.publish({ type: 'undecodable', sessionId: 's1', requestId, reason });
    live.publish({ type: 'undecodable', sessionId: 's2', requestId: 'r3', reason });
    expect(lines).toEqual([`  capture:  session s1: ${reason}`, `  capture:  session s2: ${reason}`]);
  });
});
