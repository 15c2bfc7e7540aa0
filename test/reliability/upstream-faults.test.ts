// Upstream faults the proxy tests do not cover yet: malformed SSE, response.failed on both
// transports, and streams that stall half-way.

import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { codexHeaders, directCall, openStream, userMessage, waitFor, wsHeaders, wsMeta } from './support.js';

describe('upstream faults', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('passes a malformed SSE stream to the client byte for byte, as a direct call gets it', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'malformed-sse' });
    const opts = { headers: codexHeaders('s-malformed'), body: responsesBody('hello') };
    const viaKx = await rawRequest(`${h.proxyBase}/responses`, opts);
    const direct = await directCall('/v1/responses', opts, { kind: 'malformed-sse' });
    expect(viaKx.body.toString()).toContain('not-json-at-all');
    expect(viaKx.status).toBe(direct.status);
    expect(viaKx.body.equals(direct.body)).toBe(true);
  });

  it('counts the malformed events as parse errors and still stores the rest of the response', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'malformed-sse' });
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-malformed-rec'), body: responsesBody('hello') });
    await h.kx.settle();
    const s = h.kx.reader.getSession('s-malformed-rec')!;
    const [q] = s.requests;
    // The malformed delta is skipped unparsed by design (deltas are never parsed); the non-JSON event is counted.
    expect(q!.parseErrors).toBeGreaterThan(0);
    expect(q!.outcome).toBe('completed');
    expect(q!.events).toBe(res.events.length);
    expect(s.turns[0]!.items.map((i) => i.kind)).toEqual(['human_message', 'assistant_message']);
    expect(s.turns[0]!.items[1]!.text).toBe('You said: hello');
  });

  it('relays response.failed over HTTP and records the request as failed with its error', async () => {
    h = await startHarness();
    const scenario = { kind: 'response-failed', code: 'server_error', message: 'The model crashed.' } as const;
    h.fake.enqueue(scenario);
    const opts = { headers: codexHeaders('s-failed-http'), body: responsesBody('hello') };
    const viaKx = await rawRequest(`${h.proxyBase}/responses`, opts);
    const direct = await directCall('/v1/responses', opts, scenario);
    expect(viaKx.events.at(-1)!.type).toBe('response.failed');
    expect(viaKx.body.equals(direct.body)).toBe(true);
    await h.kx.settle();
    const [q] = h.kx.reader.getSession('s-failed-http')!.requests;
    expect(q).toMatchObject({ outcome: 'failed', error: { code: 'server_error', message: 'The model crashed.' } });
  });

  it('relays response.failed over WebSocket and records the request as failed with its error', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'response-failed', code: 'server_error', message: 'The model crashed on WS.' });
    const s = await openWs(`${h.proxyBase}/responses`, wsHeaders('s-failed-ws'));
    const events = await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: wsMeta('s-failed-ws', 'u1') });
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.failed']);
    s.ws.close();
    await s.closed;
    await h.kx.settle();
    const [q] = h.kx.reader.getSession('s-failed-ws')!.requests;
    expect(q).toMatchObject({ transport: 'ws', outcome: 'failed', error: { code: 'server_error', message: 'The model crashed on WS.' } });
  });

  it('delivers what came before an HTTP stall at once, keeps serving others meanwhile, and completes when the upstream resumes', async () => {
    h = await startHarness();
    let release!: () => void;
    h.fake.enqueue({ kind: 'stall', afterEvents: 3, ms: 0, release: new Promise<void>((r) => (release = r)) });
    const body = responsesBody('hello');
    const stream = openStream(`${h.proxyBase}/responses`, codexHeaders('s-stall'), body);
    await stream.waitEvents(3);
    expect(stream.events).toHaveLength(3); // the upstream is held: nothing more can have come

    const other = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-during-stall'), body: responsesBody('meanwhile') });
    expect(other.events.at(-1)!.type).toBe('response.completed');
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-stall')!.requests[0]!.outcome).toBeNull(); // still in flight

    release();
    expect(await stream.done).toEqual({ status: 200, ended: true });
    const direct = await directCall('/v1/responses', { headers: codexHeaders('s-stall'), body }, { kind: 'stall', afterEvents: 3, ms: 0 });
    expect(stream.bytes().equals(direct.body)).toBe(true);
    await waitFor(async () => {
      await h!.kx.settle();
      return h!.kx.reader.getSession('s-stall')!.requests[0]!.outcome === 'completed';
    }, 'the stalled request to be recorded');
  });

  it('delivers what came before a WebSocket stall at once, keeps other sockets working, and completes when the upstream resumes', async () => {
    h = await startHarness();
    let release!: () => void;
    h.fake.enqueue({ kind: 'stall', afterEvents: 3, ms: 0, release: new Promise<void>((r) => (release = r)) });
    const s = await openWs(`${h.proxyBase}/responses`, wsHeaders('s-ws-stall'));
    const seen: string[] = [];
    s.ws.on('message', (d) => seen.push((JSON.parse(d.toString()) as { type: string }).type));
    const answer = s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: wsMeta('s-ws-stall', 'u1') });
    await waitFor(() => seen.length === 3, 'the events sent before the stall');

    const other = await openWs(`${h.proxyBase}/responses`, wsHeaders('s-ws-other'));
    const otherEvents = await other.create({ model: 'gpt-6.1-sol', input: [userMessage('meanwhile')], client_metadata: wsMeta('s-ws-other', 'u1') });
    expect(otherEvents.at(-1)!.type).toBe('response.completed');
    other.ws.close();
    expect(seen).toHaveLength(3);

    release();
    const events = await answer;
    expect(events.at(-1)!.type).toBe('response.completed');
    s.ws.close();
    await s.closed;
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-ws-stall')!.requests[0]!.outcome).toBe('completed');
  });
});
