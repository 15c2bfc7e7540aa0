// One Responses API item (request input or response output) → ParsedItem.
// Items are untrusted JSON: every field is checked before use, unknown types are kept as 'other'.

import { isImageWrapper, isInjectedText, splitUserMessage, type ContentPartView } from './human-text.js';
import type { ParsedItem } from './items.js';
import { isObject, str, type Json } from './json-guards.js';

const TOOL_CALL_TYPES = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'web_search_call',
  'file_search_call',
  'computer_call',
  'code_interpreter_call',
  'image_generation_call',
  'tool_search_call',
  'mcp_call',
  'mcp_list_tools',
  'mcp_approval_request',
]);

const TOOL_OUTPUT_TYPES = new Set([
  'function_call_output',
  'custom_tool_call_output',
  'local_shell_call_output',
  'computer_call_output',
  'tool_search_output',
  'mcp_approval_response',
]);

/** Text of a content array or string, as Codex and the API send it. Images count, never inline. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isObject(part)) {
      const t = str(part.text) ?? str(part.refusal);
      if (t !== undefined) texts.push(t);
    }
  }
  return texts.join('');
}

function contentParts(item: Json): ContentPartView[] {
  const content = item.content;
  if (typeof content === 'string') return [{ text: content, isImage: false }];
  if (!Array.isArray(content)) return [];
  const meta = isObject(item.internal_chat_message_metadata_passthrough)
    ? item.internal_chat_message_metadata_passthrough
    : undefined;
  const partMeta = meta && Array.isArray(meta.content_item_metadata) ? meta.content_item_metadata : [];
  return content.map((part, i): ContentPartView => {
    const m = partMeta[i];
    const provenance = isObject(m) && isObject(m.provenance) ? str(m.provenance.type) : undefined;
    if (!isObject(part)) return { text: str(part), isImage: false, provenance };
    const type = str(part.type) ?? '';
    const isImage = type.includes('image') || type === 'input_file' || type === 'input_audio';
    return { text: str(part.text), isImage, provenance };
  });
}

/**
 * Indexes of the content parts of a user message that are the human's own words, by the same rule
 * that classifies the message: provenance where present, markers otherwise; images are not words.
 */
export function humanTextPartIndexes(item: unknown): number[] {
  if (!isObject(item) || typeof item.content === 'string') return isObject(item) && typeof item.content === 'string' ? [-1] : [];
  const out: number[] = [];
  contentParts(item).forEach((part, i) => {
    if (part.isImage || part.text === undefined) return;
    const fromUser = part.provenance ? part.provenance === 'user' : !isInjectedText(part.text) && !isImageWrapper(part.text);
    if (fromUser) out.push(i);
  });
  return out;
}

function messageItem(item: Json, base: Pick<ParsedItem, 'itemType' | 'itemId' | 'status'>): ParsedItem {
  const role = str(item.role) ?? 'user';
  if (role === 'user') {
    const { human, injected, images } = splitUserMessage(contentParts(item));
    if (human.length > 0 || images > 0) {
      const detail: Record<string, unknown> = {};
      if (images) detail.images = images;
      if (injected.length) detail.injectedParts = injected.length;
      return { ...base, kind: 'human_message', role, text: human.join('\n'), ...(Object.keys(detail).length ? { detail } : {}) };
    }
    return { ...base, kind: 'injected_context', role, text: injected.join('\n') };
  }
  if (role === 'assistant') {
    const phase = str(item.phase);
    return { ...base, kind: 'assistant_message', role, text: contentText(item.content), ...(phase ? { detail: { phase } } : {}) };
  }
  return { ...base, kind: 'instructions', role, text: contentText(item.content) };
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return contentText(output);
  if (isObject(output)) return JSON.stringify(output);
  return '';
}

function toolCallArguments(item: Json): string | undefined {
  const args = str(item.arguments) ?? str(item.input);
  if (args !== undefined) return args;
  if (isObject(item.action)) return JSON.stringify(item.action);
  return undefined;
}

function toolName(type: string, item: Json): string {
  const name = str(item.name);
  const ns = str(item.namespace) ?? str(item.server_label);
  if (name) return ns ? `${ns}.${name}` : name;
  return type.replace(/_call$/, '');
}

export function parseResponsesItem(raw: unknown): ParsedItem {
  if (!isObject(raw)) return { kind: 'other', itemType: typeof raw };
  const itemType = str(raw.type) ?? (raw.role ? 'message' : 'unknown');
  const base = {
    itemType,
    ...(str(raw.id) ? { itemId: str(raw.id) } : {}),
    ...(str(raw.status) ? { status: str(raw.status) } : {}),
  };
  const callId = str(raw.call_id);

  if (itemType === 'message') return messageItem(raw, base);
  if (itemType === 'reasoning') {
    const summary = Array.isArray(raw.summary) ? contentText(raw.summary) : '';
    return { ...base, kind: 'reasoning', text: summary };
  }
  if (TOOL_CALL_TYPES.has(itemType)) {
    const args = toolCallArguments(raw);
    const detail: Record<string, unknown> = {};
    if (isObject(raw.action)) detail.action = raw.action;
    if (str(raw.server_label)) detail.server = raw.server_label;
    const output = raw.output !== undefined && raw.output !== null ? outputText(raw.output) : undefined;
    return {
      ...base,
      kind: 'tool_call',
      toolName: toolName(itemType, raw),
      ...(callId ? { callId } : {}),
      ...(args !== undefined ? { arguments: args } : {}),
      ...(output !== undefined ? { output } : {}),
      ...(Object.keys(detail).length ? { detail } : {}),
    };
  }
  if (TOOL_OUTPUT_TYPES.has(itemType)) {
    return { ...base, kind: 'tool_output', ...(callId ? { callId } : {}), output: outputText(raw.output) };
  }
  if (itemType === 'compaction' || itemType === 'compaction_trigger' || itemType === 'context_compaction') {
    return { ...base, kind: 'compaction', text: itemType };
  }
  if (itemType === 'additional_tools') {
    const tools = Array.isArray(raw.tools) ? raw.tools.length : 0;
    return { ...base, kind: 'instructions', role: str(raw.role) ?? 'developer', text: `additional_tools (${tools} groups)` };
  }
  return { ...base, kind: 'other' };
}
