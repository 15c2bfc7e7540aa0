// Learn mode over HTTP against the fake upstream: holds, decisions through POST /api/approvals/:id,
// byte-exact replacement, stickiness, retries, timeouts, failures and hang-ups.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureBytes, fixtureRequest } from '../support/fixtures.js';
import { cwdOfContext, projectSlug } from '../../src/capture/project.js';
import { migrateAnswer, startLearnHarness, teach, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { startStory } from '../../src/cli/start-story.js';

const ORIGINAL = 'run the integration tests and tell me what breaks';

function body(input: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input, prompt_cache_key: 'x', ...extra });
}

const send = (h: LearnHarness, session: string, b: string | Buffer, headers: Record<string, string> = {}) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': session, 'content-type': 'application/json', ...headers }, body: b });

const lastText = (b: unknown): string => {
  const input = (b as { input: Array<{ content?: Array<{ text?: string }> }> }).input;
  return input.at(-1)!.content![0]!.text!;
};

describe('learn mode over HTTP', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('holds a new human turn until it is accepted, then sends the rewrite and nothing else changed', async () => {
    h = await startLearnHarness(['s-accept']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const sent = body([userMessage(ORIGINAL)]);
    const pending = h.nextPending();
    const answer = send(h, 's-accept', sent);
    const approval = await pending;
    expect(h.fake.requests).toHaveLength(0);
    expect(approval).toMatchObject({ sessionId: 's-accept', project: 'home-dev-shop-a1b2c3', original: ORIGINAL, status: 'pending' });
    // Only ids the model was given survive: g_invented is dropped.
    expect(approval.gaps).toEqual([{ gapId: 'g_12', topic: 'test database' }]);
    expect(approval.diff.filter((d) => d.op === 'add').map((d) => d.text).join('')).toContain('db:migrate');

    const decided = await h.decide(approval.id, { decision: 'accept' });
    expect(decided.status).toBe(200);
    expect((await answer).status).toBe(200);
    const rewrite = migrateAnswer(ORIGINAL).rewritten;
    expect(h.fake.requests).toHaveLength(1);
    expect(h.fake.requests[0]!.rawBody.toString()).toBe(sent.replace(JSON.stringify(ORIGINAL), JSON.stringify(rewrite)));
  });

  it('answers 409 once a turn is decided', async () => {
    h = await startLearnHarness(['s-409']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = send(h, 's-409', body([userMessage(ORIGINAL)]));
    const approval = await pending;
    expect((await h.decide(approval.id, { decision: 'reject' })).status).toBe(200);
    await answer;
    expect((await h.decide(approval.id, { decision: 'accept' })).status).toBe(409);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
  });

  it('sends the human edit when the turn is edited', async () => {
    h = await startLearnHarness(['s-edit']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = send(h, 's-edit', body([userMessage(ORIGINAL)]));
    await h.decide((await pending).id, { decision: 'edit', text: 'run the integration tests (migrate first)' });
    await answer;
    expect(lastText(h.fake.requests[0]!.body)).toBe('run the integration tests (migrate first)');
    const all = await h.approvals('all');
    expect(all[0]).toMatchObject({ status: 'edited', finalText: 'run the integration tests (migrate first)' });
  });

  it('replaces the text of a zstd body and sends it uncompressed, the rest byte for byte', async () => {
    const req = fixtureRequest('chatgpt-auth-http-zstd', '18');
    const session = req.headers['session-id']!;
    h = await startLearnHarness([session]);
    // The project its <environment_context> names, learnt there.
    const { decodeBody } = await import('../../src/protocol/body-encoding.js');
    teach(h.context, projectSlug(cwdOfContext(decodeBody(fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst'), 'zstd').toString())!));
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('list the files here') });
    const pending = h.nextPending();
    const answer = send(h, session, fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst'), { 'content-encoding': 'zstd' });
    await h.decide((await pending).id, { decision: 'accept' });
    expect((await answer).status).toBe(200);
    const up = h.fake.requests[0]!;
    expect(up.headers['content-encoding']).toBeUndefined();
    const decoded = (await import('../../src/protocol/body-encoding.js')).decodeBody(fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst'), 'zstd');
    const expected = decoded.toString().replace('"list the files here"', JSON.stringify(migrateAnswer('list the files here').rewritten));
    expect(up.rawBody.toString()).toBe(expected);
  });

  it('re-applies the accepted text to that message in every later request of the thread', async () => {
    h = await startLearnHarness(['s-sticky']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const first = send(h, 's-sticky', body([userMessage(ORIGINAL)]));
    await h.decide((await pending).id, { decision: 'accept' });
    await first;
    // A tool-output follow-up resends the history with Codex's own (original) copy of the message.
    const followUp = body([
      userMessage(ORIGINAL),
      { type: 'function_call', call_id: 'c1', name: 'exec', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
    ]);
    await send(h, 's-sticky', followUp);
    const rewrite = migrateAnswer(ORIGINAL).rewritten;
    expect(h.fake.requests[1]!.rawBody.toString()).toBe(followUp.replace(JSON.stringify(ORIGINAL), JSON.stringify(rewrite)));
    expect(h.fake.requests.every((r) => !r.rawBody.toString().includes(JSON.stringify(ORIGINAL)))).toBe(true);
    // Only the first turn asked the model; the follow-up was not held.
    expect(h.fake.rewriteCalls).toHaveLength(1);
  });

  it('keeps re-applying an accepted text when learn mode fails on the next turn', async () => {
    h = await startLearnHarness(['s-broken']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const first = send(h, 's-broken', body([userMessage(ORIGINAL)]));
    await h.decide((await pending).id, { decision: 'accept' });
    await first;
    h.context.openGaps = () => {
      throw new Error('the insight tables are locked');
    };
    const res = await send(h, 's-broken', body([userMessage(ORIGINAL), { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }, userMessage('next')]));
    expect(res.status).toBe(200);
    const sent = h.fake.requests[1]!.body as { input: Array<{ content: Array<{ text: string }> }> };
    expect(sent.input.map((i) => i.content[0]!.text)).toEqual([migrateAnswer(ORIGINAL).rewritten, 'ok', 'next']);
  });

  it('joins a byte-identical retry to the pending approval and sends both once decided', async () => {
    h = await startLearnHarness(['s-retry']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const sent = body([userMessage(ORIGINAL)]);
    const pending = h.nextPending();
    const a = send(h, 's-retry', sent);
    const approval = await pending;
    const b = send(h, 's-retry', sent);
    // The retry is decided with the first only if it is waiting when the human decides.
    await vi.waitFor(() => expect(h.kx.learn.waitersOn(approval.id)).toBe(2));
    expect((await h.approvals('pending')).map((x) => x.id)).toEqual([approval.id]);
    await h.decide(approval.id, { decision: 'accept' });
    await Promise.all([a, b]);
    expect(h.fake.rewriteCalls).toHaveLength(1);
    expect(h.fake.requests.map((r) => lastText(r.body))).toEqual([migrateAnswer(ORIGINAL).rewritten, migrateAnswer(ORIGINAL).rewritten]);
  });

  it('does not hold a retry of a turn already decided', async () => {
    h = await startLearnHarness(['s-decided']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const sent = body([userMessage(ORIGINAL)]);
    const pending = h.nextPending();
    const a = send(h, 's-decided', sent);
    await h.decide((await pending).id, { decision: 'reject' });
    await a;
    await send(h, 's-decided', sent);
    expect(h.fake.rewriteCalls).toHaveLength(1);
    expect(h.fake.requests.map((r) => lastText(r.body))).toEqual([ORIGINAL, ORIGINAL]);
  });

  it('sends the original at once, recorded nothing_to_add, when the model adds nothing', async () => {
    h = await startLearnHarness(['s-nothing']);
    const res = await send(h, 's-nothing', body([userMessage(ORIGINAL)]));
    expect(res.status).toBe(200);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
    expect((await h.approvals('all'))[0]).toMatchObject({ status: 'nothing_to_add', finalText: ORIGINAL });
  });

  it('holds even a turn the model added nothing to when KX_LEARN_HOLD=always', async () => {
    h = await startLearnHarness(['s-always'], { hold: 'always' });
    const pending = h.nextPending();
    const answer = send(h, 's-always', body([userMessage(ORIGINAL)]));
    const approval = await pending;
    expect(approval).toMatchObject({ original: ORIGINAL, rewrite: ORIGINAL, status: 'pending' });
    await h.decide(approval.id, { decision: 'edit', text: `${ORIGINAL}, briefly` });
    await answer;
    expect(lastText(h.fake.requests[0]!.body)).toBe(`${ORIGINAL}, briefly`);
  });

  it('never asks the model about a tool-output follow-up', async () => {
    h = await startLearnHarness(['s-tool']);
    await send(h, 's-tool', body([{ type: 'function_call_output', call_id: 'c1', output: 'ok' }]));
    expect(h.fake.rewriteCalls).toHaveLength(0);
    expect(await h.approvals('all')).toEqual([]);
  });

  it('sends the original, recorded timed_out, when nobody decides in time', async () => {
    h = await startLearnHarness(['s-timeout'], { approvalTimeoutMs: 300 });
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const res = await send(h, 's-timeout', body([userMessage(ORIGINAL)]));
    expect(res.status).toBe(200);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
    expect((await h.approvals('all'))[0]).toMatchObject({ status: 'timed_out', finalText: ORIGINAL });
  });

  it('sends the original, recorded failed, when the rewrite call fails', async () => {
    h = await startLearnHarness(['s-fail']);
    h.fake.enqueue({ kind: 'rewrite-fail', status: 500 });
    const res = await send(h, 's-fail', body([userMessage(ORIGINAL)]));
    expect(res.status).toBe(200);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
    expect((await h.approvals('all'))[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('rewrite failed') });
  });

  it('sends the original, recorded failed, when the rewrite call is slower than its timeout', async () => {
    h = await startLearnHarness(['s-slow'], { rewriteTimeoutMs: 200 });
    let release!: () => void;
    h.fake.enqueue({ kind: 'rewrite-stall', ms: 0, release: new Promise<void>((r) => (release = r)) });
    const res = await send(h, 's-slow', body([userMessage(ORIGINAL)]));
    release();
    expect(res.status).toBe(200);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
    expect((await h.approvals('all'))[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('no answer within') });
  });

  it('cancels the approval and sends nothing upstream when the client hangs up', async () => {
    h = await startLearnHarness(['s-hangup']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const req = http.request(`${h.proxyBase}/responses`, { method: 'POST', headers: { 'session-id': 's-hangup', 'content-type': 'application/json' } });
    req.on('error', () => {});
    req.end(body([userMessage(ORIGINAL)]));
    const approval = await pending;
    const settled = new Promise<void>((resolve) => h.kx.live.subscribe((e) => e.type === 'approval' && e.status === 'cancelled' && resolve()));
    req.destroy();
    await settled;
    expect((await h.decide(approval.id, { decision: 'accept' })).status).toBe(409);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('records a hold that kx stopping ended as cancelled because kx stopped, not because the client hung up', async () => {
    h = await startLearnHarness(['s-stopped']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const told: string[] = [];
    startStory(h.kx, { url: h.kx.url, uiToken: 't', approvalTimeoutMs: 600_000 }, (l) => told.push(l));
    const pending = h.nextPending();
    void send(h, 's-stopped', body([userMessage(ORIGINAL)])).catch(() => {});
    const approval = await pending;
    h.kx.learn.close(); // what kx.close() does first on SIGTERM
    expect(told.filter((l) => l.includes('decided:'))).toEqual(['  decided:  turn of session s-stopped: cancelled: kx stopped, nothing was sent']);
    expect(h.kx.store.db.prepare(`SELECT decision, reason FROM approvals WHERE id = ?`).get(approval.id)).toEqual({ decision: 'cancelled', reason: 'kx stopped' });
    const md = fs.readFileSync(path.join(h.kx.store.sessionDir('s-stopped'), 'augmented_turns.md'), 'utf8');
    expect(md).toContain('**Why**: kx stopped');
    expect(md).not.toContain('hung up');
  });

  it('writes augmented_turns.md and a rewrite_decision line, and capture links the original to what was sent', async () => {
    h = await startLearnHarness(['s-docs']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = send(h, 's-docs', body([userMessage(ORIGINAL)]));
    const approval = await pending;
    await h.decide(approval.id, { decision: 'accept' });
    await answer;
    await h.kx.settle();
    const dir = h.kx.store.sessionDir('s-docs');
    const md = fs.readFileSync(path.join(dir, 'augmented_turns.md'), 'utf8');
    expect(md).toContain('## Turn 1: accepted');
    expect(md).toContain(ORIGINAL);
    expect(md).toContain('breaks{+. Last time the tests failed until `npm run db:migrate` ran, so migrate first.+}');
    expect(md).toContain('`g_12`: test database');
    const lines = fs.readFileSync(path.join(dir, 'user_actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.kind === 'rewrite_decision')).toMatchObject({ approval_id: approval.id, decision: 'accepted', original: ORIGINAL });
    const human = h.kx.reader.getSession('s-docs')!.turns[0]!.items[0]!;
    expect(human.text).toBe(migrateAnswer(ORIGINAL).rewritten);
    expect(human.detail).toMatchObject({ originalText: ORIGINAL, approvalId: approval.id });
  });
});
