// The fake model's Chat Completions answers: a tool call for "weather" or "list", a final answer
// after a tool message, an echo otherwise. Streamed as chat.completion.chunk events, or whole.

import type { Json } from '../../src/protocol/json-guards.js';

interface ChatMessage {
  role?: string;
  content?: unknown;
}

interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof (p as Json)?.text === 'string' ? ((p as Json).text as string) : '')).join('');
  return '';
}

// Real agent CLIs name their shell tool differently (opencode and pi: bash {command, description},
// Qwen Code: run_shell_command {command}); the fake calls the one the client offers, so the client
// really runs `ls`. With none of them offered it asks for a generic `shell` tool, as before.
const SHELL_TOOLS = ['bash', 'run_shell_command', 'shell', 'exec_command'];

function shellCall(tools: unknown[]): { name: string; arguments: string } {
  const fns = tools.map((t) => ((t as Json)?.function ?? {}) as Json);
  const fn = SHELL_TOOLS.map((name) => fns.find((f) => f.name === name)).find((f) => f !== undefined);
  if (!fn) return { name: 'shell', arguments: JSON.stringify({ cmd: 'ls' }) };
  const params = (fn.parameters ?? {}) as Json;
  const props = (params.properties ?? {}) as Json;
  const args: Json = { [('command' in props) ? 'command' : 'cmd']: 'ls' };
  const required = Array.isArray(params.required) ? (params.required as unknown[]) : [];
  if ('description' in props && required.includes('description')) args.description = 'List the files';
  return { name: String(fn.name), arguments: JSON.stringify(args) };
}

function lastTextPart(content: unknown): string {
  if (!Array.isArray(content)) return contentText(content);
  const texts = content.filter((p) => typeof (p as Json)?.text === 'string').map((p) => (p as Json).text as string);
  return texts.at(-1) ?? '';
}

export function decideChat(body: Json, n: string): { content: string | null; toolCalls: ChatToolCall[] } {
  const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
  const last = messages.at(-1);
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (last?.role === 'tool') return { content: `Based on the tool: ${contentText(last.content).slice(0, 500)}`, toolCalls: [] };
  // The last text part is what was typed: clients put their own context in earlier parts (Qwen Code's
  // <system-reminder> blocks mention "files"), and the fake must not answer those.
  const text = lastTextPart(last?.content);
  if (hasTools && /\bweather\b/i.test(text)) {
    const city = /in ([A-Z][a-z]+)/.exec(text)?.[1] ?? 'Paris';
    return { content: null, toolCalls: [{ id: `call_chat_${n}`, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city }) } }] };
  }
  if (hasTools && /\b(list|files)\b/i.test(text)) {
    const shell = shellCall(body.tools as unknown[]);
    return { content: null, toolCalls: [{ id: `call_chat_${n}`, type: 'function', function: shell }] };
  }
  return { content: `You said: ${text.slice(0, 500)}`, toolCalls: [] };
}

function usage(body: Json, answer: { content: string | null; toolCalls: ChatToolCall[] }): Json {
  const prompt = Math.max(1, Math.round(JSON.stringify(body.messages ?? []).length / 4));
  const completion = Math.max(1, Math.round(JSON.stringify(answer).length / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: 0 } };
}

export function chatCompletion(body: Json, n: string, created: number): Json {
  const answer = decideChat(body, n);
  return {
    id: `chatcmpl-fake-${n}`,
    object: 'chat.completion',
    created,
    model: body.model ?? 'gpt-5',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content, ...(answer.toolCalls.length ? { tool_calls: answer.toolCalls } : {}) },
        finish_reason: answer.toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: usage(body, answer),
  };
}

/** The chunks of a streamed chat completion; the caller writes each as `data: …` and ends with [DONE]. */
export function chatChunks(body: Json, n: string, created: number): Json[] {
  const answer = decideChat(body, n);
  const base = { id: `chatcmpl-fake-${n}`, object: 'chat.completion.chunk', created, model: body.model ?? 'gpt-5' };
  const chunk = (delta: Json, finish: string | null = null): Json => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const out: Json[] = [chunk({ role: 'assistant', content: answer.toolCalls.length ? null : '' })];
  if (answer.content) {
    const half = Math.ceil(answer.content.length / 2);
    out.push(chunk({ content: answer.content.slice(0, half) }), chunk({ content: answer.content.slice(half) }));
  }
  answer.toolCalls.forEach((call, index) => {
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    out.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    out.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }));
    out.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
  });
  out.push(chunk({}, answer.toolCalls.length ? 'tool_calls' : 'stop'));
  const opts = body.stream_options as Json | undefined;
  if (opts?.include_usage) out.push({ ...base, choices: [], usage: usage(body, answer) });
  return out;
}
