// The request hook and capture name a request's session by the same rule (session-identity.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { captureFingerprints, withRequestFacts, type HookRequestWithFacts } from '../../src/capture/hook-facts.js';
import { projectSlug } from '../../src/capture/project.js';
import { environmentContext } from '../support/insight-harness.js';
import { userMessage } from '../../harness/drivers/http-client.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

describe('the facts the request hook gets', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('names the session capture stores, for a request with no session header (fingerprint)', async () => {
    h = await startHarness();
    const seen: HookRequestWithFacts[] = [];
    h.kx.setRequestHook(withRequestFacts(async (r) => (seen.push(r), { action: 'forward' }), () => undefined));
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'user-agent': 'agent/1.0' }, body: responsesBody('no headers here') });
    await h.kx.settle();
    const stored = h.kx.reader.listSessions().map((s) => s.id);
    expect(seen.map((r) => r.session.id)).toEqual(stored);
    expect(stored[0]).toMatch(/^fp-/);
    expect(seen[0]!.parsed.input.at(-1)).toMatchObject({ kind: 'human_message', text: 'no headers here' });
  });

  it('names the sessions capture stores for two conversations that open alike with no session id', async () => {
    h = await startHarness();
    const seen: string[] = [];
    const r = h.kx.recorder;
    h.kx.setRequestHook(
      withRequestFacts(async (req) => (seen.push(req.session.id), { action: 'forward' }), (id) => r.tracker.sessionOfResponse(id), undefined, undefined, captureFingerprints(r)),
    );
    const headers = { 'user-agent': 'OpenAI/JS 5.23.2', 'content-type': 'application/json' };
    const sys = { role: 'system', content: 'You are a helpful coding agent.' };
    const chat = (messages: unknown[]) => rawRequest(`${h.proxyBase}/chat/completions`, { headers, body: JSON.stringify({ model: 'gpt-5', messages }) });
    const answerOf = (res: { body: Buffer }) => (JSON.parse(res.body.toString()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    const a = await chat([sys, { role: 'user', content: 'hi' }]);
    await chat([sys, { role: 'user', content: 'hi' }]);
    await chat([sys, { role: 'user', content: 'hi' }, { role: 'assistant', content: answerOf(a) }, { role: 'user', content: 'fix the bug' }]);
    await h.kx.settle();
    const stored = h.kx.reader.listSessions(10).map((s) => s.id);
    expect(new Set(seen).size).toBe(2);
    expect([...new Set(seen)].sort()).toEqual([...stored].sort());
    const humans = h.kx.reader.getSession(seen[2]!)!.turns.flatMap((t) => t.items).filter((i) => i.kind === 'human_message').map((i) => i.text);
    expect(humans).toContain('fix the bug');
  });

  it('takes each WebSocket frame\'s client_metadata over the stale upgrade headers, as capture does', async () => {
    h = await startHarness();
    const seen: HookRequestWithFacts[] = [];
    h.kx.setRequestHook(withRequestFacts(async (r) => (seen.push(r), { action: 'forward' }), () => undefined));
    const s = await openWs(`${h.proxyBase}/responses`, { 'x-codex-turn-metadata': JSON.stringify({ turn_id: '', request_kind: 'prewarm' }) });
    await s.create({ model: 'gpt-6.1-sol', input: [], client_metadata: { session_id: 'ws-meta', turn_id: 'u1', 'x-codex-turn-metadata': JSON.stringify({ request_kind: 'turn' }) } });
    s.ws.close();
    await h.kx.settle();
    expect(seen[0]!.session).toEqual({ id: 'ws-meta', source: 'client_metadata' });
    expect(seen[0]!.parsed.meta).toMatchObject({ turnId: 'u1', requestKind: 'turn' });
    expect(h.kx.reader.getSession('ws-meta')).toBeDefined();
  });

  it('gives the hook a Chat Completions request under the session capture files it in, with the client table\'s facts', async () => {
    h = await startHarness();
    const seen: { session: string; background: boolean | undefined }[] = [];
    h.kx.setRequestHook(withRequestFacts(async (req) => (seen.push({ session: req.session.id, background: req.chat?.background }), { action: 'forward' }), () => undefined));
    const headers = { 'user-agent': 'opencode/1.18.33 ai-sdk/provider-utils/4.0.23', 'x-session-id': 'ses_abc', 'content-type': 'application/json' };
    const title = { model: 'gpt-5', messages: [{ role: 'system', content: 'You are a title generator. You output ONLY a thread title.' }, { role: 'user', content: 'hi' }] };
    await rawRequest(`${h.proxyBase}/chat/completions`, { headers, body: JSON.stringify(title) });
    await rawRequest(`${h.proxyBase}/chat/completions`, { headers, body: JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }) });
    await h.kx.settle();
    expect(seen).toEqual([
      { session: 'ses_abc', background: true },
      { session: 'ses_abc', background: false },
    ]);
    expect(h.kx.reader.listSessions(10).map((s) => s.id)).toEqual(['ses_abc']);
  });

  it('names the project of a WebSocket delta frame by the working directory an earlier frame of the socket reported', async () => {
    h = await startHarness();
    const seen: HookRequestWithFacts[] = [];
    // The store would say another project: this request's socket knows better.
    h.kx.setRequestHook(withRequestFacts(async (r) => (seen.push(r), { action: 'forward' }), () => undefined, () => 'recorded-elsewhere'));
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-cwd' });
    const first = await s.create({ model: 'gpt-6.1-sol', input: [environmentContext('/home/ana/shop'), userMessage('one')] });
    const responseId = (first.at(-1)!.response as { id: string }).id;
    await s.create({ model: 'gpt-6.1-sol', previous_response_id: responseId, input: [userMessage('two')] });
    s.ws.close();
    expect(seen.map((r) => r.project)).toEqual([
      { id: projectSlug('/home/ana/shop'), name: '/home/ana/shop', source: 'cwd' },
      { id: projectSlug('/home/ana/shop'), name: '/home/ana/shop', source: 'cwd' },
    ]);
  });

  it('names the project the store recorded when the request reports no working directory, else the client', async () => {
    h = await startHarness();
    const seen: HookRequestWithFacts[] = [];
    h.kx.setRequestHook(withRequestFacts(async (r) => (seen.push(r), { action: 'forward' }), () => undefined, (id) => (id === 'known' ? 'shop-a1b2c3' : undefined)));
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'known' }, body: responsesBody('hi') });
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'new', originator: 'codex_exec' }, body: responsesBody('hi') });
    expect(seen.map((r) => [r.project.id, r.project.source])).toEqual([['shop-a1b2c3', 'recorded'], [projectSlug('client: codex_exec'), 'client']]);
  });
});
