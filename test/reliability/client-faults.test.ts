// Client faults: hanging up mid-stream (once, and a thousand times, over HTTP and WebSocket),
// a 50 MB body, a gzip body, methods the proxy has no special case for, and chunked bodies on them.

import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { activeResources, codexHeaders, directCall, openStream, sha256, userMessage, waitFor, wsHeaders, wsMeta } from './support.js';

/** A long, paced answer: whatever the client does, it happens while the upstream is still sending. */
const LONG_PACED = { events: 20_000, eventBytes: 24, paceMs: 2 };

const outcomes = (h: Harness): Record<string, number> =>
  Object.fromEntries(
    (h.kx.store.db.prepare(`SELECT COALESCE(outcome, 'open') o, COUNT(*) n FROM requests GROUP BY o`).all() as Array<{ o: string; n: number }>).map((r) => [r.o, r.n]),
  );

describe('client faults', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('closes the upstream response when the client hangs up mid-stream, and records the request as aborted', async () => {
    h = await startHarness();
    h.fake.setStreamShape(LONG_PACED);
    const stream = openStream(`${h.proxyBase}/responses`, codexHeaders('s-hangup'), responsesBody('a long answer please'));
    await stream.waitEvents(5);
    stream.hangUp();
    await waitFor(() => h!.fake.responsesClosedEarly === 1, 'the upstream to see its response closed');
    await waitFor(() => h!.fake.openSockets === 0, 'the upstream socket to close');
    await h.kx.settle();
    const [q] = h.kx.reader.getSession('s-hangup')!.requests;
    expect(q!.outcome).toBe('aborted');
    expect(q!.error).toMatchObject({ message: 'client disconnected' });
  });

  it('closes the upstream WebSocket when the client drops its socket mid-stream, and records the request as aborted', async () => {
    h = await startHarness();
    h.fake.setStreamShape(LONG_PACED);
    const s = await openWs(`${h.proxyBase}/responses`, wsHeaders('s-ws-hangup'));
    let frames = 0;
    s.ws.on('message', () => (frames += 1));
    void s.create({ model: 'gpt-6.1-sol', input: [userMessage('a long answer please')], client_metadata: wsMeta('s-ws-hangup', 'u1') });
    await waitFor(() => frames >= 5, 'the first frames');
    s.ws.terminate();
    await waitFor(() => h!.fake.wsClosed === 1, 'the upstream WebSocket to close');
    await waitFor(() => h!.fake.openSockets === 0, 'the upstream socket to close');
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-ws-hangup')!.requests[0]!.outcome).toBe('aborted');
  });

  it('leaks no sockets or timers after 1,000 clients hang up mid-stream', { timeout: 90_000 }, async () => {
    h = await startHarness();
    h.fake.setStreamShape(LONG_PACED);
    const hangUpMidStream = async (i: number): Promise<void> => {
      const s = openStream(`${h!.proxyBase}/responses`, codexHeaders(`s-leak-${i % 50}`), responsesBody(`hang up ${i}`));
      await s.waitEvents(3);
      s.hangUp();
      await s.socketClosed;
    };
    const run = async (from: number, count: number, concurrency: number): Promise<void> => {
      let next = from;
      const end = from + count;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < end) await hangUpMidStream(next++);
        }),
      );
    };
    const quiet = async (expectedAborts: number) => {
      await waitFor(() => h!.fake.responsesClosedEarly === expectedAborts && h!.fake.openSockets === 0, 'every upstream response to be closed');
      await h!.kx.settle();
    };

    await run(0, 20, 10); // warm-up: lazy allocations, the store's first batches
    await quiet(20);
    const before = activeResources();

    await run(20, 1000, 20);
    await quiet(1020);
    // Sockets close on both ends asynchronously; wait for the count to come back rather than sleep.
    const slack = 2;
    await waitFor(() => (activeResources().TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) + slack, 'sockets to close', 10_000).catch(() => {});
    const after = activeResources();
    console.log(`1,000 disconnects — handles before: ${JSON.stringify(before)}, after: ${JSON.stringify(after)}`);

    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual((before.TCPSocketWrap ?? 0) + slack);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual((before.Timeout ?? 0) + slack);
    expect(outcomes(h)).toEqual({ aborted: 1020 });
  });

  it('leaks no sockets or timers after 200 WebSocket clients drop mid-stream', { timeout: 90_000 }, async () => {
    h = await startHarness();
    h.fake.setStreamShape(LONG_PACED);
    const dropMidStream = async (i: number): Promise<void> => {
      const s = await openWs(`${h!.proxyBase}/responses`, wsHeaders(`s-ws-leak-${i % 20}`));
      let frames = 0;
      const enough = new Promise<void>((resolve) => s.ws.on('message', () => ++frames === 3 && resolve()));
      void s.create({ model: 'gpt-6.1-sol', input: [userMessage(`drop ${i}`)], client_metadata: wsMeta(`s-ws-leak-${i % 20}`, `u${i}`) });
      await enough;
      s.ws.terminate();
      await s.closed;
    };
    const run = async (from: number, count: number): Promise<void> => {
      let next = from;
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (next < from + count) await dropMidStream(next++);
      }));
    };
    const quiet = async (n: number) => {
      await waitFor(() => h!.fake.wsClosed === n && h!.fake.openSockets === 0, 'every upstream WebSocket to close');
      await h!.kx.settle();
    };

    await run(0, 10);
    await quiet(10);
    const before = activeResources();
    await run(10, 200);
    await quiet(210);
    const slack = 2;
    await waitFor(() => (activeResources().TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) + slack, 'sockets to close', 10_000).catch(() => {});
    const after = activeResources();
    console.log(`200 WebSocket drops — handles before: ${JSON.stringify(before)}, after: ${JSON.stringify(after)}`);

    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual((before.TCPSocketWrap ?? 0) + slack);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual((before.Timeout ?? 0) + slack);
    expect(outcomes(h)).toEqual({ aborted: 210 });
  });

  it('forwards a 50 MB request body byte for byte and keeps capturing afterwards', { timeout: 90_000 }, async () => {
    h = await startHarness();
    // One huge tool output, as after `cat` of a big log; random so nothing can shortcut the bytes.
    const output = crypto.randomBytes(38 * 1024 * 1024).toString('base64');
    const body = Buffer.from(
      JSON.stringify({
        model: 'gpt-6.1-sol',
        stream: true,
        input: [
          userMessage('read the log'),
          { type: 'function_call', call_id: 'call_big', name: 'exec_command', arguments: '{"cmd":"cat big.log"}' },
          { type: 'function_call_output', call_id: 'call_big', output },
        ],
      }),
    );
    expect(body.length).toBeGreaterThan(50 * 1024 * 1024);
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-big'), body });
    expect(res.status).toBe(200);
    expect(res.events.at(-1)!.type).toBe('response.completed');
    const seen = h.fake.requests.at(-1)!;
    expect(seen.rawBody.length).toBe(body.length);
    expect(sha256(seen.rawBody)).toBe(sha256(body));

    await h.kx.settle();
    const stored = h.kx.reader.getSession('s-big');
    const errors = h.kx.store.db.prepare('SELECT stage, message FROM capture_errors').all();
    // The huge output is kept as its head and tail around a marker that says how much was cut.
    expect(errors).toEqual([]);
    const kept = stored!.turns[0]!.items.find((i) => i.kind === 'tool_output')!.output!;
    expect(kept.startsWith(output.slice(0, 1000))).toBe(true);
    expect(kept.endsWith(output.slice(-1000))).toBe(true);
    expect(kept).toContain(`characters cut here; the field had ${output.length}]`);

    const next = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-after-big'), body: responsesBody('still there?') });
    expect(next.events.at(-1)!.type).toBe('response.completed');
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-after-big')!.requests[0]!.outcome).toBe('completed');
    expect(h.kx.store.getHealth().ok).toBe(true);
  });

  it('passes a gzip-compressed body through untouched and captures its decoded content', async () => {
    h = await startHarness();
    const gz = zlib.gzipSync(Buffer.from(responsesBody('compressed hello')));
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: { ...codexHeaders('s-gzip'), 'content-encoding': 'gzip' }, body: gz });
    expect(res.events.at(-1)!.type).toBe('response.completed');
    const seen = h.fake.requests.at(-1)!;
    expect(seen.headers['content-encoding']).toBe('gzip');
    expect(seen.rawBody.equals(gz)).toBe(true);
    await h.kx.settle();
    const items = h.kx.reader.getSession('s-gzip')!.turns[0]!.items;
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['human_message', 'compressed hello'],
      ['assistant_message', 'You said: compressed hello'],
    ]);
  });

  for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    it(`forwards ${method} on a model path, body and all, and returns the upstream's answer as a direct call gets it`, async () => {
      h = await startHarness();
      const body = responsesBody('odd method');
      const opts = { method, headers: { ...codexHeaders(`s-${method}`), 'content-length': String(Buffer.byteLength(body)) }, body };
      const viaKx = await rawRequest(`${h.proxyBase}/responses`, opts);
      const direct = await directCall('/v1/responses', opts);
      expect(h.fake.requests.at(-1)).toMatchObject({ method, path: '/v1/responses' });
      expect(h.fake.requests.at(-1)!.rawBody.toString()).toBe(body);
      expect(viaKx.status).toBe(direct.status);
      expect(viaKx.body.equals(direct.body)).toBe(true);
      await h.kx.settle();
      expect(h.kx.store.getHealth().ok).toBe(true);
    });
  }

  for (const method of ['DELETE', 'OPTIONS', 'GET']) {
    it(`forwards a chunked ${method} body framed, so the upstream reads it as a direct call would`, async () => {
      h = await startHarness();
      // Node frames only POST/PUT/PATCH bodies by default; a chunked body on other methods must stay chunked.
      const opts = { method, headers: { ...codexHeaders(`s-chunked-${method}`), 'transfer-encoding': 'chunked' }, body: responsesBody('chunked') };
      const viaKx = await rawRequest(`${h.proxyBase}/responses`, opts);
      const direct = await directCall('/v1/responses', opts);
      expect(h.fake.requests.at(-1)).toMatchObject({ method, path: '/v1/responses' });
      expect(h.fake.requests.at(-1)!.rawBody.toString()).toBe(opts.body);
      expect(viaKx.status).toBe(direct.status);
      expect(viaKx.body.equals(direct.body)).toBe(true);
    });
  }
});
