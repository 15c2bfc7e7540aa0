// How the fake upstream answers POST /v1/embeddings: deterministically, with no model. A text becomes a
// hashed bag of its stemmed words, after a small synonym table has put a few groups of words on one
// concept ("signed out" and "logged out", "photo" and "image"). Texts that share words, or words of one
// group, land near each other; nothing else does. That proves the plumbing (kx asks in the right place,
// stores, searches and fuses the vectors), not what a real embedding model would find: the groups were
// written for the concepts of the retrieval bench's tuning half (bench/README.md says what they do).

/** Groups of words and phrases that mean one thing here; the first is the concept's name. */
const SYNONYMS: string[][] = [
  ['concurrent', 'same time', 'simultaneous', 'concurrently', 'parallel', 'together', 'race', 'race condition'],
  ['logout', 'logged out', 'signed out', 'log out', 'sign out', 'session expired', 'kicked out'],
  ['renew', 'refresh', 'refreshes', 'rotate'],
  ['tab', 'tabs', 'window', 'windows'],
  ['person', 'people', 'user', 'users', 'customer', 'customers', 'someone'],
  ['calendar', 'date', 'dates', 'day'],
  ['previous', 'yesterday', 'earlier', 'off by one', 'the day before'],
  ['timezone', 'time zone', 'utc', 'dst', 'daylight saving', 'clocks change', 'sydney', 'australia', 'australian'],
  ['settings', 'config', 'configuration', 'env', 'environment', 'environment variables', 'variables'],
  ['missing', 'undefined', 'empty', 'absent', 'not defined', 'gone'],
  ['bundler', 'vite', 'webpack', 'bundle', 'frontend build'],
  ['memory', 'out of memory', 'oom', 'oomkilled', 'ram', 'exit code 137'],
  ['join', 'joining', 'merge', 'merging'],
  ['table', 'tables', 'frame', 'frames', 'dataframe'],
  ['container', 'worker', 'pod'],
  ['typing', 'keystroke', 'keystrokes', 'keypress'],
  ['flood', 'too many requests', 'every keystroke', 'spam'],
  ['flicker', 'flickering', 'jump around', 'flash', 'out of order'],
  ['scheduled', 'cron', 'scheduler', 'schedule'],
  ['duplicate', 'duplicated', 'twice', 'double', 'repeated'],
  ['photo', 'photos', 'image', 'images', 'picture', 'pictures', 'thumbnail'],
  ['phone', 'iphone', 'iphones', 'mobile'],
  ['sideways', 'rotated', 'turned', 'on their side', 'orientation'],
  ['large', 'big', 'huge', 'over 5 gb'],
  ['bucket', 's3', 'object storage'],
  ['fail', 'fails', 'error', 'crash', 'crashes', 'break', 'breaks'],
];

const STOP = new Set(
  'a an the and or but if of to in on at by for with from into as is are was were be been do does did how what why when we you i it its this that our my me not no so can could should would will'.split(' '),
);

/** Phrases first (longest first), then single words, each replaced by its concept's name. */
const PHRASES = SYNONYMS.flatMap((group) => group.map((w) => [w, group[0]!] as const)).sort((a, b) => b[0].length - a[0].length);
const PHRASE = new RegExp(`\\b(${PHRASES.map(([w]) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'g');
const CONCEPT = new Map(PHRASES);

/** A crude stemmer: enough that "refreshes" and "refresh" hash alike. */
const stem = (w: string): string => w.replace(/(ing|ed|es|s)$/, '').replace(/(.)\1$/, '$1') || w;

/** FNV-1a: the same word lands in the same dimension, with the same sign, on every run. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The fake's embedding of a text, `dimensions` floats of unit length (all zeros for a text with no words). */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const lower = text.toLowerCase().replace(PHRASE, (m) => ` ${CONCEPT.get(m) ?? m} `);
  const words = new Set((lower.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w)).map((w) => CONCEPT.get(w) ?? stem(w)));
  for (const w of words) {
    const h = hash(w);
    v[h % dimensions]! += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** The answer to POST /v1/embeddings, shaped like the API's (`input` a string or a list of them). */
export function embeddingsAnswer(body: Record<string, unknown>): { status: number; body: unknown } {
  const input = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : undefined;
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 1536;
  if (!input || !input.every((t): t is string => typeof t === 'string') || dimensions < 1 || dimensions > 3072) {
    return { status: 400, body: { error: { message: "'input' must be a string or an array of strings.", type: 'invalid_request_error', param: 'input', code: null } } };
  }
  const data = input.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t, dimensions) }));
  const tokens = input.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  return { status: 200, body: { object: 'list', data, model: body.model ?? 'text-embedding-3-small', usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}
