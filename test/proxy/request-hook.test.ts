import { afterEach, describe, expect, it } from 'vitest';
import type { RequestHook } from '../../src/proxy/request-hook.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

// What learn mode will do: hold the human's turn, then send a rewritten text upstream.
const rewrite: RequestHook = async (req) => {
  await new Promise((r) => setTimeout(r, 50));
  const body = JSON.parse(req.body.toString()) as { input?: Array<{ content?: Array<{ text?: string }> }> };
  const part = body.input?.at(-1)?.content?.[0];
  if (!part?.text) return { action: 'forward' };
  part.text = `${part.text} (rewritten)`;
  return { action: 'replace', body: Buffer.from(JSON.stringify(body)) };
};

const lastUserText = (body: unknown): string | undefined =>
  (body as { input?: Array<{ content?: Array<{ text?: string }> }> }).input?.at(-1)?.content?.[0]?.text;

describe('request hook', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('holds an HTTP request and sends the replaced body upstream, and capture stores what was sent', async () => {
    h = await startHarness();
    h.kx.setRequestHook(rewrite);
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'hook-1', 'content-type': 'application/json' }, body: responsesBody('hello') });
    expect(res.status).toBe(200);
    expect(lastUserText(h.fake.requests.at(-1)!.body)).toBe('hello (rewritten)');
    await h.kx.settle();
    expect(h.kx.reader.getSession('hook-1')!.turns[0]!.items[0]!.text).toBe('hello (rewritten)');
  });

  it('holds a WebSocket frame and sends the replaced frame upstream, keeping frame order', async () => {
    h = await startHarness();
    h.kx.setRequestHook(rewrite);
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'hook-ws' });
    const events = await s.create({ model: 'gpt-6.1-sol', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] });
    expect(events.at(-1)!.type).toBe('response.completed');
    expect(lastUserText(h.fake.requests.at(-1)!.body)).toBe('hi (rewritten)');
    s.ws.close();
  });

  it('refuses with a 4xx JSON error when the hook says so', async () => {
    h = await startHarness();
    h.kx.setRequestHook(async () => ({ action: 'refuse', status: 403, message: 'rejected by the reviewer' }));
    const before = h.fake.requests.length;
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'hook-2' }, body: responsesBody('x') });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { message: 'rejected by the reviewer' } });
    expect(h.fake.requests.length).toBe(before);
  });

  it('forwards the original request when the hook throws', async () => {
    h = await startHarness();
    h.kx.setRequestHook(async () => {
      throw new Error('learn mode crashed');
    });
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'hook-3' }, body: responsesBody('original') });
    expect(res.status).toBe(200);
    expect(lastUserText(h.fake.requests.at(-1)!.body)).toBe('original');
  });
});
