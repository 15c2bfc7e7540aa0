// The session page's status badge agrees with the sessions list: a session resumed after its end is open again.

import { describe, expect, it } from 'vitest';
import { detailStatus } from '../../ui/src/session-status.js';

const now = Date.parse('2026-11-27T12:00:00.000Z');
const session = (endedAt: string | null, lastActivityAt: string) =>
  ({ endedAt, lastActivityAt, requests: [{ transport: 'http' }] }) as unknown as Parameters<typeof detailStatus>[0];

describe('the session page status', () => {
  it('is ended while nothing came after the end, and live again once a turn came after it', () => {
    expect(detailStatus(session('2026-11-27T11:50:00.000Z', '2026-11-27T11:49:00.000Z'), now)).toBe('ended');
    expect(detailStatus(session('2026-11-27T11:50:00.000Z', '2026-11-27T11:59:00.000Z'), now)).toBe('live');
  });
});
