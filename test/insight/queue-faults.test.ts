import { afterEach, describe, expect, it } from 'vitest';
import type { TurnInsightView } from '../../src/contracts/insight.js';
import { startFakeUpstream } from '../../harness/fake-upstream/server.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

describe('insight queue under faults', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  const insight = (sessionId: string): TurnInsightView | undefined => h.kx.insight.engine.reader.turnInsights(sessionId)[0];
  const settledIn = (sessionId: string, state: string) => h.waitFor(`state ${state}`, () => insight(sessionId)?.state === state);

  it('retries a 429 after the retry-after the server gave, then stores the answer once', async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'http-error', status: 429, headers: { 'retry-after': '0.3' }, body: { error: { message: 'slow down', type: 'rate_limit_error' } } });
    const started = Date.now();
    await h.turn('f-429', 'hello');
    await settledIn('f-429', 'done');
    const calls = h.insightCalls();
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(h.kx.store.db.prepare(`SELECT attempts FROM insight_jobs`).pluck().get()).toBe(2);
    expect(h.kx.store.db.prepare(`SELECT COUNT(*) FROM turn_insights`).pluck().get()).toBe(1);
  });

  it('retries a 500 and a cut stream with backoff', async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'http-error', status: 500 });
    h.fake.enqueueInsight({ kind: 'cut' });
    await h.turn('f-500', 'hello');
    await settledIn('f-500', 'done');
    expect(h.insightCalls()).toHaveLength(3);
  });

  it('fails a job visibly after the last attempt, and traffic goes on', async () => {
    h = await startInsightHarness({}, { insightEngine: { maxAttempts: 2 } });
    h.fake.enqueueInsight({ kind: 'http-error', status: 503 });
    h.fake.enqueueInsight({ kind: 'http-error', status: 503 });
    await h.turn('f-fail', 'hello');
    await settledIn('f-fail', 'failed');
    expect(insight('f-fail')!.error).toMatch(/^server: 503.*gave up after 2 attempts/);
    expect(await h.learningsWith('f-fail', /_insight failed/)).toMatch(/_insight failed: server: 503/);
    await h.turn('f-fail', 'still recording?');
    expect(h.kx.reader.getSession('f-fail')!.turns).toHaveLength(2);
  });

  it('fails the job of a 150 MB answer from a broken model server at once, and nothing else stops', async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'huge', bytes: 150 * 1024 * 1024 });
    await h.turn('f-huge', 'hello');
    await settledIn('f-huge', 'failed');
    expect(insight('f-huge')!.error).toMatch(/^too_large: the model's answer ran past 4194304 bytes/);
    expect(h.insightCalls()).toHaveLength(1); // not retried: a broken server, not a flaky one
    await h.turn('f-huge-2', 'and the next turn?');
    await settledIn('f-huge-2', 'done');
    expect((await fetch(`${h.kx.url}/api/health`).then((r) => r.json())) as { ok: boolean }).toMatchObject({ ok: true });
  });

  it('retries invalid output once, then stores the job as failed with the reason', async () => {
    h = await startInsightHarness();
    h.fake.enqueueInsight({ kind: 'invalid' });
    h.fake.enqueueInsight({ kind: 'invalid' });
    await h.turn('f-invalid', 'hello');
    await settledIn('f-invalid', 'failed');
    expect(h.insightCalls()).toHaveLength(2);
    expect(insight('f-invalid')!.error).toMatch(/^invalid_output: the answer is not JSON/);
  });

  it('gives up on a stalled call at the timeout and runs it again', async () => {
    h = await startInsightHarness({ timeoutMs: 200 });
    h.fake.enqueueInsight({ kind: 'stall', ms: 2000 });
    await h.turn('f-stall', 'hello');
    await settledIn('f-stall', 'done');
    expect(h.insightCalls()).toHaveLength(2);
    expect(h.kx.store.db.prepare(`SELECT last_error FROM insight_jobs`).pluck().get()).toBeNull();
  });

  it('waits for a key when there are no credentials, and runs once some arrive', async () => {
    h = await startInsightHarness();
    await h.turn('f-key', 'hello', { headers: { authorization: '' } });
    await settledIn('f-key', 'waiting_key');
    expect(h.kx.insight.engine.status().waitingReason).toMatch(/no KX_INSIGHT_API_KEY/);
    expect(await h.learningsWith('f-key', 'waiting for a key')).toContain('| Insight | 1 waiting for a key |');
    await h.turn('f-key', 'now with a key');
    await h.waitFor('both turns done', () => h.kx.insight.engine.reader.turnInsights('f-key').every((t) => t.state === 'done'));
  });

  it('uses the configured key and base URL instead of the session’s credentials', async () => {
    const insightServer = await startFakeUpstream();
    try {
      const configured = ['sk-', 'configuredInsightKey0123456789'].join('');
      h = await startInsightHarness({ apiKey: configured, baseUrl: new URL(insightServer.baseUrl) });
      await h.turn('f-configured', 'hello');
      await settledIn('f-configured', 'done');
      expect(h.insightCalls()).toHaveLength(0);
      expect(insightServer.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/responses', `Bearer ${configured}`]]);
    } finally {
      await insightServer.close();
    }
  });

  it('speaks the ChatGPT backend’s dialect there: streamed, store false, instructions, the account header', async () => {
    const fake = await startFakeUpstream();
    h = await startInsightHarness({}, {}, undefined, fake, `${fake.url}/backend-api/codex`);
    await h.turn('f-chatgpt', 'hello', { headers: { 'chatgpt-account-id': 'acct-123' } });
    await settledIn('f-chatgpt', 'done');
    const [call] = h.insightCalls();
    const body = call!.body as { stream: boolean; store: boolean; instructions: string };
    expect(call!.path).toBe('/backend-api/codex/responses');
    expect(call!.headers['chatgpt-account-id']).toBe('acct-123');
    expect([body.stream, body.store, body.instructions.length > 100]).toEqual([true, false, true]);
    await fake.close();
  });

  it('treats a stream cut before response.completed as a cut, and runs the call again', async () => {
    const fake = await startFakeUpstream();
    h = await startInsightHarness({}, {}, undefined, fake, `${fake.url}/backend-api/codex`);
    fake.enqueueInsight({ kind: 'cut' });
    await h.turn('f-chatgpt-cut', 'hello', { headers: { 'chatgpt-account-id': 'acct-123' } });
    await settledIn('f-chatgpt-cut', 'done');
    expect(h.insightCalls()).toHaveLength(2);
    await fake.close();
  });
});
