import { afterEach, describe, expect, it } from 'vitest';
import type { StoreOp } from '../../src/store/records.js';
import { SessionStore, type CommitEffects, type StoredBatch } from '../../src/store/session-store.js';
import { tempDir } from '../support/recording.js';

const at = '2026-11-24T00:00:00.000Z';
const session: StoreOp = { op: 'session', rec: { id: 's1', identifiedBy: 'header', startedAt: at } };
const turn: StoreOp = { op: 'turn', rec: { id: 't1', sessionId: 's1', seq: 1, startedAt: at } };
const request: StoreOp = {
  op: 'request',
  rec: { id: 'r1', sessionId: 's1', turnId: 't1', transport: 'http', api: 'responses', method: 'POST', path: '/v1/responses', startedAt: at, newItems: 1, skippedItems: 0, parseErrors: 0 },
};
const item: StoreOp = {
  op: 'item',
  rec: { id: 'i1', sessionId: 's1', turnId: 't1', requestId: 'r1', seq: 1, direction: 'input', kind: 'human_message', itemType: 'message', text: 'hi', dedupKey: 'k1', createdAt: at },
};
const completed = (): StoreOp => ({ op: 'turn-status', rec: { turnId: 't1', sessionId: 's1', status: 'completed', endedAt: at } });

describe('stored-items stream', () => {
  let store: SessionStore | undefined;
  afterEach(() => store?.close());

  it('reaches every listener even when one before it throws', () => {
    store = new SessionStore({ documentsDir: tempDir() });
    store.events.on('stored', () => {
      throw new Error('listener bug');
    });
    const seen: number[] = [];
    store.events.on('stored', (b) => seen.push(b.items.length));
    for (const op of [session, turn, request, item]) store.enqueue(op);
    store.flush();
    expect(seen).toEqual([1]);
  });

  it('announces what changed, not the ops: a repeated item or an unchanged status is left out', () => {
    store = new SessionStore({ documentsDir: tempDir() });
    const batches: StoredBatch[] = [];
    store.events.on('stored', (b) => batches.push(b));
    for (const op of [session, turn, request, item, completed()]) store.enqueue(op);
    store.flush();
    store.enqueue({ ...item, rec: { ...item.rec, id: 'i1-again' } });
    store.enqueue(completed());
    store.flush();
    expect(batches[0]!.changes.map((op) => op.op)).toEqual(['session', 'turn', 'request', 'item', 'turn-status']);
    expect(batches[0]!.endedTurns).toEqual([{ turnId: 't1', sessionId: 's1', status: 'completed', insightJobs: true }]);
    expect(batches[1]!.ops).toHaveLength(2);
    expect(batches[1]!.changes).toEqual([]);
    expect(batches[1]!.items).toEqual([]);
    expect(batches[1]!.endedTurns).toEqual([]);
  });

  it('hands ended turns to the in-transaction hook, and rolls the commit back when the hook fails', () => {
    const dir = tempDir();
    let fail = true;
    const seen: CommitEffects[] = [];
    store = new SessionStore({
      documentsDir: dir,
      inTransaction: (effects) => {
        seen.push(effects);
        if (fail && effects.endedTurns.length) throw new Error('disk full');
      },
    });
    for (const op of [session, turn, request, item]) store.enqueue(op);
    store.flush();
    store.enqueue(completed());
    store.flush();
    // The turn's end was not kept without its consequence.
    expect(store.db.prepare(`SELECT status FROM turns WHERE id = 't1'`).pluck().get()).toBe('open');
    fail = false;
    store.flush();
    expect(store.db.prepare(`SELECT status FROM turns WHERE id = 't1'`).pluck().get()).toBe('completed');
    expect(seen.at(-1)!.endedTurns.map((t) => t.turnId)).toEqual(['t1']);
  });

  it('marks a turn ended by its writer as wanting no insight job when asked', () => {
    store = new SessionStore({ documentsDir: tempDir() });
    const ended: StoredBatch['endedTurns'] = [];
    store.events.on('stored', (b) => ended.push(...b.endedTurns));
    for (const op of [session, turn, request, item]) store.enqueue(op);
    store.enqueue(completed(), { insightJobs: false });
    store.flush();
    expect(ended).toEqual([{ turnId: 't1', sessionId: 's1', status: 'completed', insightJobs: false }]);
  });

  it('gives turns a crash left open to the hook at the next start, in the same transaction that marks them', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    for (const op of [session, turn, request, item]) store.enqueue(op);
    store.flush();
    store.db.close(); // as after kill -9: nothing else runs
    store = undefined;
    const seen: CommitEffects[] = [];
    store = new SessionStore({ documentsDir: dir, inTransaction: (e) => seen.push(e) });
    expect(seen.flatMap((e) => e.endedTurns)).toEqual([{ turnId: 't1', sessionId: 's1', status: 'interrupted', insightJobs: true }]);
  });
});
