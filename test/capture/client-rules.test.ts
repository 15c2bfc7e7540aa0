// The per-client table (src/capture/client-rules.ts) on request bodies the real CLIs sent
// (test/fixtures/<client>-<version>/, captured by scripts/capture-agent-fixtures.ts), and what capture
// stores when those requests are replayed with the fake upstream's answers.

import { afterEach, describe, expect, it } from 'vitest';
import { clientSessionId, cwdOfText, isBackgroundCall, prefilledContextEnd, ruleFor } from '../../src/capture/client-rules.js';
import { chatChunks } from '../../harness/fake-upstream/chat.js';
import { agentFixtures } from '../support/agent-fixtures.js';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

/** These clients speak Chat Completions: every captured body has its messages. */
type Captured = ReturnType<typeof agentFixtures>[number] & { body: { messages: { role: string; content: unknown }[] } };
const fixtures = (dir: string): Captured[] => agentFixtures(dir) as Captured[];

const systemOf = (c: Captured): string | undefined => {
  const m = c.body.messages.find((x) => x.role === 'system');
  return typeof m?.content === 'string' ? m.content : undefined;
};
const backgroundOf = (c: Captured): boolean =>
  isBackgroundCall(ruleFor(c.headers, systemOf(c)), { headers: c.headers, ...(systemOf(c) ? { system: systemOf(c)! } : {}), hasTools: (c.body.tools ?? []).length > 0 });

const OPENCODE = fixtures('opencode-1.18.33');
const QWEN = fixtures('qwen-code-0.24.4');
const PI = fixtures('pi-0.73.1');
const CWD = '/home/dev/demo-project';

describe('the client table on captured requests', () => {
  it('recognises opencode and Qwen Code by user agent, and pi by its system prompt', () => {
    expect(OPENCODE.map((c) => ruleFor(c.headers, systemOf(c))?.name)).toEqual(OPENCODE.map(() => 'opencode'));
    expect(QWEN.map((c) => ruleFor(c.headers, systemOf(c))?.name)).toEqual(QWEN.map(() => 'qwen-code'));
    expect(PI.map((c) => ruleFor(c.headers, systemOf(c))?.name)).toEqual(PI.map(() => 'pi'));
    expect(ruleFor({ 'user-agent': 'OpenAI/JS 6.26.0' }, 'You are helpful.')).toBeUndefined();
  });

  it("reads opencode's session id from x-session-id, and finds none for clients that send none", () => {
    const ids = OPENCODE.map((c) => clientSessionId(ruleFor(c.headers), c.headers));
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => id?.startsWith('ses_'))).toBe(true);
    expect(QWEN.map((c) => clientSessionId(ruleFor(c.headers), c.headers))).toEqual(QWEN.map(() => undefined));
  });

  it("tells opencode's title calls and Qwen Code's memory calls from the agent's turns", () => {
    expect(OPENCODE.map(backgroundOf)).toEqual([true, false, false, false, true, false]);
    expect(QWEN.map(backgroundOf)).toEqual([false, false, false, true, true, false, true, true]);
    expect(PI.map(backgroundOf)).toEqual([false, false, false, false]);
  });

  it('finds the working directory where each client states it', () => {
    expect(cwdOfText(systemOf(OPENCODE[1]!))).toBe(CWD);
    expect(cwdOfText(systemOf(PI[0]!))).toBe(CWD);
    const qwenParts = QWEN[0]!.body.messages[1]!.content as { text: string }[];
    expect(qwenParts.map((p) => cwdOfText(p.text)).filter(Boolean)).toEqual([CWD]);
    expect(cwdOfText('<environment_context>\n  <cwd>/home/dev/app</cwd>\n</environment_context>')).toBe('/home/dev/app');
    expect(cwdOfText('You are helpful.')).toBeUndefined();
  });

  it('falls back to the general rule for an unknown client: no tools and a system prompt about titles or summaries', () => {
    const ua = { 'user-agent': 'my-agent/1.0' };
    expect(isBackgroundCall(undefined, { headers: ua, system: 'Write a short title for the chat below.', hasTools: false })).toBe(true);
    expect(isBackgroundCall(undefined, { headers: ua, system: 'Summarize the conversation so far.', hasTools: false })).toBe(true);
    expect(isBackgroundCall(undefined, { headers: ua, system: 'Summarize the conversation so far.', hasTools: true })).toBe(false);
    expect(isBackgroundCall(undefined, { headers: ua, system: 'You are a coding agent.', hasTools: false })).toBe(false);
  });

  it('marks the user messages before an assistant message kx never received as a prefilled exchange', () => {
    const items = [{ kind: 'human_message' }, { kind: 'assistant_message' }, { kind: 'human_message' }];
    expect(prefilledContextEnd(items, () => false)).toBe(1);
    expect(prefilledContextEnd(items, () => true)).toBe(0);
  });
});

describe('capture of the captured requests', () => {
  let r: Recording;
  afterEach(() => r?.close());

  function replay(captured: Captured[]): void {
    r = openRecording();
    for (const c of captured) {
      const n = String(c.seq).padStart(2, '0');
      const chunks = chatChunks(c.body as unknown as Record<string, unknown>, n, 1_800_000_000);
      const sse = Buffer.from(chunks.map((x) => `data: ${JSON.stringify(x)}\n\n`).join('') + 'data: [DONE]\n\n');
      playHttp(r.recorder, c.url, c.headers, Buffer.from(JSON.stringify(c.body)), { status: 200, contentType: 'text/event-stream', body: sse });
    }
  }

  const humansBySession = (rec: Recording): string[][] =>
    rec.reader
      .listSessions(10)
      .map((s) => rec.reader.getSession(s.id)!)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || b.turns.length - a.turns.length)
      .map((s) => [...s.preamble, ...s.turns.flatMap((t) => t.items)].filter((i) => i.kind === 'human_message').map((i) => i.text ?? ''));

  it.each([
    ['opencode', OPENCODE],
    ['qwen-code', QWEN],
    ['pi', PI],
  ])('%s: one session per conversation, holding exactly the typed prompts', async (client, captured) => {
    replay(captured);
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([
      ['list the files in this folder', 'thanks, which one is the python script?'],
      ['say hello in a new conversation'],
    ]);
    expect(r.reader.listSessions(10).map((s) => s.client)).toEqual([client, client]);
  });

  it("stores Qwen Code's preamble as context, never as the human's words", async () => {
    replay(QWEN.slice(0, 1));
    await r.settle();
    const s = r.reader.getSession(r.reader.listSessions(1)[0]!.id)!;
    const context = [...s.preamble, ...s.turns.flatMap((t) => t.items)].filter((i) => i.kind === 'injected_context');
    expect(context.some((i) => (i.text ?? '').includes("I'm currently working in the directory: /home/dev/demo-project"))).toBe(true);
  });

  it('stores an unknown client\'s prefilled exchange as context and the typed prompt as the only human message', async () => {
    r = openRecording();
    const headers = { 'user-agent': 'gemini-like/1.0', 'content-type': 'application/json' };
    const preamble = [
      { role: 'user', content: "This is the Gemini CLI. We are setting up the context for our chat.\nI'm currently working in the directory: /home/dev/app" },
      { role: 'assistant', content: 'Got it. Thanks for the context!' },
    ];
    const answer = (id: string, text: string) => Buffer.from(JSON.stringify({ id, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text } }] }));
    const play = (messages: unknown[], id: string, text: string) =>
      playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'm', messages })), { status: 200, contentType: 'application/json', body: answer(id, text) });
    play([...preamble, { role: 'user', content: 'fix the bug' }], 'c1', 'done');
    play([...preamble, { role: 'user', content: 'fix the bug' }, { role: 'assistant', content: 'done' }, { role: 'user', content: 'thanks' }], 'c2', 'ok');
    await r.settle();
    expect(humansBySession(r)).toEqual([['fix the bug', 'thanks']]);
    const s = r.reader.getSession(r.reader.listSessions(1)[0]!.id)!;
    expect(s.preamble.filter((i) => i.kind === 'injected_context').map((i) => i.text)).toEqual([preamble[0]!.content]);
  });
});
