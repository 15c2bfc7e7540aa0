// When a past session is related enough to a new message to be quoted before it. A search hit needs only
// one shared word, and a short common one ("add", "api", "getting") finds sessions about anything; quoting
// those costs the human a held message for nothing. So a session is quoted only when it holds a good share
// of the words the message is looked up by (queryWords: stop words and request filler already left out).

import { queryWords } from '../store/query-words.js';

/** However long the message, this many of its words held by one session are enough. */
const ENOUGH_WORDS = 4;

/** How many of a message's `count` looked-up words a session must hold: all of one or two, else half, at most four. */
export const wordsNeeded = (count: number): number => (count <= 2 ? count : Math.min(ENOUGH_WORDS, Math.ceil(count / 2)));

/**
 * The message's `words` a hit holds, from the retrieval's matched words: a word as typed, or another word for it
 * (retrieval.ts writes "logout (for logged out)"), which stands for each word of what it is for.
 */
export function wordsHeld(matched: readonly string[], words: readonly string[]): string[] {
  const held = new Set<string>();
  for (const m of matched) {
    const standsFor = /\(for (.+)\)$/.exec(m)?.[1];
    // Retrieval names a word as it was typed (`invalidGrant`); the looked-up words are lower-cased.
    for (const w of standsFor ? queryWords(standsFor) : [m.toLowerCase()]) held.add(w);
  }
  return words.filter((w) => held.has(w));
}

/** Whether a session that matched `matched` is about the message whose looked-up words are `words`. */
export function isRelated(matched: readonly string[], words: readonly string[]): boolean {
  return words.length > 0 && wordsHeld(matched, words).length >= wordsNeeded(words.length);
}
