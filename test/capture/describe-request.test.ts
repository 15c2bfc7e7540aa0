// Learn mode's hook and capture work out what a request means by one rule (describe-request.ts):
// for the same request, on either transport, both name the same session and the same project.

import { afterEach, describe, expect, it } from 'vitest';
import { describeParsed, remember, type ConnectionMemory } from '../../src/capture/describe-request.js';
import { withRequestFacts, type HookRequestWithFacts } from '../../src/capture/hook-facts.js';
import { projectSlug } from '../../src/capture/project.js';
import { parseResponsesRequest } from '../../src/protocol/responses-request.js';
import { rawRequest, responsesBody, userMessage } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { environmentContext } from '../support/insight-harness.js';
import { startHarness, type Harness } from '../support/kx-harness.js';

/** Installs a hook that only watches, with the store's lookups as kx wires them. */
function watchHook(h: Harness): HookRequestWithFacts[] {
  const seen: HookRequestWithFacts[] = [];
  h.kx.setRequestHook(
    withRequestFacts(
      async (r) => (seen.push(r), { action: 'forward' }),
      (id) => h.kx.reader.sessionOfResponse(id),
      (id) => h.kx.reader.getSession(id)?.project ?? undefined,
    ),
  );
  return seen;
}

/** What capture stored for the session the hook named: its id and project. */
function stored(h: Harness, sessionId: string): { session: string; project: string | null } | undefined {
  const s = h.kx.reader.getSession(sessionId);
  return s ? { session: s.id, project: s.project } : undefined;
}

describe('what a request means, to the hook and to capture', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('names the same session and project for an HTTP Responses request', async () => {
    h = await startHarness();
    const seen = watchHook(h);
    const body = JSON.parse(responsesBody('fix the cart')) as { input: unknown[] };
    body.input.unshift(environmentContext('/home/ana/shop'));
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'user-agent': 'agent/1.0' }, body: JSON.stringify(body) });
    await h.kx.settle();
    expect(seen).toHaveLength(1);
    const hook = { session: seen[0]!.session.id, project: seen[0]!.project.id };
    expect(stored(h, hook.session)).toEqual(hook);
    expect(hook.project).toBe(projectSlug('/home/ana/shop'));
  });

  it('names the same session and project for a Chat Completions request', async () => {
    h = await startHarness();
    const seen = watchHook(h);
    const headers = { 'user-agent': 'opencode/1.18.33 ai-sdk/provider-utils/4.0.23', 'x-session-id': 'ses_shop', 'content-type': 'application/json' };
    const system = 'You are opencode.\n<env>\n  Working directory: /home/ana/shop\n</env>';
    const body = { model: 'gpt-5', tools: [{ type: 'function', function: { name: 'bash', parameters: {} } }], messages: [{ role: 'system', content: system }, { role: 'user', content: 'fix the cart' }] };
    await rawRequest(`${h.proxyBase}/chat/completions`, { headers, body: JSON.stringify(body) });
    await h.kx.settle();
    expect(seen).toHaveLength(1);
    const hook = { session: seen[0]!.session.id, project: seen[0]!.project.id };
    expect(hook).toEqual({ session: 'ses_shop', project: projectSlug('/home/ana/shop') });
    expect(stored(h, hook.session)).toEqual(hook);
  });

  it('names the same session and project for a WebSocket delta frame after a first frame that carried the working directory', async () => {
    h = await startHarness();
    const seen = watchHook(h);
    // No session header and no previous_response_id on the second frame: only the socket's memory ties it to the first.
    const s = await openWs(`${h.proxyBase}/responses`, { 'user-agent': 'agent/1.0' });
    await s.create({ model: 'gpt-6.1-sol', input: [environmentContext('/home/ana/shop'), userMessage('one')] });
    await s.create({ model: 'gpt-6.1-sol', input: [userMessage('two')] });
    s.ws.close();
    await h.kx.settle();
    expect(seen).toHaveLength(2);
    const hook = seen.map((r) => ({ session: r.session.id, project: r.project.id }));
    expect(hook[1]).toEqual(hook[0]);
    expect(hook[0]!.session).toMatch(/^fp-/);
    expect(hook[0]!.project).toBe(projectSlug('/home/ana/shop'));
    expect(h.kx.reader.listSessions(10).map((x) => x.id)).toEqual([hook[0]!.session]);
    expect(stored(h, hook[0]!.session)).toEqual(hook[0]);
  });
});

describe('describeParsed', () => {
  it('gives a delta frame the session and working directory its connection\'s first frame had', () => {
    const memory: ConnectionMemory = {};
    const headers = { 'user-agent': 'agent/1.0' };
    const first = describeParsed(
      { transport: 'ws', headers, parsed: parseResponsesRequest({ type: 'response.create', model: 'm', input: [environmentContext('/home/ana/shop'), userMessage('one')] }) },
      memory,
      () => undefined,
    );
    remember(memory, first);
    const delta = describeParsed({ transport: 'ws', headers, parsed: parseResponsesRequest({ type: 'response.create', model: 'm', input: [userMessage('two')] }) }, memory, () => undefined);
    expect(delta.session.id).toBe(first.session.id);
    expect(delta.cwd).toBe('/home/ana/shop');
    expect(first.cwd).toBe('/home/ana/shop');
  });

  it("takes a WebSocket frame's own metadata over the upgrade request's, and an HTTP request's headers over its body", () => {
    const headers = { 'user-agent': 'agent/1.0', 'session-id': 'upgrade-session', 'x-codex-turn-metadata': JSON.stringify({ turn_id: 'upgrade-turn' }) };
    const body = { type: 'response.create', model: 'm', input: [userMessage('one')], client_metadata: { session_id: 'frame-session', turn_id: 'frame-turn' } };
    const ws = describeParsed({ transport: 'ws', headers, parsed: parseResponsesRequest(body) }, {}, () => undefined);
    expect(ws.parsed.meta).toMatchObject({ sessionId: 'frame-session', turnId: 'frame-turn' });
    expect(ws.session.id).toBe('frame-session');
    const http = describeParsed({ transport: 'http', headers, parsed: parseResponsesRequest(body) }, {}, () => undefined);
    expect(http.parsed.meta).toMatchObject({ sessionId: 'upgrade-session', turnId: 'upgrade-turn' });
    expect(http.session.id).toBe('upgrade-session');
  });

  it('starts an HTTP request with nothing remembered: a different first message is a different session', () => {
    const headers = { 'user-agent': 'agent/1.0' };
    const one = describeParsed({ transport: 'http', headers, parsed: parseResponsesRequest({ model: 'm', input: [userMessage('one')] }) }, {}, () => undefined);
    const two = describeParsed({ transport: 'http', headers, parsed: parseResponsesRequest({ model: 'm', input: [userMessage('two')] }) }, {}, () => undefined);
    expect(two.session.id).not.toBe(one.session.id);
  });
});
