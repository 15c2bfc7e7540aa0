// How capture files a request's input items (session-tracker.ts): which are the client's context
// rather than the human's, which it stored before (under the same key, or as an answer resent under
// another id), and which answers a stored session received. Pure.

import type { ParsedItem } from '../protocol/items.js';
import type { SessionResumeState } from '../store/session-reader.js';
import { prefilledContextEnd } from './client-rules.js';
import { aliasKeys, baseKey, resentAlias, type OrdinalCounter } from './dedup-key.js';

/** What classifyInput needs of a request. */
export interface FilingRequest {
  request: { input: readonly ParsedItem[] };
  background?: boolean;
  prefilledContext?: boolean;
}

/** The answers a stored session received, by key and alias, as capture keys them when they arrive. */
export function answerKeysOf(resumed: SessionResumeState | undefined): Set<string> {
  const out = new Set<string>();
  for (const a of resumed?.answers ?? []) {
    out.add(a.dedupKey);
    const item = { kind: a.kind, itemType: '', ...(a.protocolId ? { itemId: a.protocolId } : {}), ...(a.callId ? { callId: a.callId } : {}), ...(a.text !== null ? { text: a.text } : {}) } as ParsedItem;
    for (const alias of aliasKeys(item)) out.add(alias);
  }
  return out;
}

/**
 * The request's input as capture files it, with each item's key: user messages before a prefilled
 * answer (client-rules.ts) and the client's own prompt in a background call ("Generate a title for
 * this conversation:") are context, not the human's.
 */
export function classifyInput(req: FilingRequest, counts: OrdinalCounter, known: ReadonlySet<string>): { input: ParsedItem[]; keys: string[] } {
  const input = [...req.request.input];
  const keys = input.map((item) => counts.keyFor(item));
  const asContext = (i: number): void => {
    if (input[i]!.kind !== 'human_message') return;
    input[i] = { ...input[i]!, kind: 'injected_context' };
    keys[i] = baseKey(input[i]!).key;
  };
  if (req.prefilledContext) {
    const end = prefilledContextEnd(input, (_item, i) => known.has(keys[i]!));
    // A message this session already stored as the human's stays the human's (an answer kx could not read is not a prefill).
    for (let i = 0; i < end; i++) if (!known.has(keys[i]!)) asContext(i);
  }
  if (req.background) input.forEach((_item, i) => asContext(i));
  return { input, keys };
}

/** Whether capture stored this input item before: by its key, as a received answer resent under another id, or (`maybePrefilled`) as prefilled context. */
export function storedBefore(known: ReadonlySet<string>, item: ParsedItem, key: string, maybePrefilled: boolean): boolean {
  if (known.has(key)) return true;
  const alias = resentAlias(item);
  if (alias && known.has(alias)) return true;
  // A message an earlier request stored as prefilled context is that context again, not a new human turn.
  return maybePrefilled && item.kind === 'human_message' && known.has(baseKey({ ...item, kind: 'injected_context' }).key);
}

