// A person's or an agent's query → the words worth looking for. Questions carry words every document has
// ("how did we fix … last time"): those are dropped, so any remaining word can find a document and BM25
// weighs the rare ones. Identifiers are kept whole; the tokenizer splits snake_case and dotted names into
// adjacent tokens, so a quoted identifier is a phrase that still finds `invalid_grant` as written.

/**
 * English function words, question words and the filler of requests to an agent. "fix" and "solve" are that
 * filler in a memory of agent sessions: nearly every session fixes something, so "how did we fix the redirect"
 * is about the redirect, and a newer "fix the footer" is no answer to it. A lone "out" and the verbs of going
 * ("what went wrong") found "find out why it went down" for "users signed out": a phrase that needs them
 * ("logged out", "out of memory") is still looked up whole through synonyms.ts, which reads the query as typed.
 */
const STOP_WORDS = new Set(
  ('a an the and or but if then else of to in on at by for with from into onto over under about as is are was were be been being ' +
    'do does did done doing have has had having i me my we us our you your it its this that these those there here ' +
    'what which who whom whose when where why how can could should would will shall may might must ' +
    'not no yes so too very just also again still ever last time times before after some any all each ' +
    "let's it's that's what's there's here's i'm i've i'd we're we've we'd you're you've they're don't doesn't didn't isn't aren't wasn't can't won't " +
    'fix fixed fixes fixing solve solved solves solving go goes going gone went out please thanks thank hi hello ok okay get got make made let lets need want way thing things one').split(' '),
);

export const isStopWord = (word: string): boolean => STOP_WORDS.has(word);

/** A query's word as typed: punctuation around it trimmed, kept inside (`import.meta.env`, `invalid_grant`, `0xe9`). */
const trimmed = (raw: string): string => raw.replace(/[\u0000-\u001f]/g, '').replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, '');

/** Words a query is looked up by, lower-cased, stop words out, duplicates out, in the order given. */
export function queryWords(query: string): string[] {
  const out: string[] = [];
  for (const raw of query.split(/\s+/)) {
    // A curly apostrophe is the same word: "let’s" is "let's".
    const w = trimmed(raw).toLowerCase().replace(/\u2019/g, "'");
    if (!/[\p{L}\p{N}]/u.test(w) || STOP_WORDS.has(w) || out.includes(w)) continue;
    out.push(w);
  }
  return out;
}

/** Each looked-up word (as queryWords gives it) → the way it was first typed: a hit names `invalidGrant`, not `invalidgrant`. */
export function typedForms(query: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const raw of query.split(/\s+/)) {
    const w = trimmed(raw);
    if (!forms.has(w.toLowerCase())) forms.set(w.toLowerCase(), w);
  }
  return forms;
}

/**
 * The FTS5 query for those words: each one quoted (never a syntax error), any of them (OR); with `prefixLast`,
 * the last word also matches as a prefix (the console searches as the person types).
 */
export function anyWordQuery(words: readonly string[], prefixLast = false): string | undefined {
  if (words.length === 0) return undefined;
  const quoted = words.map((w) => `"${w.replace(/"/g, '""')}"`);
  if (prefixLast) quoted[quoted.length - 1] += '*';
  return quoted.join(' OR ');
}
