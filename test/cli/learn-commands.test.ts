import { afterEach, describe, expect, it } from 'vitest';
import { kxClient } from '../../src/cli/kx-client.js';
import { approveCommand, modeCommand } from '../../src/cli/learn-commands.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, responsesBody } from '../../src/drivers/http-client.js';

const ORIGINAL = 'run the integration tests';
const lastText = (b: unknown): string => (b as { input: Array<{ content: Array<{ text: string }> }> }).input.at(-1)!.content[0]!.text;

describe('kx mode and kx approve', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('switches a project to learn mode and prints the modes in force', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    const lines: string[] = [];
    await modeCommand(['learn', '--project', 'shop'], kxClient(h.kx.url, TEST_TOKEN), (s) => lines.push(s));
    expect(lines.join('\n')).toBe('global: capture\nproject shop: learn');
    expect(h.kx.modes.modeFor('any-session', 'shop')).toBe('learn');
  });

  it('lists a waiting turn and sends what the human saved in the editor', async () => {
    h = await startLearnHarness(['cli-edit']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'cli-edit' }, body: responsesBody(ORIGINAL) });
    await pending;
    const printed: string[] = [];
    await approveCommand([], kxClient(h.kx.url, TEST_TOKEN), {
      out: (s) => printed.push(s),
      ask: async () => 'e',
      edit: (text) => `${text} (checked by hand)`,
    });
    await answer;
    expect(printed.join('\n')).toContain('kx proposes: run the integration tests. Last time');
    expect(printed.join('\n')).toContain('{+. Last time');
    expect(lastText(h.fake.requests[0]!.body)).toBe(`${migrateAnswer(ORIGINAL).rewritten} (checked by hand)`);
  });

  it('rejects one turn by id', async () => {
    h = await startLearnHarness(['cli-reject']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'cli-reject' }, body: responsesBody(ORIGINAL) });
    const { id } = await pending;
    const printed: string[] = [];
    await approveCommand([id, 'reject'], kxClient(h.kx.url, TEST_TOKEN), { out: (s) => printed.push(s), ask: async () => '', edit: (t) => t });
    await answer;
    expect(printed).toEqual([`${id}: rejected`]);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
  });
});
