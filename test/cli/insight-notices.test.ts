// kx start's insight lines: a failure told once, however often the job fails again.

import { describe, expect, it } from 'vitest';
import { insightNotices } from '../../src/cli/insight-notices.js';
import type { Kx } from '../../src/kx.js';
import { LiveEvents } from '../../src/store/live-events.js';

describe('insight notices in kx start', () => {
  it('tells a failed job once, with its error escaped', () => {
    const live = new LiveEvents();
    const kx = { live, insight: { engine: { reader: { turnInsights: () => [{ turnId: 't1', error: 'upstream said \u001b[2J no' }] }, status: () => ({}) } } } as unknown as Kx;
    const lines: string[] = [];
    insightNotices(kx, (l) => lines.push(l));
    for (let i = 0; i < 3; i++) live.publish({ type: 'insight', sessionId: 's1', turnId: 't1', jobKind: 'turn', state: 'failed' });
    live.publish({ type: 'insight', sessionId: 's1', turnId: 't2', jobKind: 'turn', state: 'failed' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('insight: a turn job of session s1 failed: upstream said \\e[2J no (GET /api/insight/status)');
  });
});
