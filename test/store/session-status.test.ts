import { describe, expect, it } from 'vitest';
import { sessionStatus } from '../../src/contracts/session-status.js';

const now = Date.parse('2026-11-27T12:00:00.000Z');
const base = { identifiedBy: 'header', importedFrom: null, endedAt: null, liveActivity: true };

describe('session status in the list', () => {
  it('is live while traffic arrived in the last 15 minutes', () => {
    expect(sessionStatus({ ...base, lastActivityAt: '2026-11-27T11:50:00.000Z' }, now)).toBe('live');
  });

  it('is ended only once the session was ended', () => {
    expect(sessionStatus({ ...base, lastActivityAt: '2026-11-27T11:59:00.000Z', endedAt: '2026-11-27T11:59:30.000Z' }, now)).toBe('ended');
  });

  it('is not ended once turns came after its end (a resumed session)', () => {
    const resumed = { ...base, lastActivityAt: '2026-11-27T11:59:00.000Z', endedAt: '2026-11-27T11:50:00.000Z' };
    expect(sessionStatus(resumed, now)).toBe('live');
    expect(sessionStatus({ ...resumed, lastActivityAt: '2026-11-27T11:50:00.000Z' }, now)).toBe('ended');
  });

  it('is idle, not ended, after 15 quiet minutes while the session is still open', () => {
    expect(sessionStatus({ ...base, lastActivityAt: '2026-11-27T11:00:00.000Z' }, now)).toBe('idle');
  });

  it('is imported for a session that came from a Codex rollout, even one written a minute ago', () => {
    const imported = { ...base, identifiedBy: 'rollout', importedFrom: '/home/ana/.codex/sessions/rollout-x.jsonl', liveActivity: false };
    expect(sessionStatus({ ...imported, lastActivityAt: '2026-11-27T11:59:00.000Z' }, now)).toBe('imported');
  });

  it('is live again once an imported session is continued through kx', () => {
    const continued = { ...base, identifiedBy: 'rollout', importedFrom: '/x/rollout-x.jsonl', liveActivity: true };
    expect(sessionStatus({ ...continued, lastActivityAt: '2026-11-27T11:59:00.000Z' }, now)).toBe('live');
  });
});
