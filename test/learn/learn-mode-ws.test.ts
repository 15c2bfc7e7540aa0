// Learn mode over WebSocket: only the held frame's socket waits, Codex gets keepalive frames while
// it waits, a hang-up cancels, and a full resend of the history carries the approved text.

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { userMessage } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

const ORIGINAL = 'run the integration tests and tell me what breaks';
const REWRITE = migrateAnswer(ORIGINAL).rewritten;
const frameText = (b: unknown): string => (b as { input: Array<{ content?: Array<{ text?: string }> }> }).input.at(-1)!.content![0]!.text!;

describe('learn mode over WebSocket', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('holds the response.create frame, sends keepalive frames while it waits, then sends the accepted text', async () => {
    h = await startLearnHarness(['ws-accept'], { keepaliveMs: 50 });
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-accept' });
    const keepalives: string[] = [];
    s.ws.on('message', (d) => {
      if (String(d).includes('proxy.keepalive')) keepalives.push(String(d));
    });
    const pending = h.nextPending();
    const events = s.create({ model: 'gpt-6.1-sol', input: [userMessage(ORIGINAL)] });
    const approval = await pending;
    await new Promise<void>((resolve) => {
      const check = () => (keepalives.length >= 2 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(h.fake.requests).toHaveLength(0);
    await h.decide(approval.id, { decision: 'accept' });
    expect((await events).at(-1)!.type).toBe('response.completed');
    expect(keepalives[0]).toBe('{"type":"proxy.keepalive"}');
    expect(h.fake.requests.map((r) => frameText(r.body))).toEqual([REWRITE]);
    s.ws.close();
  });

  it('keeps other sockets flowing while one socket holds a frame', async () => {
    h = await startLearnHarness(['ws-held', 'ws-free']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const held = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-held' });
    const free = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-free' });
    const pending = h.nextPending();
    const heldEvents = held.create({ model: 'gpt-6.1-sol', input: [userMessage(ORIGINAL)] });
    const approval = await pending;
    const freeEvents = await free.create({ model: 'gpt-6.1-sol', input: [{ type: 'function_call_output', call_id: 'c', output: 'x' }] });
    expect(freeEvents.at(-1)!.type).toBe('response.completed');
    await h.decide(approval.id, { decision: 'reject' });
    expect((await heldEvents).at(-1)!.type).toBe('response.completed');
    held.ws.close();
    free.ws.close();
  });

  it('cancels the approval and sends nothing upstream when the client closes the socket', async () => {
    h = await startLearnHarness(['ws-hangup']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-hangup' });
    const pending = h.nextPending();
    void s.create({ model: 'gpt-6.1-sol', input: [userMessage(ORIGINAL)] });
    const approval = await pending;
    const cancelled = new Promise<void>((resolve) => h.kx.live.subscribe((e) => e.type === 'approval' && e.status === 'cancelled' && resolve()));
    s.ws.terminate();
    await cancelled;
    expect((await h.decide(approval.id, { decision: 'accept' })).status).toBe(409);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('puts the approved text into a full resend of the history on a new socket', async () => {
    h = await startLearnHarness(['ws-resend']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const first = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-resend' });
    const pending = h.nextPending();
    const events = first.create({ model: 'gpt-6.1-sol', input: [userMessage(ORIGINAL)] });
    await h.decide((await pending).id, { decision: 'accept' });
    await events;
    first.ws.close();
    // Reconnected: Codex resends its whole history, with its own copy of the original.
    const again = await openWs(`${h.proxyBase}/responses`, { 'session-id': 'ws-resend' });
    await again.create({
      model: 'gpt-6.1-sol',
      input: [userMessage(ORIGINAL), { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }, userMessage('and now?')],
    });
    const resent = h.fake.requests.at(-1)!.body as { input: Array<{ content: Array<{ text: string }> }> };
    expect(resent.input[0]!.content[0]!.text).toBe(REWRITE);
    expect(h.fake.requests.some((r) => r.rawBody.toString().includes(JSON.stringify(ORIGINAL)))).toBe(false);
    again.ws.close();
  });

  it.each([
    ['without a prewarm', 'ws-folder-plain', false],
    ['after a prewarm frame', 'ws-folder-prewarmed', true],
  ])('names the folder of a session whose first message is held by the words typed, %s', async (_how, id, prewarm) => {
    h = await startLearnHarness([id]);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': id, originator: 'codex_exec' });
    if (prewarm) await s.create({ model: 'gpt-6.1-sol', generate: false, input: [] });
    const pending = h.nextPending();
    const events = s.create({ model: 'gpt-6.1-sol', input: [userMessage(ORIGINAL)] });
    await h.decide((await pending).id, { decision: 'accept' });
    await events;
    s.ws.close();
    await h.kx.settle();
    const folder = h.kx.store.db.prepare(`SELECT folder FROM sessions WHERE id = ?`).pluck().get(id);
    expect(folder).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}_run-the-integration-tests-and_${id}$`));
    expect(fs.readdirSync(h.kx.store.documentsDir).filter((f) => f.includes(id))).toEqual([folder]);
  });

  it('installs no hook while learn mode is off everywhere, and one once a session switches to learn', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    h.kx.store.db.prepare(`INSERT INTO sessions (id, identified_by, started_at) VALUES ('ws-one', 'client_metadata', '2026-11-20T10:00:00Z')`).run();
    expect(h.kx.learn.needsHook()).toBe(false);
    const res = await fetch(`${h.kx.url}/api/mode`, {
      method: 'POST',
      headers: { authorization: 'Bearer harness-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'learn', session: 'ws-one' }),
    });
    expect(await res.json()).toEqual({ global: 'capture', projects: {}, sessions: { 'ws-one': 'learn' } });
    expect(h.kx.learn.needsHook()).toBe(true);
  });
});
