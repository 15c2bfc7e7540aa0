import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { userMessage } from '../../harness/drivers/http-client.js';
import WebSocket from 'ws';
import { openWs } from '../../harness/drivers/ws-client.js';

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

const KEY = ['sk-test-', 'wsabcdefghijklmnopqrstuvwxyz0123'].join('');
const headers = (session: string) => ({ authorization: `Bearer ${KEY}`, 'session-id': session, originator: 'codex_exec', 'openai-beta': 'responses_websockets=2026-02-06' });
const meta = (session: string, turn: string, kind = 'turn') => ({
  session_id: session,
  thread_id: session,
  turn_id: turn,
  'x-codex-turn-metadata': JSON.stringify({ session_id: session, turn_id: turn, request_kind: kind }),
});

describe('WebSocket bridge', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('bridges a prewarm, a tool round trip and a second turn on one socket, and records them', async () => {
    h = await startHarness();
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-1'));
    expect(s.upgradeHeaders['x-codex-turn-state']).toMatch(/^ts_fake_/);
    const prewarm = await s.create({ model: 'gpt-6.1-sol', generate: false, input: [], client_metadata: meta('ws-1', '', 'prewarm') });
    expect(prewarm.map((e) => e.type)).toEqual(['response.created', 'response.completed']);
    const prewarmId = (prewarm[1]!.response as { id: string }).id;
    const turn = await s.create({ model: 'gpt-6.1-sol', previous_response_id: prewarmId, input: [userMessage('list the files here')], client_metadata: meta('ws-1', 'u1') });
    const done = turn.at(-1)!.response as { id: string; output: Array<{ type: string; call_id?: string }> };
    const call = done.output.find((o) => o.type === 'custom_tool_call')!;
    const followUp = await s.create({
      model: 'gpt-6.1-sol',
      previous_response_id: done.id,
      input: [{ type: 'custom_tool_call_output', call_id: call.call_id, output: [{ type: 'input_text', text: 'README.md\nhello.py' }] }],
      client_metadata: meta('ws-1', 'u1'),
    });
    expect(followUp.at(-1)!.type).toBe('response.completed');
    const second = await s.create({ model: 'gpt-6.1-sol', previous_response_id: (followUp.at(-1)!.response as { id: string }).id, input: [userMessage('thanks')], client_metadata: meta('ws-1', 'u2') });
    expect(second.at(-1)!.type).toBe('response.completed');
    expect(h.fake.wsConnections).toBe(1);
    const upstreamFrames = h.fake.requests.filter((r) => r.transport === 'ws');
    expect(upstreamFrames).toHaveLength(4);
    expect(upstreamFrames[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    s.ws.close();
    await h.kx.settle();
    const session = h.kx.reader.getSession('ws-1')!;
    expect(session.turns.map((t) => t.items.map((i) => i.kind))).toEqual([
      ['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message'],
      ['human_message', 'assistant_message'],
    ]);
    expect(session.requests.map((r) => r.outcome)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });

  for (const status of [404, 500, 403]) {
    it(`answers 426 when the upstream refuses the handshake with ${status}`, async () => {
      h = await startHarness();
      h.fake.enqueue({ kind: 'ws-refuse', status });
      const err = (await openWs(`${h.proxyBase}/responses`, headers('ws-refused')).catch((e: unknown) => e)) as { status?: number };
      expect(err.status).toBe(426);
    });
  }

  it('passes the upstream close code and reason to the client', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'ws-close', code: 4001, reason: 'going away now', afterEvents: 1 });
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-close'));
    await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: meta('ws-close', 'u1') });
    expect(await s.closed).toEqual({ code: 4001, reason: 'going away now' });
    await h.kx.settle();
    expect(h.kx.reader.getSession('ws-close')!.requests[0]!.outcome).toBe('cut');
  });

  it('records why a response was cut: the close code and reason', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'ws-close', code: 4001, reason: 'going away now', afterEvents: 1 });
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-close-why'));
    await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: meta('ws-close-why', 'u1') });
    await s.closed;
    await h.kx.settle();
    expect(h.kx.reader.getSession('ws-close-why')!.requests[0]!.error).toEqual({ message: 'WebSocket closed by upstream (4001 going away now)' });
  });

  it('passes an upstream close frame without a status code to the client as one (1005, not 1006)', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'ws-close', code: 1005, reason: '', afterEvents: 1 });
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-close-bare'));
    await s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: meta('ws-close-bare', 'u1') });
    expect((await s.closed).code).toBe(1005);
  });

  it('passes a client close frame without a status code to the upstream as one', async () => {
    h = await startHarness();
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-client-bare'));
    s.ws.close();
    await s.closed;
    await waitUntil(() => h.fake.wsCloseCodes.length === 1);
    expect(h.fake.wsCloseCodes).toEqual([1005]);
  });

  it('tells the client the subprotocol the upstream chose', async () => {
    h = await startHarness();
    const ws = new WebSocket(`${h.proxyBase.replace(/^http/, 'ws')}/responses`, ['first-choice', 'second-choice'], { headers: headers('ws-proto') });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // The fake upstream picks the last one offered.
    expect(ws.protocol).toBe('second-choice');
    ws.close();
  });

  it('relays an error frame and records it', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'previous-response-not-found' });
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-err'));
    const events = await s.create({ model: 'gpt-6.1-sol', previous_response_id: 'resp_unknown', input: [userMessage('hello')], client_metadata: meta('ws-err', 'u1') });
    expect(events.at(-1)).toMatchObject({ type: 'error', status: 400, error: { code: 'previous_response_not_found' } });
    s.ws.close();
    await h.kx.settle();
    expect(h.kx.reader.getSession('ws-err')!.requests[0]).toMatchObject({ outcome: 'error', error: { code: 'previous_response_not_found' } });
  });

  it('drops the client connection when the upstream sends an invalid frame', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'ws-invalid-frame' });
    const s = await openWs(`${h.proxyBase}/responses`, headers('ws-invalid'));
    void s.create({ model: 'gpt-6.1-sol', input: [userMessage('hello')], client_metadata: meta('ws-invalid', 'u1') });
    const closed = await s.closed;
    expect(closed.code).not.toBe(1000);
  });
});
