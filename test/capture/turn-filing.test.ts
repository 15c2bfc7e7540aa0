// Concurrent requests in one session (Codex runs background calls and sub-agents beside the main
// turn): each request's output belongs to the turn of that request, not the session's newest.

import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, userMessage as user } from '../../harness/drivers/http-client.js';

describe('turn filing', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('files the output of 100 parallel streams in one session under each request\'s own turn', async () => {
    h = await startHarness();
    const n = 100;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        rawRequest(`${h.proxyBase}/responses`, {
          headers: { 'content-type': 'application/json', 'session-id': 'parallel' },
          body: JSON.stringify({ model: 'gpt-5', stream: true, input: [user(`question ${i}`)] }),
        }),
      ),
    );
    await h.kx.settle();
    const s = h.kx.reader.getSession('parallel')!;
    expect(s.turns).toHaveLength(n);
    const turnOfRequest = new Map(s.requests.map((r) => [r.id, r.turnId]));
    const items = s.turns.flatMap((t) => t.items.map((i) => ({ ...i, turnId: t.id })));
    expect(items.filter((i) => i.direction === 'output')).toHaveLength(n);
    for (const item of items) expect(item.turnId, `${item.kind} of request ${item.requestId}`).toBe(turnOfRequest.get(item.requestId));
  });
});
