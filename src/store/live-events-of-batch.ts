// A committed batch → the live events it means: which sessions appeared, which items landed under
// which turn, which turns began or changed status, which answers kx could not decode. Built from
// what the commit changed, not from the ops it was given: an item already stored or a status set
// to what it was is not news.

import type { LiveEvent } from '../contracts/live-events.js';
import type { StoredBatch } from './session-store.js';

export function liveEventsOfBatch(batch: Pick<StoredBatch, 'changes'>): LiveEvent[] {
  const events: LiveEvent[] = [];
  const items = new Map<string, { sessionId: string; turnId: string | null; itemIds: string[] }>();
  for (const op of batch.changes) {
    switch (op.op) {
      case 'session':
        events.push({ type: 'session', sessionId: op.rec.id });
        break;
      case 'turn':
        events.push({ type: 'turn', sessionId: op.rec.sessionId, turnId: op.rec.id, status: 'open' });
        break;
      case 'item': {
        const key = `${op.rec.sessionId}\u0000${op.rec.turnId ?? ''}`;
        const group = items.get(key) ?? { sessionId: op.rec.sessionId, turnId: op.rec.turnId ?? null, itemIds: [] };
        group.itemIds.push(op.rec.id);
        items.set(key, group);
        break;
      }
      case 'request-result':
        if (op.rec.outcome === 'undecodable') events.push({ type: 'undecodable', sessionId: op.rec.sessionId, requestId: op.rec.requestId, reason: op.rec.error?.message ?? 'unknown' });
        break;
      default:
        break;
    }
  }
  for (const group of items.values()) events.push({ type: 'items', ...group });
  // Status changes last, so a page that reloads a turn on its status sees its items already there.
  for (const op of batch.changes) {
    if (op.op !== 'turn-status') continue;
    events.push({ type: 'turn', sessionId: op.rec.sessionId, turnId: op.rec.turnId, status: op.rec.status });
  }
  return events;
}
