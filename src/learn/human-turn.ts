// Finds the human's words in a Responses request (HTTP body or WebSocket `response.create` frame):
// every human message with its place in the conversation, and whether this request carries a new one
// that learn mode may hold. Pure; works on the parsed JSON and points into the bytes by JSON path.

import { createHash } from 'node:crypto';
import type { RequestMeta } from '../protocol/items.js';
import type { JsonPath } from '../protocol/json-span.js';
import { humanTextPartIndexes, parseResponsesItem } from '../protocol/responses-items.js';
import { isObject, type Json } from '../protocol/json-guards.js';
import { isBackgroundSubagent } from '../capture/client-rules.js';

export interface HumanMessageRef {
  /** Place among the human messages of the whole conversation: 0 is the first the human typed. */
  ordinal: number;
  /** Where the text sits in the body, e.g. ['input', 6, 'content', 0, 'text']. */
  path: JsonPath;
  /** Index of the item in `input`, or -1 when `input` is a plain string. */
  itemIndex: number;
  text: string;
  textHash: string;
}

export const textHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The one text part a human message can be rewritten through; a message with several stays as it is. */
function humanTextPath(item: Json, itemIndex: number): { path: JsonPath; text: string } | undefined {
  const parts = humanTextPartIndexes(item);
  if (parts.length !== 1) return undefined;
  const p = parts[0]!;
  if (p === -1) return typeof item.content === 'string' ? { path: ['input', itemIndex, 'content'], text: item.content } : undefined;
  const part = (item.content as unknown[])[p];
  const text = isObject(part) && typeof part.text === 'string' ? part.text : undefined;
  return text === undefined ? undefined : { path: ['input', itemIndex, 'content', p, 'text'], text };
}

/**
 * Every rewritable human message in the body, numbered from `base` (the human messages the
 * conversation had before this input: 0 for a full history, more for a `previous_response_id` delta).
 */
export function humanMessagesOf(body: Json, base: number): { refs: HumanMessageRef[]; count: number } {
  const input = body.input;
  if (typeof input === 'string') return { refs: [{ ordinal: base, path: ['input'], itemIndex: -1, text: input, textHash: textHash(input) }], count: 1 };
  if (!Array.isArray(input)) return { refs: [], count: 0 };
  const refs: HumanMessageRef[] = [];
  let n = 0;
  input.forEach((item, i) => {
    if (!isObject(item) || parseResponsesItem(item).kind !== 'human_message') return;
    const at = humanTextPath(item, i);
    if (at) refs.push({ ordinal: base + n, path: at.path, itemIndex: i, text: at.text, textHash: textHash(at.text) });
    n++;
  });
  return { refs, count: n };
}

export type NotNew =
  | 'not_a_request'
  | 'prewarm'
  | 'compaction'
  | 'background'
  | 'no_human_message'
  | 'tool_output_follow_up'
  | 'not_rewritable';

/**
 * The human message this request brings for the first time, or why there is none. A new turn ends its
 * input with the human's message (Codex's injected context may follow it); a tool-output follow-up ends
 * with the tool's output; prewarm (`generate: false`), compaction, background sub-agents (`x-openai-subagent`
 * compact, memory consolidation) and the client's background calls (client-rules.ts) are
 * never the human talking (docs/protocol.md §6, §7).
 */
export function newHumanMessage(body: Json, meta: RequestMeta, refs: readonly HumanMessageRef[], background = false): HumanMessageRef | NotNew {
  if (body.type !== undefined && body.type !== 'response.create') return 'not_a_request';
  if (body.generate === false || meta.requestKind === 'prewarm') return 'prewarm';
  if (meta.requestKind === 'compaction') return 'compaction';
  if (background || isBackgroundSubagent(meta.subagent)) return 'background';
  const input = body.input;
  if (typeof input === 'string') return refs[0] ?? 'not_rewritable';
  if (!Array.isArray(input) || input.length === 0) return 'no_human_message';
  for (let i = input.length - 1; i >= 0; i--) {
    const kind = parseResponsesItem(input[i]).kind;
    if (kind === 'injected_context' || kind === 'instructions') continue;
    if (kind === 'tool_output') return 'tool_output_follow_up';
    if (kind !== 'human_message') return 'no_human_message';
    return refs.find((r) => r.itemIndex === i) ?? 'not_rewritable';
  }
  return 'no_human_message';
}

// Chat Completions (opencode, Qwen Code, pi, any OpenAI SDK agent): the whole conversation is in
// `messages` on every request, so ordinals count from 0. A user message's text parts the client wrote
// itself (client-rules.ts: Qwen Code's <system-reminder> parts; Codex's markers) are not the human's.

/** The one part of a user message that is the human's words, if there is exactly one. */
function chatHumanTextPath(msg: Json, index: number, isContext: (text: string) => boolean): { path: JsonPath; text: string } | undefined {
  if (typeof msg.content === 'string') return isContext(msg.content) ? undefined : { path: ['messages', index, 'content'], text: msg.content };
  if (!Array.isArray(msg.content)) return undefined;
  const human = msg.content.flatMap((p, i) => (isObject(p) && typeof p.text === 'string' && !isContext(p.text) ? [{ i, text: p.text }] : []));
  if (human.length !== 1) return undefined;
  return { path: ['messages', index, 'content', human[0]!.i, 'text'], text: human[0]!.text };
}

/** Every rewritable human message of a Chat Completions body, in order. */
export function chatHumanMessagesOf(body: Json, isContext: (text: string) => boolean): { refs: HumanMessageRef[]; count: number } {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const refs: HumanMessageRef[] = [];
  let n = 0;
  messages.forEach((m, i) => {
    if (!isObject(m) || m.role !== 'user') return;
    const at = chatHumanTextPath(m, i, isContext);
    if (!at) return;
    refs.push({ ordinal: n, path: at.path, itemIndex: i, text: at.text, textHash: textHash(at.text) });
    n++;
  });
  return { refs, count: n };
}

/** The human message a Chat Completions request brings for the first time: its last message, if that is the human's. */
export function newChatHumanMessage(body: Json, background: boolean, refs: readonly HumanMessageRef[]): HumanMessageRef | NotNew {
  if (background) return 'background';
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (!isObject(last)) return 'no_human_message';
  if (last.role === 'tool' || last.role === 'function') return 'tool_output_follow_up';
  if (last.role !== 'user') return 'no_human_message';
  return refs.find((r) => r.itemIndex === messages.length - 1) ?? 'not_rewritable';
}
