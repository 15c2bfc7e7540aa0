// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each ranked list gives an item 1 / (k + rank),
// summed over the lists. Only ranks count, so BM25's unbounded scores and cosine distances need no common
// scale, and an item near the top of both lists beats one at the top of only one.

/** The paper's constant: large enough that the first few ranks of one list do not drown the other. */
export const RRF_K = 60;

export interface Fused {
  key: string;
  score: number;
  /** The item's 1-based rank in each list, 0 where a list does not hold it. */
  ranks: number[];
}

/** Keys of several lists, best first, fused into one, best first; ties keep the first list's order. Pure. */
export function reciprocalRankFusion(lists: ReadonlyArray<readonly string[]>, k = RRF_K): Fused[] {
  const fused = new Map<string, Fused>();
  lists.forEach((list, l) => {
    list.forEach((key, i) => {
      let f = fused.get(key);
      if (!f) fused.set(key, (f = { key, score: 0, ranks: lists.map(() => 0) }));
      if (f.ranks[l]) return; // a key twice in one list counts at its best rank
      f.ranks[l] = i + 1;
      f.score += 1 / (k + i + 1);
    });
  });
  const firstRank = (f: Fused) => f.ranks.map((r, l) => (r ? l * 1e6 + r : Infinity)).reduce((a, b) => Math.min(a, b));
  return [...fused.values()].sort((a, b) => b.score - a.score || firstRank(a) - firstRank(b));
}
