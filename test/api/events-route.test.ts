import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

interface Received {
  events: Array<{ event: string; data: unknown }>;
  close(): void;
}

/** Reads GET /api/events as a browser's EventSource would, collecting named events. */
function listen(url: string, headers: Record<string, string>): Promise<Received & { status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const received: Received & { status: number } = { status: res.statusCode ?? 0, events: [], close: () => req.destroy() };
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.events.push({ event, data: JSON.parse(data) });
        }
      });
      res.on('error', () => {});
      resolve(received);
    });
    req.on('error', reject);
  });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/events', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('refuses a page without the token', async () => {
    h = await startHarness();
    const res = await listen(`${h.kx.url}/api/events`, {});
    res.close();
    expect(res.status).toBe(401);
  });

  it('streams the session, its turn, the stored items and the turn status as they are committed', async () => {
    h = await startHarness();
    const stream = await listen(`${h.kx.url}/api/events`, { authorization: `Bearer ${TEST_TOKEN}` });
    try {
      expect(stream.status).toBe(200);
      await until(() => stream.events.some((e) => e.event === 'ready'), 'the ready event');
      const body = JSON.stringify({ model: 'gpt-5', stream: true, input: [userMessage('list the files')] });
      await rawRequest(`${h.proxyBase}/responses`, { headers: { 'content-type': 'application/json', 'session-id': 'live-1' }, body });
      await h.kx.settle();
      // The fake model answers a first message with a tool call, so the turn stays open.
      const streamed = () => stream.events.filter((e) => e.event === 'items').flatMap((e) => (e.data as { itemIds: string[] }).itemIds);
      const stored = h.kx.reader.getSession('live-1')!.turns.flatMap((t) => t.items.map((i) => i.id));
      await until(() => streamed().length === stored.length, 'every stored item');
      expect(streamed().sort()).toEqual(stored.sort());
      const names = stream.events.map((e) => e.event);
      expect(names.slice(0, 3)).toEqual(['ready', 'session', 'turn']);
      // A status set to what it already was is not news: the turn was announced open once, when it began.
      expect(stream.events.filter((e) => e.event === 'turn')).toEqual([{ event: 'turn', data: expect.objectContaining({ sessionId: 'live-1', status: 'open' }) }]);
    } finally {
      stream.close();
    }
  });
});
