// One kx, two upstreams: each request goes where its credentials belong, and the row says where.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { startKx, type Kx } from '../../src/kx.js';
import { TEST_TOKEN, testConfig } from '../support/kx-harness.js';
import { rawRequest, responsesBody, userMessage } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

const API_KEY = ['sk-test-', 'routeabcdefghijklmnopqrstuvwxyz01'].join('');
const CHATGPT_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.fake';
const apiKeyHeaders = (session: string) => ({ authorization: `Bearer ${API_KEY}`, 'session-id': session, originator: 'codex_exec', 'content-type': 'application/json' });
const chatgptHeaders = (session: string) => ({ ...apiKeyHeaders(session), authorization: `Bearer ${CHATGPT_TOKEN}`, 'chatgpt-account-id': 'acct_route_1' });

describe('per-request upstream', () => {
  let fake: FakeUpstream | undefined;
  let kx: Kx | undefined;
  afterEach(async () => {
    await kx?.close();
    await fake?.close();
    kx = fake = undefined;
  });

  async function start(chatgpt: 'fake' | 'off'): Promise<{ fake: FakeUpstream; kx: Kx }> {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl, { chatgptBaseUrl: chatgpt === 'off' ? null : new URL('/backend-api/codex', fake.url) }));
    return { fake, kx };
  }

  it('sends an API-key HTTP request to the API upstream and a ChatGPT-login one to the ChatGPT upstream', async () => {
    const { fake, kx } = await start('fake');
    const a = await rawRequest(`${kx.url}/v1/responses`, { headers: apiKeyHeaders('route-a'), body: responsesBody('hello') });
    const c = await rawRequest(`${kx.url}/v1/responses`, { headers: chatgptHeaders('route-c'), body: responsesBody('hello') });
    expect([a.status, c.status]).toEqual([200, 200]);
    expect(fake.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/responses', `Bearer ${API_KEY}`],
      ['/backend-api/codex/responses', `Bearer ${CHATGPT_TOKEN}`],
    ]);
  });

  it('sends a ChatGPT-login WebSocket to the ChatGPT upstream', async () => {
    const { fake, kx } = await start('fake');
    const s = await openWs(`${kx.url}/v1/responses`, chatgptHeaders('route-ws'));
    const events = await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')] });
    expect(events.at(-1)?.type).toBe('response.completed');
    s.ws.close();
    expect(fake.requests.map((r) => [r.transport, r.path, r.headers['chatgpt-account-id']])).toEqual([['ws', '/backend-api/codex/responses', 'acct_route_1']]);
  });

  it('records each request upstream on its row and shows it in /api/sessions/:id', async () => {
    const { fake, kx } = await start('fake');
    await rawRequest(`${kx.url}/v1/responses`, { headers: apiKeyHeaders('route-rows-a'), body: responsesBody('hello') });
    const s = await openWs(`${kx.url}/v1/responses`, chatgptHeaders('route-rows-c'));
    await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')] });
    s.ws.close();
    await kx.settle();
    const upstreamOf = async (session: string) => {
      const res = await fetch(`${kx.url}/api/sessions/${session}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      const body = (await res.json()) as { requests: Array<{ upstream: string | null }> };
      return body.requests.map((r) => r.upstream);
    };
    expect(await upstreamOf('route-rows-a')).toEqual([fake.baseUrl]);
    expect(await upstreamOf('route-rows-c')).toEqual([`${fake.url}/backend-api/codex`]);
  });

  it('answers a ChatGPT-login HTTP request with a 400 that names KX_CHATGPT_BASE_URL when ChatGPT traffic is off, and forwards nothing', async () => {
    const { fake, kx } = await start('off');
    const res = await rawRequest(`${kx.url}/v1/responses`, { headers: chatgptHeaders('route-off'), body: responsesBody('hello') });
    expect(res.status).toBe(400);
    const error = (JSON.parse(res.body.toString()) as { error: { message: string; type: string } }).error;
    expect(error.type).toBe('kx_chatgpt_upstream_off');
    expect(error.message).toContain('KX_CHATGPT_BASE_URL');
    expect(fake.requests).toEqual([]);
    await kx.settle();
    const row = kx.reader.getSession('route-off')?.requests[0];
    expect(row).toMatchObject({ statusCode: 400, upstream: null });
  });

  it('answers a ChatGPT-login WebSocket with 426 when ChatGPT traffic is off, so Codex falls back to HTTP', async () => {
    const { fake, kx } = await start('off');
    await expect(openWs(`${kx.url}/v1/responses`, chatgptHeaders('route-off-ws'))).rejects.toMatchObject({ status: 426 });
    expect(fake.wsConnections).toBe(0);
  });

  it('still forwards API-key requests when ChatGPT traffic is off', async () => {
    const { fake, kx } = await start('off');
    const res = await rawRequest(`${kx.url}/v1/responses`, { headers: apiKeyHeaders('route-off-a'), body: responsesBody('hello') });
    expect(res.status).toBe(200);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/responses']);
  });
});
