// Context lines that say one fact alike (the question a person asked, the agent's echo of it, the gap
// noting it) are listed once: each repeat costs the injection's small budget and reads as noise.

const wordsOf = (s: string): Set<string> => new Set(s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);

/** Fewer words than this never count as saying the same: a short text is contained in too much. */
const MIN_WORDS = 4;
/** The share of the shorter text's words the longer one must hold. */
const SAME_SHARE = 0.8;

function sayTheSame(a: Set<string>, b: Set<string>): boolean {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size < MIN_WORDS) return false;
  let shared = 0;
  for (const w of small) if (big.has(w)) shared++;
  return shared / small.size >= SAME_SHARE;
}

/** `texts` in order, less each that says what an earlier one, or one of `already`, says. */
export function distinctTexts(texts: readonly string[], already: readonly string[] = []): string[] {
  const kept = already.map(wordsOf);
  return texts.filter((t) => {
    const words = wordsOf(t);
    if (kept.some((k) => sayTheSame(k, words))) return false;
    kept.push(words);
    return true;
  });
}
