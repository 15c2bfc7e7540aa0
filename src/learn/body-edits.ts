// Body edits: the byte edits learn mode makes to a request body. Codex resends its own original
// of every earlier human message with each request (docs/protocol.md §6), so an approved text is
// remembered per session and message, and put back in place of the original every time it comes
// again; the context approved with a session's first message is put back before it the same way.
// Edits are byte spans (protocol/json-span.ts): the rest of the body goes upstream untouched.

import { LRUCache } from 'lru-cache';
import { redact } from '../capture/redact.js';
import { jsonSpan, type ByteEdit } from '../protocol/json-span.js';
import type { ApprovalStore } from '../store/approval-store.js';
import { contextMessageItem } from './context-injection.js';
import type { HumanMessageRef } from './human-turn.js';
import { restoreSecrets } from './secret-spans.js';
import type { Json } from '../protocol/json-guards.js';

export interface StickyRewrite {
  originalHash: string;
  text: string;
  approvalId: string;
  original: string;
  /** True when `text` came back from the store, secrets redacted: rebuilt from the resent original. */
  redacted?: boolean;
}

const MAX_SESSIONS = 2000;

/** The edit that puts `text` in place of the human message `ref` points at. */
export function textEdit(body: Buffer, ref: HumanMessageRef, text: string): ByteEdit {
  const span = jsonSpan(body, ref.path);
  if (!span) throw new Error('human message not found in the body');
  return { ...span, bytes: Buffer.from(JSON.stringify(text)) };
}

export interface ResentHistoryDeps {
  store: Pick<ApprovalStore, 'appliedRewrites' | 'injection'>;
  /** Called when the first approved text is remembered: from then on kx must see every request. */
  onFirstRewrite: () => void;
  log: (line: Record<string, unknown>) => void;
}

/** What each session's resent history must carry again: approved texts, and the context injected at its start. */
export class ResentHistory {
  private readonly sticky = new LRUCache<string, Map<number, StickyRewrite>>({ max: MAX_SESSIONS });
  /** The developer message injected at each session's start (null: none), re-sent in place with every full history. */
  private readonly injections = new LRUCache<string, { item: Record<string, unknown> | null }>({ max: MAX_SESSIONS });

  constructor(private readonly deps: ResentHistoryDeps) {
    // Kept redacted: each later request rebuilds the secrets from the original the client resends (approvedText).
    for (const a of deps.store.appliedRewrites()) this.remember(a.sessionId, a.ordinal, { originalHash: a.originalHash, text: a.finalText ?? a.original, approvalId: a.id, original: a.original, redacted: true });
  }

  hasRewrites(): boolean {
    return this.sticky.size > 0;
  }

  remember(sessionId: string, ordinal: number, rewrite: StickyRewrite): void {
    const had = this.sticky.size;
    const m = this.sticky.get(sessionId) ?? new Map<number, StickyRewrite>();
    m.set(ordinal, rewrite);
    this.sticky.set(sessionId, m);
    if (had === 0) this.deps.onFirstRewrite();
  }

  /** Edits that send each resent message its approved text again, and the ordinals they cover. */
  reapply(sessionId: string, body: Buffer, refs: readonly HumanMessageRef[]): { edits: ByteEdit[]; replaced: Set<number> } {
    const edits: ByteEdit[] = [];
    const replaced = new Set<number>();
    const stuck = this.sticky.get(sessionId);
    for (const ref of refs) {
      const s = stuck?.get(ref.ordinal);
      if (!s || s.originalHash !== ref.textHash) continue;
      const text = this.approvedText(sessionId, ref, s);
      if (text !== ref.text) edits.push(textEdit(body, ref, text));
      replaced.add(ref.ordinal);
    }
    return { edits, replaced };
  }

  rememberInjection(sessionId: string, text: string): void {
    this.injections.set(sessionId, { item: contextMessageItem(text) });
  }

  /** The injected message goes before the first human message of every full history that lacks it. */
  injectionEdit(body: Buffer, json: Json, sessionId: string, refs: readonly HumanMessageRef[]): ByteEdit | undefined {
    const first = refs.find((r) => r.ordinal === 0 && r.itemIndex >= 0);
    if (!first) return undefined;
    if (!this.injections.has(sessionId)) {
      // After a restart the message comes back from its row, so the history keeps the same prefix.
      const row = this.deps.store.injection(sessionId);
      this.injections.set(sessionId, { item: row ? contextMessageItem(row.text) : null });
    }
    const item = this.injections.get(sessionId)?.item;
    if (!item) return undefined;
    const before = (json.input as unknown[])[first.itemIndex - 1];
    if (JSON.stringify(before) === JSON.stringify(item)) return undefined;
    const span = jsonSpan(body, ['input', first.itemIndex]);
    return span ? { start: span.start, end: span.start, bytes: Buffer.from(JSON.stringify(item) + ',') } : undefined;
  }

  /**
   * The text an approval sent for this message, again: as kept in memory, or, after a restart, the
   * stored (redacted) text with its secrets rebuilt from the original the client resends. A text that
   * cannot be rebuilt exactly is never sent: the human's own original goes instead, and the log says why.
   */
  private approvedText(sessionId: string, ref: HumanMessageRef, s: StickyRewrite): string {
    if (!s.redacted) return s.text;
    const rebuilt = restoreSecrets(s.text, ref.text);
    if (rebuilt.unresolved === 0 && redact(rebuilt.text) === s.text) {
      s.text = rebuilt.text;
      s.redacted = false;
      return rebuilt.text;
    }
    this.deps.log({
      level: 'warn',
      msg: 'an approved text kept redacted could not be rebuilt from the original the client resent; sending the original for that message',
      session: sessionId,
      approval: s.approvalId,
      unresolved: rebuilt.unresolved,
    });
    s.text = ref.text;
    s.redacted = false;
    return ref.text;
  }
}
