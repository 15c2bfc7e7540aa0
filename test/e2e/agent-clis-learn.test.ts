// Learn mode with the real agent CLIs (opencode, Qwen Code, pi) over Chat Completions: with every
// human turn held (KX_LEARN_HOLD=always), exactly the prompts typed are held, in order, and never one
// of the client's background calls (opencode's title, Qwen Code's memory extraction) or its context.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureAgent, makeProject, PROMPTS, runAgent, type AgentName } from '../../harness/drivers/agent-clis.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest } from '../../harness/drivers/http-client.js';
import { tempDir } from '../support/recording.js';

describe.each(['opencode', 'qwen-code', 'pi'] as AgentName[])('learn mode with %s', (agent) => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('holds exactly the typed prompts, never a background call, and sends what was decided', async () => {
    h = await startLearnHarness('every session', { hold: 'always' });
    const held: string[] = [];
    // The human answers every held turn at once; rejecting sends the original, so the agent's run is unchanged.
    const off = h.kx.live.subscribe((e) => {
      if (e.type !== 'approval' || e.status !== 'pending') return;
      void h.approvals('pending').then((list) => {
        for (const a of list.filter((x) => x.id === e.approvalId)) {
          held.push(a.original);
          void h.decide(a.id, { decision: 'reject' });
        }
      });
    });
    const root = tempDir(`kx-learn-${agent}-`);
    const setup = { home: path.join(root, 'home'), cwd: path.join(root, 'demo-project'), baseUrl: h.proxyBase, apiKey: 'sk-learnCliKey0123456789abcdef' };
    makeProject(setup.cwd);
    configureAgent(agent, setup);
    const runs = [
      await runAgent(agent, setup, PROMPTS.first),
      await runAgent(agent, setup, PROMPTS.second, { resume: true }),
      await runAgent(agent, setup, PROMPTS.fresh),
    ];
    off();
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    // The first prompt's tool round trip happened: the fake answers from the tool's output. Not its listing:
    // under CI load Qwen Code 0.24.4's shell tool once returned `ls` with an empty output and exit code 0,
    // which is the client's own capture, not what kx forwarded (agent-clis.test.ts compares runs with and without kx).
    expect(runs[0]!.stdout).toMatch(/Based on the tool:/);
    expect(held).toEqual([PROMPTS.first, PROMPTS.second, PROMPTS.fresh]);
    const all = await h.approvals('all');
    expect(all.map((a) => [a.original, a.status]).sort()).toEqual(
      [PROMPTS.first, PROMPTS.second, PROMPTS.fresh].map((p) => [p, 'rejected']).sort(),
    );
  }, 300_000);
});

describe('learn mode with a Chat Completions client that sends no session id', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it("files an approved rewrite of the conversation's first message under the session the approval names", async () => {
    h = await startLearnHarness('every session', { hold: 'always' });
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('run the tests') });
    const pending = h.nextPending();
    const sent = rawRequest(`${h.proxyBase}/chat/completions`, {
      headers: { 'user-agent': 'OpenAI/JS 6.26.0', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: 'run the tests' }] }),
    });
    const approval = await pending;
    await h.decide(approval.id, { decision: 'accept' });
    await sent;
    await h.kx.settle();
    // The model got the rewrite; the session is found under the id learn mode named (the original's fingerprint).
    expect(JSON.stringify(h.fake.requests.at(-1)!.body)).toContain('npm run db:migrate');
    expect(h.kx.reader.listSessions(10).map((s) => s.id)).toEqual([approval.sessionId]);
    // The next turn resends the original; it goes up as the approved text and joins the same session.
    const next = h.nextPending();
    const followUp = rawRequest(`${h.proxyBase}/chat/completions`, {
      headers: { 'user-agent': 'OpenAI/JS 6.26.0', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: 'run the tests' }, { role: 'assistant', content: 'You said: ' + migrateAnswer('run the tests').rewritten }, { role: 'user', content: 'and lint' }] }),
    });
    const second = await next;
    expect(second.sessionId).toBe(approval.sessionId);
    await h.decide(second.id, { decision: 'reject' });
    await followUp;
    await h.kx.settle();
    expect(JSON.stringify(h.fake.requests.at(-1)!.body)).toContain('npm run db:migrate');
    expect(h.kx.reader.listSessions(10).map((s) => s.id)).toEqual([approval.sessionId]);
    const session = h.kx.reader.getSession(approval.sessionId)!;
    expect(session.turns.map((t) => t.items.find((i) => i.kind === 'human_message')?.text)).toEqual([migrateAnswer('run the tests').rewritten, 'and lint']);
  });
});
