// Other words for what a query names: someone who remembers "signed out" should find the session that said
// "logged out". The table (synonym-groups.ts) holds groups of words and short phrases developers use for the
// same thing; a query's words and phrases are looked up in it, and each one found brings the other members of
// its group as alternatives, which retrieval.ts scores below the words typed and counts once with them.

/** One thing the query names, and the other ways of saying it. */
export interface Expansion {
  /** The query's own word or phrase, as typed (lower case). */
  concept: string;
  /** The group's other members, as the table writes them. */
  alternatives: string[];
}

/** The longest phrase looked up, in words. */
const MAX_PHRASE = 4;
/** Alternatives one concept brings at most, and one query: each one is a lookup in the index. */
const MAX_ALTERNATIVES = 6;
const MAX_PER_QUERY = 16;

/**
 * A word's plain form for matching against the table: "signed", "signing" and "signs" are "sign"; "tries" and
 * "retried" end in "y". Rough on purpose: it only has to make a query's word and the table's word meet, and
 * the index's own porter stemmer then finds every form of an alternative. Pure.
 */
export function plainForm(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (/ie[sd]$/.test(w)) return w.slice(0, -3) + 'y';
  const m = /^(.{3,}?)(ing|ed|es|s)$/.exec(w);
  if (!m || (m[2] === 's' && /[su]s$/.test(w))) return w.replace(/e$/, '');
  let stem = m[1]!;
  // stopped → stop, running → run; but called → call, passed → pass.
  if ((m[2] === 'ing' || m[2] === 'ed') && /([^aeiouy lsz])\1$/.test(stem)) stem = stem.slice(0, -1);
  return stem.replace(/e$/, '');
}

const phraseKey = (words: readonly string[]): string => words.map(plainForm).join(' ');

/** Longest one-word name met only as itself or its plural: "sid" is not the stem of "side", nor "pod" of "podium". */
const SHORT = 3;
const exactKey = (word: string): string => `=${word}`;
/** The keys a query's one word may meet: its plain form, and itself or its singular as a short name. */
function wordKeys(word: string): string[] {
  const singular = /(?:s|x|z|ch|sh)es$/.test(word) ? word.slice(0, -2) : word.replace(/s$/, '');
  return [plainForm(word), exactKey(word), exactKey(singular)];
}
/** A name's key in the table: a short one-word name is kept exact. */
const nameKey = (words: readonly string[]): string => (words.length === 1 && words[0]!.length <= SHORT ? exactKey(words[0]!) : phraseKey(words));
const wordsOf = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}_.-]+/u).map((w) => w.replace(/^[.-]+|[.-]+$/g, '')).filter(Boolean);

/** A name in the table: its text as written, and its plain form. */
type Name = { text: string; key: string };

export interface SynonymTable {
  /** A phrase's plain form → every name of the groups it is in, one per plain form (its own included). */
  readonly names: ReadonlyMap<string, readonly Name[]>;
}

/** The table to look queries up in; each name's plain form is worked out here, once. Pure. */
export function synonymTable(groups: ReadonlyArray<readonly string[]>): SynonymTable {
  const names = new Map<string, Name[]>();
  for (const group of groups) {
    const members = group.map((text) => ({ text, words: wordsOf(text) })).filter((m) => m.words.length > 0 && m.words.length <= MAX_PHRASE);
    const named = members.map((m) => ({ text: m.text, key: nameKey(m.words) }));
    for (const { key } of named) {
      // One name per plain form: the index's stemmer finds "logged out" for "log out".
      const list = names.get(key) ?? [];
      for (const n of named) if (!list.some((l) => l.key === n.key)) list.push(n);
      names.set(key, list);
    }
  }
  return { names };
}

/**
 * The query's words and phrases found in the table, longest first ("signed out" before "out"), each with its
 * group's other members. A word already covered by a longer phrase is not looked up again. Pure.
 */
export function expandQuery(query: string, table: SynonymTable): Expansion[] {
  const words = wordsOf(query);
  const covered = new Array<boolean>(words.length).fill(false);
  const out: Expansion[] = [];
  let given = 0;
  for (let n = MAX_PHRASE; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      if (covered.slice(i, i + n).some(Boolean)) continue;
      const phrase = words.slice(i, i + n);
      const keys = n === 1 ? wordKeys(phrase[0]!) : [phraseKey(phrase)];
      const own = keys.find((k) => table.names.has(k));
      const others = own === undefined ? [] : table.names.get(own)!.filter((name) => name.key !== own);
      const alternatives = others.slice(0, Math.min(MAX_ALTERNATIVES, MAX_PER_QUERY - given)).map((name) => name.text);
      if (alternatives.length === 0) continue;
      covered.fill(true, i, i + n);
      given += alternatives.length;
      out.push({ concept: phrase.join(' '), alternatives });
    }
  }
  return out;
}
