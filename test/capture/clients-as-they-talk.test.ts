// Issue 28 part 3: what capture stores for Kilo Code, Continue, Grok CLI and Qwen Code 0.15 on the
// requests they really sent (test/fixtures/<client>-<version>/, see each README), and the general
// rules every client keeps: no session id, background calls, repeats.

import { afterEach, describe, expect, it } from 'vitest';
import { cwdOfText, ruleFor } from '../../src/capture/client-rules.js';
import { describeParsed, parseChat } from '../../src/capture/describe-request.js';
import { agentFixtures, humansBySession, playChat, playResponses, type Captured } from '../support/agent-fixtures.js';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

const KILO = agentFixtures('kilo-code-7.7.7');
const CONTINUE = agentFixtures('continue-cli-1.5.47');
const GROK = agentFixtures('grok-0.0.34');
const QWEN15 = agentFixtures('qwen-code-0.15.10');
const CWD = '/home/dev/demo-project';

let r: Recording;
afterEach(() => r?.close());

/** The working directory capture (and the project rule) reads from a recorded request. */
const cwdOfRequest = (c: Captured): string | undefined => {
  const { parsed, facts } = parseChat(c.headers, c.body, c.body.messages);
  return describeParsed({ transport: 'http', headers: c.headers, parsed, rules: facts }, {}, () => undefined).cwd;
};
const sessions = (rec: Recording) => rec.reader.listSessions(50).map((s) => rec.reader.getSession(s.id)!);
const allItems = (s: ReturnType<typeof sessions>[number]) => [...s.preamble, ...s.turns.flatMap((t) => t.items)];

/** Kilo's title call, as its binary builds it (README): the session id prefixed `title-`, the title agent's prompt, no tools. */
function kiloTitleCall(of: Captured): Captured {
  const sid = of.headers['x-session-id']!;
  return {
    seq: 90,
    url: of.url,
    headers: { ...of.headers, 'x-session-id': `title-${sid}`, 'x-session-affinity': `title-${sid}` },
    body: {
      model: 'gpt-5',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a title generator. You output ONLY a thread title. Nothing else.' },
        { role: 'user', content: 'Generate a title for this conversation:\n' },
        { role: 'user', content: 'list the files in this folder' },
      ],
    },
  };
}

describe('Kilo Code', () => {
  it('is recognised by its user agent and keeps its title call in the conversation it titles, as background', async () => {
    expect(KILO.map((c) => ruleFor(c.headers)?.name)).toEqual(['kilo-code', 'kilo-code', 'kilo-code']);
    r = openRecording();
    playChat(r, KILO[0]!);
    playChat(r, kiloTitleCall(KILO[0]!));
    for (const c of KILO.slice(1)) playChat(r, c);
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([['list the files in this folder', 'thanks, which one is the python script?'], ['say hello in a new conversation']]);
    const first = r.reader.getSession(KILO[0]!.headers['x-session-id']!)!;
    expect(first.client).toBe('kilo-code');
    expect(first.requests.map((q) => q.requestKind ?? 'turn')).toEqual(['turn', 'background', 'turn']);
  });

  it('stores the typed text as the human message, the <environment_details> block as context, and takes the cwd from it', async () => {
    r = openRecording();
    playChat(r, KILO[0]!);
    await r.settle();
    const s = sessions(r)[0]!;
    const items = allItems(s);
    expect(items.filter((i) => i.kind === 'human_message').map((i) => i.text)).toEqual(['list the files in this folder']);
    expect(items.some((i) => i.kind === 'injected_context' && (i.text ?? '').includes('<environment_details>'))).toBe(true);
    expect(cwdOfRequest(KILO[0]!)).toBe(CWD);
    expect(cwdOfText('<environment_details>\nMessage time: x\nWorking directory: /home/dev/app\n</environment_details>')).toBe('/home/dev/app');
  });
});

describe('Continue CLI', () => {
  // What the fake upstream answered (README): a tool call, then a message, each under the upstream's own ids.
  const answers: [string, unknown[]][] = [
    ['resp_c1', [{ type: 'function_call', id: 'fc_c1', call_id: 'call_fake_01', name: 'exec_command', arguments: '{"cmd":"ls -la","login":false}', status: 'completed' }]],
    ['resp_c2', [{ type: 'message', id: 'msg_c2', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'The command printed:\nTool exec_command not found', annotations: [] }] }]],
    ['resp_c3', [{ type: 'message', id: 'msg_c3', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hello.py', annotations: [] }] }]],
    ['resp_c4', [{ type: 'message', id: 'msg_c4', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] }]],
  ];
  /** Its title call (README, from the bundle): non-streamed Chat Completions, one user message, max_tokens 16, no system prompt. */
  const titleCall: Captured = {
    seq: 91,
    url: '/v1/chat/completions',
    headers: { ...CONTINUE[0]!.headers },
    body: {
      model: 'gpt-5',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Given the following... please reply with a title for the chat that is 3-4 words in length, all words used should be directly related to the content of the chat, avoid using verbs unless they are directly related to the content of the chat, no additional text or explanation, you don\'t need ending punctuation.\n\nThe command printed:\nTool exec_command not found' }],
    },
  };

  it('is named continue, with one session per conversation, exactly the typed prompts, and each item stored once', async () => {
    r = openRecording();
    CONTINUE.forEach((c, i) => {
      playResponses(r, c, answers[i]![0], answers[i]![1]);
      if (i === 1) playChat(r, titleCall);
    });
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([['list the files in this folder', 'thanks, which one is the python script?'], ['say hello in a new conversation']]);
    const all = sessions(r);
    expect(all.map((s) => s.client)).toEqual(['continue', 'continue']);
    const first = all.find((s) => s.turns.length === 2)!;
    const items = allItems(first);
    expect(items.filter((i) => i.kind === 'tool_call')).toHaveLength(1);
    expect(items.filter((i) => i.kind === 'assistant_message' && i.text?.startsWith('The command printed'))).toHaveLength(1);
    expect(first.requests.filter((q) => q.requestKind === 'background')).toHaveLength(1);
  });
});

describe('Grok CLI', () => {
  it('is named grok, not after the OpenAI SDK it sends as its user agent', async () => {
    expect(GROK.map((c) => ruleFor(c.headers, (c.body.messages![0]!.content as string))?.name)).toEqual(GROK.map(() => 'grok'));
    expect(cwdOfText(GROK[0]!.body.messages![0]!.content as string)).toBe(CWD);
    r = openRecording();
    for (const c of GROK) playChat(r, c);
    await r.settle();
    expect(sessions(r).map((s) => s.client)).toEqual(['grok', 'grok', 'grok']);
  });
});

describe('clients with no session id', () => {
  it('keeps two conversations that open with the same prompt apart, the same day (Grok: first prompt typed twice)', async () => {
    r = openRecording();
    for (const c of GROK) playChat(r, c);
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([['list the files in this folder'], ['list the files in this folder'], ['say hello in a new conversation']]);
  });

  it('keeps them apart weeks later, after kx restarted', async () => {
    r = openRecording();
    const dir = r.dir;
    playChat(r, GROK[0]!);
    playChat(r, GROK[1]!);
    await r.settle();
    r.close();
    r = openRecording(dir);
    playChat(r, GROK[3]!);
    playChat(r, GROK[4]!);
    await r.settle();
    const all = sessions(r);
    expect(all).toHaveLength(2);
    expect(all.map((s) => allItems(s).filter((i) => i.kind === 'tool_call').length)).toEqual([1, 1]);
  });

  it('stores all 4 typed prompts of two conversations that open alike, each follow-up in its own conversation', async () => {
    r = openRecording();
    const headers = { 'user-agent': 'OpenAI/JS 5.23.2', 'content-type': 'application/json' };
    const sys = { role: 'system', content: 'You are a helpful coding agent.' };
    const hi = { role: 'user', content: 'hi' };
    const play = (messages: unknown[], reply: string) =>
      playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'gpt-5', messages })), {
        status: 200,
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply } }] })),
      });
    play([sys, hi], 'Hello! What are we working on?');
    play([sys, hi], 'Hi there. How can I help?');
    play([sys, hi, { role: 'assistant', content: 'Hello! What are we working on?' }, { role: 'user', content: 'fix the bug' }], 'done');
    play([sys, hi, { role: 'assistant', content: 'Hi there. How can I help?' }, { role: 'user', content: 'write a test' }], 'done');
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([
      ['hi', 'fix the bug'],
      ['hi', 'write a test'],
    ]);
  });
});

describe('clients with no session id, when kx could read no answer', () => {
  it('keeps a conversation whose answers kx could not decode in one session', async () => {
    r = openRecording();
    const headers = { 'user-agent': 'OpenAI/JS 5.23.2', 'content-type': 'application/json' };
    const sys = { role: 'system', content: 'You are a helpful coding agent.' };
    const play = (messages: unknown[]) =>
      playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'gpt-5', messages })), {
        status: 200,
        contentType: 'application/json',
        headers: { 'content-encoding': 'x-unknown' },
        body: Buffer.from('opaque bytes'),
      });
    play([sys, { role: 'user', content: 'hi' }]);
    play([sys, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'fix the bug' }]);
    await r.settle();
    expect(humansBySession(r)).toEqual([['hi', 'fix the bug']]);
  });
});

describe('Qwen Code 0.15', () => {
  it('stores its Gemini-style opening as context: the general prefilled-exchange rule applies to a known client too', async () => {
    r = openRecording();
    for (const c of QWEN15) playChat(r, c);
    await r.settle();
    expect(humansBySession(r).sort()).toEqual([['list the files in this folder', 'thanks, which one is the python script?'], ['say hello in a new conversation']]);
    const s = sessions(r).find((x) => x.turns.length === 2)!;
    expect(allItems(s).some((i) => i.kind === 'injected_context' && (i.text ?? '').startsWith('This is the Qwen Code.'))).toBe(true);
    expect(s.client).toBe('qwen-code');
    expect(cwdOfRequest(QWEN15[0]!)).toBe(CWD);
  });
});

describe('background calls: only known ones', () => {
  const codex = (extra: Record<string, string>) => ({ 'user-agent': 'codex_exec/0.171.0', originator: 'codex_exec', 'session-id': 'sess-review', 'content-type': 'application/json', ...extra });
  const userInput = (text: string) => [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }];
  const msg = (id: string, text: string) => ({ type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });

  it('records `codex exec review "<instructions>"` (x-openai-subagent: review) as a human turn', async () => {
    r = openRecording();
    const body = { model: 'gpt-5', tools: [{ type: 'function', name: 'shell' }], input: userInput('review the diff for security issues') };
    playResponses(r, { url: '/v1/responses', headers: codex({ 'x-openai-subagent': 'review' }), body }, 'resp_rv', [msg('msg_rv', 'looks fine')]);
    await r.settle();
    const s = r.reader.getSession('sess-review')!;
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]!.items.filter((i) => i.kind === 'human_message').map((i) => i.text)).toEqual(['review the diff for security issues']);
  });

  it("keeps Codex's compaction sub-agent a background call", async () => {
    r = openRecording();
    const body = { model: 'gpt-5', input: userInput('summarize') };
    playResponses(r, { url: '/v1/responses', headers: codex({ 'x-openai-subagent': 'compact' }), body }, 'resp_cp', [msg('msg_cp', 'summary')]);
    await r.settle();
    const s = r.reader.getSession('sess-review')!;
    expect(s.turns).toHaveLength(0);
    expect(s.requests.map((q) => q.requestKind)).toEqual(['background']);
  });

  it('records a tool-less chat agent whose system prompt mentions a summary as human turns', async () => {
    r = openRecording();
    const headers = { 'user-agent': 'OpenAI/JS 5.23.2', 'content-type': 'application/json' };
    const sys = { role: 'system', content: 'You are a friendly tutor. Answer clearly and end each answer with a one-line summary.' };
    playChat(r, { seq: 1, url: '/v1/chat/completions', headers, body: { model: 'gpt-5', messages: [sys, { role: 'user', content: 'what is a monad?' }] } });
    await r.settle();
    expect(humansBySession(r)).toEqual([['what is a monad?']]);
  });
});

describe('repeats', () => {
  it('stores three "continue" messages chained by previous_response_id under a session header as 3 turns', async () => {
    r = openRecording();
    const headers = { 'user-agent': 'my-agent/1.0', 'session-id': 'sess-repeat', 'content-type': 'application/json' };
    // previous_response_id after the input, as the OpenAI SDK writes `{ model, input, previous_response_id }`.
    const input = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'continue' }] }];
    const msg = (n: number) => [{ type: 'message', id: `msg_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `step ${n}`, annotations: [] }] }];
    playResponses(r, { url: '/v1/responses', headers, body: { model: 'gpt-5', input } }, 'resp_1', msg(1));
    playResponses(r, { url: '/v1/responses', headers, body: { model: 'gpt-5', input, previous_response_id: 'resp_1' } }, 'resp_2', msg(2));
    playResponses(r, { url: '/v1/responses', headers, body: { model: 'gpt-5', input, previous_response_id: 'resp_2' } }, 'resp_3', msg(3));
    await r.settle();
    const s = r.reader.getSession('sess-repeat')!;
    expect(s.turns.map((t) => t.items.filter((i) => i.kind === 'human_message').map((i) => i.text))).toEqual([['continue'], ['continue'], ['continue']]);
  });
});
