// The agent asks kx about the past, end to end: the real Codex CLI (the pinned version) started by `kx codex exec`, the
// fake upstream scripting the code-mode `exec` call that finds kx's search tool in ALL_TOOLS and calls it
// (harness/fake-upstream/script.ts, memoryScript), kx answering over MCP from an earlier session's record.

import { afterEach, describe, expect, it } from 'vitest';
import { codexHomeWithApiKey, demoProject, runKxCodex } from '../helpers/codex-cli.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { API_KEY, FIRST_PROMPT } from './codex-session.js';

const PAST_WORDS = 'rotate the staging secrets with vault kv put secret/shop then restart the workers';

describe('kx codex: memory over MCP', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("lets the agent search a past session of the project: the past session's words come back to the model in the next request", async () => {
    h = await startHarness();
    const home = await codexHomeWithApiKey(API_KEY);
    const project = demoProject();
    const env = { HOME: home, CODEX_HOME: home, KX_PORT: new URL(h.kx.url).port, KX_UI_TOKEN: TEST_TOKEN };
    const flags = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox'];

    const past = await runKxCodex([...flags, PAST_WORDS], env, project);
    expect(past.code).toBe(0);
    const pastId = /session id: (\S+)/.exec(past.stderr)?.[1];
    await h.kx.settle();

    h.fake.requests.length = 0;
    const now = await runKxCodex([...flags, 'recall: vault staging secrets'], env, project);
    expect(now.code, now.stderr).toBe(0);
    const nowId = /session id: (\S+)/.exec(now.stderr)?.[1];
    expect(now.stderr).toContain('mcp: kx/search (completed)');

    // The request after the exec call carries its output: kx's answer, citing the past session.
    const turns = h.fake.requests.filter((r) => r.path.endsWith('/responses') && JSON.stringify(r.body).includes('custom_tool_call_output'));
    expect(turns.length).toBeGreaterThan(0);
    const input = (turns.at(-1)!.body as { input: Array<{ type: string; output?: unknown }> }).input;
    const output = JSON.stringify(input.filter((i) => i.type === 'custom_tool_call_output').at(-1)!.output);
    expect(output).toContain('rotate the **staging secrets** with **vault** kv put **secret**/shop then restart the workers');
    expect(output).toContain(`session ${pastId} turn 1`);
    expect(output).not.toContain(`session ${nowId}`);

    // The call shows in the timeline like any tool call, and counts as the session's one memory lookup.
    await h.kx.settle();
    const session = h.kx.reader.getSession(nowId!)!;
    const items = session.turns.flatMap((t) => t.items);
    expect(items.find((i) => i.kind === 'tool_call')?.arguments).toContain('ALL_TOOLS.find');
    expect(items.find((i) => i.kind === 'tool_output')?.output).toContain('/shop then restart the workers');
    expect(session.memoryLookups).toBe(1);
    expect(h.kx.reader.getSummary(pastId!)!.memoryLookups).toBe(0);
  });

  it('never stops Codex when kx refuses its memory tools (a wrong token): the turn still runs through kx', async () => {
    h = await startHarness();
    const home = await codexHomeWithApiKey(API_KEY);
    const env = { HOME: home, CODEX_HOME: home, KX_PORT: new URL(h.kx.url).port, KX_UI_TOKEN: 'not-the-token-0123456789' };
    const run = await runKxCodex(['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', FIRST_PROMPT], env, demoProject());
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
  });
});
