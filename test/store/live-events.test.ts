import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/contracts/live-events.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { liveEventsOfBatch } from '../../src/store/live-events-of-batch.js';
import type { StoreOp } from '../../src/store/records.js';

const gap: LiveEvent = { type: 'gap', gapId: 'g1', project: 'p', status: 'open' };

describe('live events', () => {
  it('reaches every listener even when one throws, and reports the failure', () => {
    const errors: string[] = [];
    const live = new LiveEvents((e) => errors.push(e.message));
    const seen: string[] = [];
    live.subscribe(() => {
      throw new Error('listener bug');
    });
    live.subscribe((e) => seen.push(e.type));
    expect(() => live.publish(gap)).not.toThrow();
    expect(seen).toEqual(['gap']);
    expect(errors).toEqual(['listener bug']);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const live = new LiveEvents();
    let calls = 0;
    const off = live.subscribe(() => calls++);
    live.publish(gap);
    off();
    live.publish(gap);
    expect(calls).toBe(1);
    expect(live.size).toBe(0);
  });

  it('turns a committed batch into session, turn, items and status events, statuses last', () => {
    const at = '2026-11-27T00:00:00.000Z';
    const item = (id: string, turnId?: string): StoreOp => ({
      op: 'item',
      rec: { id, sessionId: 's', requestId: 'r', seq: 1, direction: 'input', kind: 'human_message', itemType: 'message', dedupKey: id, createdAt: at, ...(turnId ? { turnId } : {}) },
    });
    const ops: StoreOp[] = [
      { op: 'session', rec: { id: 's', identifiedBy: 'header', startedAt: at } },
      { op: 'turn', rec: { id: 't1', sessionId: 's', seq: 1, startedAt: at } },
      { op: 'turn-status', rec: { turnId: 't1', sessionId: 's', status: 'completed', endedAt: at } },
      item('i0'),
      item('i1', 't1'),
      item('i2', 't1'),
    ];
    expect(liveEventsOfBatch({ changes: ops })).toEqual([
      { type: 'session', sessionId: 's' },
      { type: 'turn', sessionId: 's', turnId: 't1', status: 'open' },
      { type: 'items', sessionId: 's', turnId: null, itemIds: ['i0'] },
      { type: 'items', sessionId: 's', turnId: 't1', itemIds: ['i1', 'i2'] },
      { type: 'turn', sessionId: 's', turnId: 't1', status: 'completed' },
    ]);
  });

  it('tells of an answer kx could not decode, with the reason, and of no other request result', () => {
    const at = '2026-11-27T00:00:00.000Z';
    const result = (requestId: string, outcome: 'completed' | 'undecodable', message?: string): StoreOp => ({
      op: 'request-result',
      rec: { requestId, sessionId: 's', durationMs: 5, outcome, parseErrors: 0, events: 0, endedAt: at, ...(message ? { error: { message } } : {}) },
    });
    const ops = [result('r1', 'completed'), result('r2', 'undecodable', 'kx could not decode this answer (unsupported content-encoding: compress)')];
    expect(liveEventsOfBatch({ changes: ops })).toEqual([
      { type: 'undecodable', sessionId: 's', requestId: 'r2', reason: 'kx could not decode this answer (unsupported content-encoding: compress)' },
    ]);
  });
});
