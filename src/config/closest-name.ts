// "Did you mean": the known name nearest to what was typed.

/** Edit distance (names are short; quadratic is fine). */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `given`, if one is close enough to be a typo of it (two edits, or a third of its letters), or begins with it. */
export function closestName(given: string, names: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(given.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(given.toLowerCase(), name.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  // A name typed short ("KX_UPSTREAM" for KX_UPSTREAM_BASE_URL): the shortest known name it begins.
  if (given.length < 6) return undefined;
  return names.filter((n) => n.toLowerCase().startsWith(given.toLowerCase())).sort((a, b) => a.length - b.length)[0];
}
