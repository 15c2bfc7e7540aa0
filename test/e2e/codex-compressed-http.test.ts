// The real Codex over HTTP+SSE through kx, against an upstream that compresses every answer the way
// the client allows, as real front ends do. Codex 0.171 asks for `zstd,gzip`; 0.169 asked for nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEncoding } from '../../harness/fake-upstream/compression.js';
import { CODEX_0_169, codexHomeWithApiKey, demoProject, EXEC_FLAGS, httpProvider, runCodex, type CodexRun } from '../helpers/codex-cli.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { API_KEY, FIRST_PROMPT } from './codex-session.js';

const ENV = { KX_E2E_KEY: API_KEY };
const LISTED = 'The directory contains: README.md, data.csv, hello.py.';

async function oneTurn(h: Harness, codex?: string): Promise<CodexRun> {
  const home = await codexHomeWithApiKey(API_KEY);
  return runCodex({ home, cwd: demoProject(), env: ENV, args: [...EXEC_FLAGS, ...httpProvider(h.proxyBase, 'KX_E2E_KEY'), FIRST_PROMPT], ...(codex ? { codex } : {}) });
}

describe('Codex 0.171 over HTTP through kx, with compressed answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  for (const offer of [['zstd'], ['gzip']] as FakeEncoding[][]) {
    it(`reads its ${offer[0]} answers through kx, and kx records the turn, its model and its usage`, async () => {
      h.fake.setCompression(offer);
      const before = h.fake.compressedAnswers.length;
      const run = await oneTurn(h);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(LISTED);
      const calls = h.fake.requests.filter((r) => r.path.startsWith('/v1/responses')).slice(-2);
      expect(calls.map((r) => r.headers['accept-encoding'])).toEqual(['zstd,gzip', 'zstd,gzip']);
      expect(h.fake.compressedAnswers.slice(before).map((a) => a.contentEncoding)).toEqual([offer[0], offer[0]]);
      await h.kx.settle();
      const session = h.kx.reader.getSession(run.sessionId ?? '')!;
      expect(session.turns[0]!.items.map((i) => i.kind)).toEqual(['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message']);
      expect(session.requests.map((r) => r.outcome)).toEqual(['completed', 'completed']);
      expect(session.requests.every((r) => (r.usage.inputTokens ?? 0) > 0)).toBe(true);
      expect(session.requests.map((r) => r.model)).toEqual(['gpt-6.2-sol', 'gpt-6.2-sol']);
    });
  }
});

describe('Codex 0.169 over HTTP through kx (the version before)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.fake.setCompression(true);
  });
  afterAll(async () => h?.close());

  it('asks for no compression, gets plain answers, and the turn is recorded', async () => {
    const run = await oneTurn(h, CODEX_0_169);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(LISTED);
    const calls = h.fake.requests.filter((r) => r.path.startsWith('/v1/responses'));
    expect(calls.map((r) => r.headers['user-agent'])).toEqual([expect.stringContaining('0.169.0'), expect.stringContaining('0.169.0')]);
    expect(calls.map((r) => r.headers['accept-encoding'])).toEqual([undefined, undefined]);
    expect(h.fake.compressedAnswers).toEqual([]);
    await h.kx.settle();
    const session = h.kx.reader.getSession(run.sessionId ?? '')!;
    expect(session.turns[0]!.items.map((i) => i.kind)).toEqual(['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message']);
    expect(session.requests.map((r) => r.model)).toEqual(['gpt-6.1-sol', 'gpt-6.1-sol']);
  });
});
