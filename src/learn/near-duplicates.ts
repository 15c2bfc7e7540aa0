// Context lines that say one fact alike (the question a person asked, the agent's echo of it, the gap
// noting it) say it once: each repeat costs the injection's small budget and reads as noise. Texts are
// compared sentence by sentence, so a line that repeats a symptom but adds its fix keeps the fix.

import { sentencesOf } from './sentences.js';

const wordsOf = (s: string): Set<string> => new Set(s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);

/** Fewer words than this never count as saying the same: a short sentence is contained in too much. */
const MIN_WORDS = 4;
/** The share of the shorter sentence's words the longer one must hold. */
const SAME_SHARE = 0.8;

function sayTheSame(a: Set<string>, b: Set<string>): boolean {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size < MIN_WORDS) return false;
  let shared = 0;
  for (const w of small) if (big.has(w)) shared++;
  return shared / small.size >= SAME_SHARE;
}

/** The sentences said so far, to keep only what a new text adds to them. */
export class SaidBefore {
  private readonly said: Set<string>[] = [];

  constructor(already: readonly string[] = []) {
    for (const text of already) this.remember(text);
  }

  /** The text's sentences that say something not said before, on one line ('' when none do). */
  news(text: string): string {
    return sentencesOf(text)
      .filter((s) => !this.said.some((k) => sayTheSame(k, wordsOf(s))))
      .join(' ');
  }

  remember(text: string): void {
    for (const s of sentencesOf(text)) this.said.push(wordsOf(s));
  }
}

/** `texts` in order, each less the sentences an earlier one, or one of `already`, says; a text left empty is dropped. */
export function distinctTexts(texts: readonly string[], already: readonly string[] = []): string[] {
  const said = new SaidBefore(already);
  return texts.flatMap((t) => {
    const news = said.news(t);
    said.remember(news);
    return news ? [news] : [];
  });
}
