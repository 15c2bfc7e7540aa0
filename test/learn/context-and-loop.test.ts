// Context at session start (KX_INJECT=first-turn) and learn mode ending once its gaps are resolved.

import { afterEach, describe, expect, it } from 'vitest';
import { startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

const send = (h: LearnHarness, session: string, input: unknown[]) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': session }, body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input }) });

/** The first message is held with the context on its card (an injection is a change the human approves): accept it. */
async function accepted(h: LearnHarness, request: Promise<unknown>): Promise<void> {
  const approval = await h.nextPending();
  expect(approval.context).toMatch(/^Context from earlier sessions/);
  expect((await h.decide(approval.id, { decision: 'accept' })).status).toBe(200);
  await request;
}

type Body = { input: Array<{ role?: string; content?: Array<{ text?: string }> }> };

describe('context at session start', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('adds one developer message with the profile essentials before the first human message, and keeps it in later histories', async () => {
    h = await startLearnHarness(['inj'], { inject: 'first-turn', injectMaxTokens: 800 });
    await accepted(h, send(h, 'inj', [userMessage('hello')]));
    const first = h.fake.requests[0]!.body as Body;
    expect(first.input).toHaveLength(2);
    expect(first.input[0]!.role).toBe('developer');
    expect(first.input[0]!.content![0]!.text).toContain('npm run db:migrate');
    await send(h, 'inj', [userMessage('hello'), { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }, userMessage('again')]);
    const second = h.fake.requests[1]!.body as Body;
    expect(second.input.map((i) => i.role)).toEqual(['developer', 'user', 'assistant', 'user']);
    const row = h.kx.store.db.prepare('SELECT tokens FROM context_injections WHERE session_id = ?').get('inj') as { tokens: number };
    expect(row.tokens).toBeGreaterThan(0);
  });

  it('keeps the injected message in place after kx restarts', async () => {
    h = await startLearnHarness(['inj-restart'], { inject: 'first-turn' });
    await accepted(h, send(h, 'inj-restart', [userMessage('hello')]));
    const documentsDir = h.config.documentsDir;
    await h.close();
    h = await startLearnHarness(['inj-restart'], { inject: 'first-turn' }, { documentsDir });
    await send(h, 'inj-restart', [userMessage('hello'), { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }, userMessage('again')]);
    expect((h.fake.requests[0]!.body as Body).input.map((i) => i.role)).toEqual(['developer', 'user', 'assistant', 'user']);
  });

  it('cuts the essentials to KX_INJECT_MAX_TOKENS', async () => {
    h = await startLearnHarness(['inj-cap'], { inject: 'first-turn', injectMaxTokens: 40 });
    h.context.profiles.set('home-dev-shop-a1b2c3', Array.from({ length: 200 }, (_, i) => `- line ${i} of a long profile`).join('\n'));
    await accepted(h, send(h, 'inj-cap', [userMessage('hello')]));
    const text = (h.fake.requests[0]!.body as Body).input[0]!.content![0]!.text!;
    expect(text.length).toBeLessThanOrEqual(40 * 4 + 2);
  });

  it('adds nothing when KX_INJECT is off', async () => {
    h = await startLearnHarness(['inj-off'], { inject: 'off' });
    await send(h, 'inj-off', [userMessage('hello')]);
    expect((h.fake.requests[0]!.body as Body).input).toHaveLength(1);
  });
});

describe('closing the loop', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('ends learn mode for a session once every gap it started with is resolved', async () => {
    h = await startLearnHarness(['loop']);
    await send(h, 'loop', [userMessage('run the integration tests')]);
    expect(h.kx.modes.modeFor('loop', 'home-dev-shop-a1b2c3')).toBe('learn');
    h.context.gaps[0]!.status = 'resolved';
    h.kx.live.publish({ type: 'gap', gapId: 'g_12', project: 'home-dev-shop-a1b2c3', status: 'resolved' });
    expect(h.kx.modes.modeFor('loop', 'home-dev-shop-a1b2c3')).toBe('capture');
    expect(h.kx.modes.view().sessions).toEqual({ loop: 'capture' });
  });
});
