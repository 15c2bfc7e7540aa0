// Past answers quoted in learn mode's context are cut at sentence boundaries: a sentence cut in half
// reads as a different claim, and the fix an answer gives usually closes it.

import { oneLine } from '../text/one-line.js';

/** A sentence ends at . ! or ? (closing quotes, brackets or backticks may follow) before whitespace. */
const SENTENCE_END = /(?<=[.!?]["'”’)\]`*]*)\s+/u;

/** The text's sentences and lines, each on one line, empty ones left out. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(SENTENCE_END))
    .map(oneLine)
    .filter((s) => s !== '');
}

/** One sentence longer than `max`, cut after a whole word and marked. */
function cutSentence(sentence: string, max: number): string {
  if (sentence.length <= max) return sentence;
  const head = sentence.slice(0, Math.max(0, max - 1));
  const atWord = head.lastIndexOf(' ');
  return `${(atWord > 0 ? head.slice(0, atWord) : head).trimEnd()}…`;
}

/** The text's first sentences that fit in `max` characters (at least part of the first). */
export function firstSentences(text: string, max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const s of sentencesOf(text)) {
    const added = (kept.length ? 1 : 0) + s.length;
    if (length + added > max) break;
    kept.push(s);
    length += added;
  }
  return kept.length ? kept.join(' ') : cutSentence(sentencesOf(text)[0] ?? '', max);
}

const GAP = ' … ';

/**
 * The text on one line in at most `max` characters. Too long, it keeps its first sentence (what was found)
 * and as many of its last sentences as fit (what was done about it), with ` … ` where sentences were left out.
 */
export function cutAtSentences(text: string, max: number): string {
  const sentences = sentencesOf(text);
  const whole = sentences.join(' ');
  if (whole.length <= max) return whole;
  const first = sentences[0]!;
  if (first.length + GAP.length >= max) return cutSentence(first, max);
  const tail: string[] = [];
  let length = first.length + GAP.length;
  for (let i = sentences.length - 1; i > 0; i--) {
    const added = (tail.length ? 1 : 0) + sentences[i]!.length;
    if (length + added > max) break;
    tail.unshift(sentences[i]!);
    length += added;
  }
  return tail.length ? `${first}${GAP}${tail.join(' ')}` : cutSentence(whole, max);
}
