// user_actions.jsonl of a held turn, as storage.md describes it: lines in the order kx wrote them. The
// decision is written when it is made; the message is recorded when it is sent, which is after the
// decision, with the time kx received it. Its detail names the approval, so the two join up.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

const ORIGINAL = 'run the integration tests and tell me what breaks';

describe('the jsonl lines of a held turn', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('has the decision line first, then the message sent, stamped when kx received it and naming the approval', async () => {
    h = await startLearnHarness(['s-order']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const body = JSON.stringify({ model: 'gpt-5', stream: true, input: [userMessage(ORIGINAL)], prompt_cache_key: 'x' });
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 's-order', 'content-type': 'application/json' }, body });
    const approval = await pending;
    await new Promise((r) => setTimeout(r, 50));
    await h.decide(approval.id, { decision: 'accept' });
    await answer;
    await h.kx.settle();
    const file = path.join(h.kx.store.sessionDir('s-order'), 'user_actions.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; ts: string; approval_id?: string; detail?: { approvalId?: string } });
    expect(lines.map((l) => l.kind)).toEqual(['rewrite_decision', 'human_message']);
    const [decision, message] = lines;
    expect(Date.parse(message!.ts)).toBeLessThan(Date.parse(decision!.ts));
    expect(message!.detail?.approvalId).toBe(decision!.approval_id);
  });
});
