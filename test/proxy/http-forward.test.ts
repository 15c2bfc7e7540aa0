import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, testConfig, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { fixtureBytes } from '../support/fixtures.js';
import { startKx } from '../../src/kx.js';

const KEY = ['sk-test-', 'abcdefghijklmnopqrstuvwxyz012345'].join('');
const codexHeaders = (session: string) => ({
  authorization: `Bearer ${KEY}`,
  'content-type': 'application/json',
  accept: 'text/event-stream',
  'session-id': session,
  'x-codex-turn-state': 'ts_client_1',
  originator: 'codex_exec',
});

describe('HTTP forwarding', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('forwards method, headers and body byte for byte, and returns what a direct call returns', async () => {
    h = await startHarness();
    const body = responsesBody('hello there');
    const viaKx = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-1'), body });
    const seen = h.fake.requests.at(-1)!;
    expect(seen.rawBody.toString()).toBe(body);
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.headers['session-id']).toBe('s-1');
    expect(seen.headers['x-codex-turn-state']).toBe('ts_client_1');
    expect(seen.path).toBe('/v1/responses');
    const direct = await rawRequest(`${h.fake.baseUrl}/responses`, { headers: codexHeaders('s-1'), body });
    expect(viaKx.status).toBe(200);
    expect(viaKx.events.map((e) => e.type)).toEqual(direct.events.map((e) => e.type));
    expect(viaKx.headers['content-type']).toBe('text/event-stream');
    expect(viaKx.headers['x-codex-turn-state']).toMatch(/^ts_fake_/);
  });

  it('records how many events each stream carried, so a stored stream can be checked whole', async () => {
    h = await startHarness();
    h.fake.setStreamShape({ events: 250, eventBytes: 40, paceMs: 0 });
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-count'), body: responsesBody('count me') });
    await h.kx.settle();
    const [q] = h.kx.reader.getSession('s-count')!.requests;
    expect(res.events.length).toBe(254); // created, item added, 250 deltas, item done, completed
    expect(q!.events).toBe(res.events.length);
  });

  it('streams events to the client while the upstream is still sending', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'stall', afterEvents: 2, ms: 800 });
    const arrivals: number[] = [];
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${h.proxyBase}/responses`, { method: 'POST', headers: codexHeaders('s-stream') }, (res) => {
        res.on('data', () => arrivals.push(Date.now() - started));
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(responsesBody('hi'));
    });
    // the first bytes came before the upstream's 800 ms stall was over; the last after it
    expect(arrivals[0]!).toBeLessThan(700);
    expect(arrivals.at(-1)!).toBeGreaterThanOrEqual(800);
  });

  it('passes a zstd body through untouched and still records it', async () => {
    h = await startHarness();
    const zst = fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst');
    const res = await rawRequest(`${h.proxyBase}/responses`, {
      headers: { ...codexHeaders('ignored'), 'content-encoding': 'zstd', 'session-id': '01a20e14-zstd' },
      body: zst,
    });
    expect(res.status).toBe(200);
    const seen = h.fake.requests.at(-1)!;
    expect(seen.headers['content-encoding']).toBe('zstd');
    expect(Buffer.compare(seen.rawBody, zst)).toBe(0);
    await h.kx.settle();
    const s = h.kx.reader.getSession('01a20e14-zstd');
    expect(s?.turns[0]?.items[0]?.kind).toBe('human_message');
  });

  for (const [status, headers] of [
    [400, {}],
    [429, { 'retry-after': '7' }],
    [500, {}],
    [503, { 'retry-after': '1' }],
  ] as const) {
    it(`returns an upstream ${status} exactly as sent and records it`, async () => {
      h = await startHarness();
      const errorBody = { error: { message: `upstream says ${status}`, type: 'test_error', code: `code_${status}` } };
      h.fake.enqueue({ kind: 'http-error', status, body: errorBody, headers });
      const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders(`s-${status}`), body: responsesBody('x') });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body.toString())).toEqual(errorBody);
      for (const [k, v] of Object.entries(headers)) expect(res.headers[k]).toBe(v);
      await h.kx.settle();
      const [q] = h.kx.reader.getSession(`s-${status}`)!.requests;
      expect(q).toMatchObject({ statusCode: status, outcome: 'error', error: { message: `upstream says ${status}`, code: `code_${status}` } });
    });
  }

  it('passes an answer’s headers on before its body starts', async () => {
    // The upstream sends its headers, then holds its body until the client has them (or 2 s pass).
    let released = false;
    let release!: () => void;
    const bodyMayStart = new Promise<void>((resolve) => (release = () => ((released = true), resolve())));
    const upstream = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      void bodyMayStart.then(() => res.end('data: {"type":"response.completed","response":{"id":"r1"}}\n\n'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const kx = await startKx(testConfig(`http://127.0.0.1:${(upstream.address() as { port: number }).port}/v1`));
    const safety = setTimeout(release, 2000);
    try {
      const headersWhileHeld = await new Promise<boolean>((resolve, reject) => {
        const req = http.request(`${kx.url}/v1/responses`, { method: 'POST', headers: codexHeaders('s-slow-body') }, (res) => {
          const held = !released;
          release();
          res.resume();
          res.on('end', () => resolve(held));
        });
        req.on('error', reject);
        req.end(responsesBody('think first'));
      });
      expect(headersWhileHeld).toBe(true);
    } finally {
      clearTimeout(safety);
      await kx.close();
      upstream.close();
    }
  });

  it('answers 502 with a JSON error when the upstream refuses the connection, and records it', async () => {
    const kx = await startKx(testConfig('http://127.0.0.1:1/v1'));
    try {
      const res = await rawRequest(`${kx.url}/v1/responses`, { headers: codexHeaders('s-refused'), body: responsesBody('x') });
      expect(res.status).toBe(502);
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: { type: 'upstream_unreachable', code: 'ECONNREFUSED' } });
      await kx.settle();
      expect(kx.reader.getSession('s-refused')!.requests[0]).toMatchObject({ statusCode: 502, outcome: 'error' });
    } finally {
      await kx.close();
    }
  });

  it('cuts the client stream where the upstream cut it, and records the cut', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'cut', afterEvents: 3 });
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-cut'), body: responsesBody('list the files') });
    expect(res.events.some((e) => e.type === 'response.completed')).toBe(false);
    expect(res.error).toBeDefined();
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-cut')!.requests[0]!.outcome).toBe('cut');
  });

  it('records why a stream was cut', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'cut', afterEvents: 3 });
    await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-cut-why'), body: responsesBody('list the files') });
    await h.kx.settle();
    expect(h.kx.reader.getSession('s-cut-why')!.requests[0]!.error).toEqual({ message: 'upstream closed the stream mid-response' });
  });

  it('forwards unknown paths and methods and returns the upstream answer as is', async () => {
    h = await startHarness();
    const res = await rawRequest(`${h.proxyBase}/no/such/thing?x=1`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    const direct = await rawRequest(`${h.fake.baseUrl}/no/such/thing?x=1`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(direct.status);
    expect(res.body.toString()).toBe(direct.body.toString());
    expect(h.fake.requests.at(-2)!.path).toBe('/v1/no/such/thing?x=1');
  });

  it('forwards malformed JSON untouched and records a capture error', async () => {
    h = await startHarness();
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('s-bad'), body: '{"input": [' });
    const direct = await rawRequest(`${h.fake.baseUrl}/responses`, { headers: codexHeaders('s-bad'), body: '{"input": [' });
    expect(res.status).toBe(direct.status);
    expect(h.fake.requests.at(-2)!.rawBody.toString()).toBe('{"input": [');
    await h.kx.settle();
    const errors = h.kx.store.db.prepare('SELECT stage FROM capture_errors').all();
    expect(errors).toEqual([{ stage: 'request' }]);
  });
});
