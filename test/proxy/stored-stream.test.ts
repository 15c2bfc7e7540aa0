import { afterEach, describe, expect, it } from 'vitest';
import type { StoredBatch } from '../../src/store/session-store.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';

describe('stream of stored items', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('delivers each captured item once, in order, with the ids the store keeps', async () => {
    h = await startHarness();
    const batches: StoredBatch[] = [];
    h.kx.onStored((b) => batches.push(b));
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'stream-1' }, body: responsesBody('list the files') });
    await h.kx.settle();
    const streamed = batches.flatMap((b) => b.items);
    const stored = h.kx.reader.getSession('stream-1')!.turns.flatMap((t) => t.items);
    expect(streamed.map((i) => [i.id, i.kind])).toEqual(stored.map((i) => [i.id, i.kind]));
    expect(streamed.map((i) => i.kind)).toEqual(['human_message', 'reasoning', 'tool_call']);
    expect(new Set(streamed.map((i) => i.turnId))).toEqual(new Set([stored[0]!.turnId]));
  });

  it('stops delivering after unsubscribe, and a throwing subscriber does not stop capture', async () => {
    h = await startHarness();
    const seen: string[] = [];
    const off = h.kx.onStored((b) => seen.push(...b.items.map((i) => i.kind)));
    h.kx.onStored(() => {
      throw new Error('subscriber bug');
    });
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'stream-2' }, body: responsesBody('hello') });
    await h.kx.settle();
    off();
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'stream-2' }, body: responsesBody('again') });
    await h.kx.settle();
    expect(seen).toEqual(['human_message', 'assistant_message']);
    expect(h.kx.reader.getSession('stream-2')!.turns).toHaveLength(2);
  });
});
