// What a new user sees at a session's first message in learn mode (KX_INJECT=first-turn), through kx
// with the fake upstream: past sessions recorded in capture mode, then a new session asks something.
// Unrelated work is never offered, and related work arrives as the past answer with its fix, once.

import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../src/contracts/learn.js';
import { DEFAULT_LEARN } from '../../src/config/config.js';
import { projectSlug } from '../../src/capture/project.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

const CWD = '/home/dev/shop-api';
const SHOP = projectSlug(CWD);
const SYMPTOM = 'Users get logged out randomly after about an hour. The logs show refresh_access_token failing with invalid_grant.';
const FIX = 'Make the refresh single-flight: keep one in-flight promise per session and let concurrent callers await it.';
/** The past sessions of the trial (newuser7.md item 2): each a list of [human, agent] turns. */
const PAST: Array<[string, Array<[string, string]>]> = [
  ['s-refresh', [
    [SYMPTOM, `Refresh tokens rotate: each refresh revokes the previous one. When two tabs call \`refreshAccessToken\` at the same moment, the second request sends the already-revoked token and the provider answers \`invalid_grant\`, which the client treats as a logout. ${FIX}`],
    ['got it, I added the in-flight promise map and the random logouts stopped in staging', 'Great. Add a test that fires two refreshes concurrently and asserts one token request.'],
  ]],
  ['s-oom', [['The nightly CSV export CronJob keeps getting OOMKilled on Kubernetes. How do I find out why?', 'Exit code 137 with reason OOMKilled: the container went past its 512Mi limit. Stream rows with a database cursor piped into `csv-stringify`, so memory stays flat.']]],
  ['s-cart', [['add a test for the cart total when an item has no price', 'The new test fails as expected: `cartTotal` reads `item.variant.price`. I changed it to `item.variant?.price ?? 0` and the test passes now.']]],
  ['s-payments', [['the billing job prints 401 Unauthorized from the payments gateway', 'The payments gateway expects the live key; PAYMENTS_API_KEY holds a test key. Set it from the vault in the CronJob spec.']]],
];

const envContext = { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${CWD}</cwd>\n</environment_context>` }] };
const assistant = (text: string) => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const post = (h: Harness, session: string, input: unknown[]) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': session, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [envContext, ...input] }) });
const api = (h: Harness, path: string, init: RequestInit = {}) =>
  fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' } });
const approvals = async (h: Harness) => ((await (await api(h, '/api/approvals?status=all')).json()) as { approvals: ApprovalView[] }).approvals;

/** kx in capture mode records the past sessions, then the project is switched to learn mode. */
async function startWithPast(): Promise<Harness> {
  const h = await startHarness({ learn: { ...DEFAULT_LEARN, mode: 'capture', inject: 'first-turn', approvalTimeoutMs: 3_000 } }, (fake) => ({
    modelAccess: () => ({ baseURL: fake.baseUrl, apiKey: 'sk-rewrite-test', defaultHeaders: {}, dialect: 'platform' }),
  }));
  for (const [session, turns] of PAST) {
    const history: unknown[] = [];
    for (const [human, answer] of turns) {
      history.push(userMessage(human));
      h.fake.enqueue({ kind: 'answer', text: answer });
      expect((await post(h, session, history)).status).toBe(200);
      history.push(assistant(answer));
    }
  }
  await h.kx.settle();
  h.kx.modes.set('project', SHOP, 'learn');
  h.fake.requests.length = 0;
  return h;
}

describe('the context a new session starts with', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('is nothing for a message no past session is about: sent at once, not held, no context', async () => {
    h = await startWithPast();
    const message = "Let's add rate limiting to the public API";
    expect((await post(h, 's-rate', [userMessage(message)])).status).toBe(200);
    const [decided] = await approvals(h);
    expect(decided).toMatchObject({ sessionId: 's-rate', status: 'nothing_to_add' });
    expect(decided!.context ?? null).toBeNull();
    expect((h.fake.requests[0]!.body as { input: Array<{ role: string }> }).input.map((i) => i.role)).toEqual(['user', 'user']);
  });

  it('carries the fix of the related past session, the symptom once, and nothing of an unrelated one', async () => {
    h = await startWithPast();
    h.fake.enqueue({ kind: 'rewrite', answer: { rewritten: 'x', added_anything: false, gap_ids: [], snippet_refs: [], reason: 'Nothing to add.' } });
    const message = 'users are getting logged out again since we added a second browser tab feature, how did we fix this last time?';
    const held = new Promise<string>((resolve) => {
      const off = h.kx.live.subscribe((e) => {
        if (e.type !== 'approval' || e.status !== 'pending') return;
        off();
        resolve(e.approvalId);
      });
    });
    const res = post(h, 's-tabs', [userMessage(message)]);
    const id = await held;
    const card = (await approvals(h)).find((a) => a.id === id)!;
    expect(card.context).toContain(FIX);
    expect(card.context!.split('logged out randomly').length - 1).toBe(1);
    expect(card.context).not.toMatch(/OOMKilled|cart total|payments gateway/);
    // The rewrite model is given the same: the answer with its fix, never the unrelated session.
    const call = JSON.stringify(h.fake.rewriteCalls[0]!.body);
    expect(call).toContain(FIX);
    expect(call).not.toMatch(/OOMKilled|cart total|payments gateway/);
    await api(h, `/api/approvals/${id}`, { method: 'POST', body: JSON.stringify({ decision: 'accept' }) });
    expect((await res).status).toBe(200);
  });
});
