// A key that names an item the same way every time the client resends it, so it is stored once.

import { createHash } from 'node:crypto';
import type { ParsedItem } from '../protocol/items.js';

const hash = (s: string): string => createHash('sha1').update(s).digest('base64url').slice(0, 22);

/**
 * Context the client injects (instructions, environment) is keyed by content, not id: after a
 * remote compaction Codex rebuilds the preamble with fresh ids but the same text (fixture
 * remote-compaction-v2-http/04).
 */
export function contentKeyed(item: ParsedItem): boolean {
  return item.kind === 'instructions' || item.kind === 'injected_context';
}

/** Identity of an item regardless of its position; `ordinal` tells identical id-less items apart. */
export function baseKey(item: ParsedItem): { key: string; needsOrdinal: boolean } {
  if (contentKeyed(item)) return { key: `c:${hash(`${item.kind}|${item.role ?? ''}|${item.text ?? ''}`)}`, needsOrdinal: false };
  if (item.itemId) return { key: `id:${item.itemId}`, needsOrdinal: false };
  if (item.callId && item.kind === 'tool_call') return { key: `call:${item.callId}`, needsOrdinal: false };
  if (item.callId && item.kind === 'tool_output') return { key: `out:${item.callId}`, needsOrdinal: false };
  const body = [item.kind, item.itemType === 'chat_message' ? 'm' : item.itemType, item.role ?? '', item.text ?? '', item.arguments ?? '', item.output ?? ''];
  return { key: `h:${hash(body.join('\u0000'))}`, needsOrdinal: true };
}

/**
 * Other names a received answer may come back under: a client that resends a tool call with only its
 * `call_id`, or an answer under a placeholder id of its own (Continue's `msg_0000`), resends the same item.
 */
export function aliasKeys(item: ParsedItem): string[] {
  if (!item.itemId) return [];
  if (item.kind === 'tool_call' && item.callId) return [`call:${item.callId}`];
  if (item.kind === 'assistant_message' && item.text) return [`a:${hash(item.text)}`];
  return [];
}

/** The alias an item resent without the upstream's id is known by (`aliasKeys` of the answer it repeats). */
export function resentAlias(item: ParsedItem): string | undefined {
  if (item.kind === 'tool_call' && item.callId) return `call:${item.callId}`;
  if (item.kind === 'assistant_message' && item.text) return `a:${hash(item.text)}`;
  return undefined;
}

/** Counts identical id-less items, so the n-th "continue" of a conversation keeps its own key. */
export class OrdinalCounter {
  constructor(private readonly counts = new Map<string, number>()) {}

  keyFor(item: ParsedItem): string {
    const { key, needsOrdinal } = baseKey(item);
    if (!needsOrdinal) return key;
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    return `${key}#${n}`;
  }

  /** The counts a conversation had when these keys were stored: the next of each gets a fresh ordinal. */
  static fromKeys(keys: Iterable<string>): OrdinalCounter {
    const counts = new Map<string, number>();
    for (const k of keys) {
      const hashAt = k.lastIndexOf('#');
      if (!k.startsWith('h:') || hashAt < 0) continue;
      const base = k.slice(0, hashAt);
      const n = Number(k.slice(hashAt + 1)) + 1;
      if (n > (counts.get(base) ?? 0)) counts.set(base, n);
    }
    return new OrdinalCounter(counts);
  }

  clone(): OrdinalCounter {
    return new OrdinalCounter(new Map(this.counts));
  }
}
