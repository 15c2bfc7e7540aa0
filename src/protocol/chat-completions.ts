// Chat Completions: request messages → ParsedItems, and a folder for the response
// (one JSON body, or `chat.completion.chunk` SSE events ending in `[DONE]`).

import { z } from 'zod';
import { splitUserMessage } from './human-text.js';
import type { ParsedItem, ParsedRequest, ResponseSummary } from './items.js';
import { parseErrorObject, parseUsage } from './responses-events.js';
import { ProtocolError } from './responses-request.js';
import { contentText } from './responses-items.js';
import { isObject, str, type Json } from './json-guards.js';

const ChatBody = z
  .object({
    model: z.string().optional(),
    stream: z.boolean().optional(),
    messages: z.array(z.unknown()),
    user: z.string().optional(),
  })
  .passthrough();

function toolCallItems(toolCalls: unknown): ParsedItem[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.filter(isObject).map((tc) => {
    const fn = isObject(tc.function) ? tc.function : isObject(tc.custom) ? tc.custom : {};
    const callId = str(tc.id);
    return {
      kind: 'tool_call' as const,
      itemType: str(tc.type) === 'custom' ? 'custom_tool_call' : 'function_call',
      ...(callId ? { callId } : {}),
      toolName: str(fn.name) ?? 'unknown',
      arguments: str(fn.arguments) ?? str(fn.input) ?? '',
    };
  });
}

/** Tells a client's own context parts from the human's words (client-rules.ts); Codex's markers always count. */
export type ContextTest = (text: string) => boolean;

export function parseChatMessage(raw: unknown, isContext?: ContextTest): ParsedItem[] {
  if (!isObject(raw)) return [{ kind: 'other', itemType: 'chat_message' }];
  const role = str(raw.role) ?? 'user';
  const content = raw.content;
  if (role === 'user') {
    const parts = typeof content === 'string'
      ? [{ text: content, isImage: false }]
      : Array.isArray(content)
        ? content.map((p) => ({ text: isObject(p) ? str(p.text) : str(p), isImage: isObject(p) && String(p.type ?? '').includes('image') }))
        : [];
    const { human, injected, images } = splitUserMessage(parts, isContext);
    if (human.length || images) {
      const said: ParsedItem = { kind: 'human_message', itemType: 'chat_message', role, text: human.join('\n'), ...(images ? { detail: { images } } : {}) };
      // Context a client writes into the human's message (Qwen Code's preamble) is kept, as context.
      if (isContext && injected.length) return [{ kind: 'injected_context', itemType: 'chat_message', role, text: injected.join('\n') }, said];
      return [said];
    }
    return [{ kind: 'injected_context', itemType: 'chat_message', role, text: injected.join('\n') }];
  }
  if (role === 'assistant') {
    const items: ParsedItem[] = [];
    const text = contentText(content);
    if (text) items.push({ kind: 'assistant_message', itemType: 'chat_message', role, text });
    items.push(...toolCallItems(raw.tool_calls));
    if (isObject(raw.function_call)) items.push(...toolCallItems([{ type: 'function', function: raw.function_call }]));
    return items;
  }
  if (role === 'tool' || role === 'function') {
    const callId = str(raw.tool_call_id) ?? str(raw.name);
    return [{ kind: 'tool_output', itemType: 'tool_message', ...(callId ? { callId } : {}), output: contentText(content) }];
  }
  return [{ kind: 'instructions', itemType: 'chat_message', role, text: contentText(content) }];
}

export function parseChatRequest(body: unknown, isContext?: ContextTest): ParsedRequest {
  const parsed = ChatBody.safeParse(body);
  if (!parsed.success) throw new ProtocolError(`not a Chat Completions body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return {
    api: 'chat',
    ...(parsed.data.model ? { model: parsed.data.model } : {}),
    stream: parsed.data.stream ?? false,
    generate: true,
    input: parsed.data.messages.flatMap((m) => parseChatMessage(m, isContext)),
    meta: {},
  };
}

interface ToolCallDraft { callId?: string; name: string; args: string; custom: boolean }

/** Folds a Chat Completions response: call feedChunk per SSE data, or feedBody once. */
export class ChatCompletionFolder {
  private text = '';
  private readonly toolCalls = new Map<number, ToolCallDraft>();
  private readonly summary: ResponseSummary = { status: 'in_progress', output: [], parseErrors: 0, unknownEvents: 0, events: 0 };

  feedData(data: string): void {
    this.summary.events++;
    if (data.trim() === '[DONE]') {
      if (this.summary.status === 'in_progress') this.summary.status = 'completed';
      return;
    }
    try {
      this.feedChunk(JSON.parse(data));
    } catch {
      this.summary.parseErrors++;
    }
  }

  feedChunk(chunk: unknown): void {
    if (!isObject(chunk)) {
      this.summary.parseErrors++;
      return;
    }
    this.readEnvelope(chunk);
    if (isObject(chunk.error)) {
      this.summary.status = 'error';
      this.summary.error = parseErrorObject(chunk);
    }
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isObject(choice) || (typeof choice.index === 'number' && choice.index !== 0)) continue;
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string') this.text += delta.content;
      for (const tc of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
        if (!isObject(tc)) continue;
        const index = typeof tc.index === 'number' ? tc.index : this.toolCalls.size;
        const fn = isObject(tc.function) ? tc.function : isObject(tc.custom) ? tc.custom : {};
        const draft = this.toolCalls.get(index) ?? { name: '', args: '', custom: tc.type === 'custom' };
        if (str(tc.id)) draft.callId = str(tc.id);
        if (str(fn.name)) draft.name += str(fn.name);
        draft.args += str(fn.arguments) ?? str(fn.input) ?? '';
        this.toolCalls.set(index, draft);
      }
    }
  }

  /** A whole non-streaming `chat.completion` body. */
  feedBody(body: unknown): void {
    if (!isObject(body)) {
      this.summary.parseErrors++;
      return;
    }
    this.readEnvelope(body);
    if (isObject(body.error)) {
      this.summary.status = 'error';
      this.summary.error = parseErrorObject(body);
      return;
    }
    const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
    if (isObject(choice) && isObject(choice.message)) {
      this.summary.output = parseChatMessage({ ...choice.message, role: 'assistant' });
    }
    this.summary.status = 'completed';
  }

  private readEnvelope(chunk: Json): void {
    const id = str(chunk.id);
    if (id) this.summary.responseId = id;
    const model = str(chunk.model);
    if (model) this.summary.model = model;
    const usage = parseUsage(chunk.usage);
    if (usage) this.summary.usage = usage;
  }

  markCut(reason: string): void {
    if (this.summary.status === 'in_progress') {
      this.summary.status = 'cut';
      this.summary.error ??= { message: reason };
    }
  }

  result(): ResponseSummary {
    if (this.summary.output.length > 0) return { ...this.summary };
    const output: ParsedItem[] = [];
    if (this.text) output.push({ kind: 'assistant_message', itemType: 'chat_message', role: 'assistant', text: this.text });
    for (const [, d] of [...this.toolCalls.entries()].sort((a, b) => a[0] - b[0])) {
      output.push({
        kind: 'tool_call',
        itemType: d.custom ? 'custom_tool_call' : 'function_call',
        ...(d.callId ? { callId: d.callId } : {}),
        toolName: d.name || 'unknown',
        arguments: d.args,
      });
    }
    return { ...this.summary, output };
  }
}
