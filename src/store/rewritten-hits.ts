// The console quotes what the person said. A human message learn mode sent rewritten is indexed twice (what
// was typed and what was sent, typed-text-docs.ts); here the two become one hit whose snippet quotes what the
// person typed and whose `rewritten.sent` quotes the rewrite kx sent, where the query matched it. Pure.

import type { SearchHitView } from '../contracts/console.js';
import { cutEnd } from '../text/one-line.js';
import { isTypedRef, messageOf, type Rewrite } from './typed-text-docs.js';

/** Characters of what the person typed a hit quotes when the query matched only the rewrite. */
export const TYPED_QUOTE_CHARS = 240;

/**
 * Hits in order, each rewritten message once, where the first of its two documents was (the better ranked).
 * `rewriteOf` says what the person typed for a message learn mode sent rewritten (undefined for one sent as typed).
 */
export function rewrittenAsTyped(hits: readonly SearchHitView[], rewriteOf: (itemId: string) => Rewrite | undefined): SearchHitView[] {
  const out: SearchHitView[] = [];
  const placed = new Map<string, number>();
  for (const h of hits) {
    if (h.docKind !== 'human') {
      out.push(h);
      continue;
    }
    const typedDoc = isTypedRef(h.refId);
    const id = messageOf(h.refId);
    const at = placed.get(id);
    if (at !== undefined) {
      const first = out[at]!;
      const words = [...new Set([...(first.words ?? []), ...(h.words ?? [])])];
      out[at] = { ...first, ...(typedDoc ? { snippet: h.snippet } : { rewritten: { ...first.rewritten, sent: h.snippet } }), ...(words.length ? { words } : {}) };
      continue;
    }
    const rewrite = rewriteOf(id);
    if (!rewrite) {
      out.push(h);
      continue;
    }
    placed.set(id, out.length);
    const edited = rewrite.edited ? { edited: true } : {};
    // Matched only in what was sent: the person's words are quoted from their start, nothing marked in them.
    out.push(typedDoc ? { ...h, refId: id, rewritten: edited } : { ...h, refId: id, snippet: cutEnd(rewrite.typed, TYPED_QUOTE_CHARS), rewritten: { sent: h.snippet, ...edited } });
  }
  return out;
}
