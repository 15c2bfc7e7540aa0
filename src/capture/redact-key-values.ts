// Secrets written as key/value pairs: JSON and Python dicts, YAML, env and properties files, HTTP
// headers, connection strings, URL queries and .npmrc. The value of a key whose name says secret
// (password, token, api key, AccountKey, …) becomes `[REDACTED]`; names, quotes and separators stay.
//
// A scan, not a regex: tool outputs run to megabytes, and a pattern for "a name holding a keyword,
// maybe quoted, then a value" backtracks over long names and unclosed quotes. Here every character
// is stepped over a bounded number of times, and the steps are counted so a test can check it.

import { readReference, templateReferenceEnd, isSecretShaped, type ValueContext } from './redact-value-shape.js';

const KEYWORDS = /secret|passw(?:or)?d|pwd|token|api[_-]?key|access[_-]?key|private[_-]?key|account[_-]?key|credentials?|authorization|auth/gi;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
// Type names too: `apiKey: string` in an interface declares a field, it does not hold a secret.
const NOT_SECRET_VALUES = new Set(['', 'null', 'true', 'false', 'none', 'undefined', 'nil', 'string', 'str']);

interface Span {
  start: number;
  end: number;
}

/** Counts the characters stepped over, so a test can hold the scan to linear work. */
class Cursor {
  steps = 0;
  private memo = new Map<string, { from: number; at: number }>();
  constructor(readonly text: string) {}
  readonly find = (what: string, from: number) => this.indexOf(what, from);

  /** Index of `what` at or after `from` (or -1); remembered, so repeated asks walk the text once. */
  indexOf(what: string, from: number): number {
    const m = this.memo.get(what);
    if (m && from >= m.from && (m.at < 0 || m.at >= from)) return m.at;
    let at: number;
    if (m && from < m.from) {
      // Only the stretch before the last search is new: past it the answer is known.
      const hit = this.text.slice(from, m.from + what.length - 1).indexOf(what);
      this.steps += m.from - from + 1;
      at = hit >= 0 ? from + hit : m.at;
    } else {
      at = this.text.indexOf(what, from);
      this.steps += (at < 0 ? this.text.length : at) - from + 1;
    }
    this.memo.set(what, { from, at });
    return at;
  }

  skipBlanks(from: number, step: 1 | -1): number {
    let i = from;
    while (this.text[i] === ' ' || this.text[i] === '\t') (i += step), this.steps++;
    return i;
  }
}

/** True when a name says its value is a secret: `DB_PASSWORD`, `SecretAccessKey`, `x-api-key`; not `tokens`, `tokenizer`, `PWD`. */
export function isSecretName(name: string): boolean {
  if (/^(?:old)?pwd$/i.test(name)) return false;
  for (const m of name.matchAll(KEYWORDS)) {
    const next = name[m.index + m[0].length];
    const last = m[0][m[0].length - 1]!;
    if (next === undefined || !/[A-Za-z]/.test(next)) return true;
    if (/[a-z]/.test(last) && /[A-Z]/.test(next)) return true; // camelCase: passwordHash, SessionToken
  }
  return false;
}

const isAuthorization = (name: string) => /authorization$/i.test(name);
const looksLikeIdentifier = (name: string) => /[_.\-0-9]|[a-z][A-Z]/.test(name) || isAuthorization(name);

/** The quote that opens or closes a quoted name or value at `at`: `\"` inside a JSON string, `"` or `'`. */
function quoteAt(text: string, at: number): string {
  if (text[at] === '\\' && text[at + 1] === '"') return '\\"';
  return text[at] === '"' || text[at] === "'" ? text[at]! : '';
}

type Where = 'quoted' | 'line' | 'pair' | 'flag' | 'mid' | 'none';

/** What stands before a bare name decides which separators and values it may take. */
function placeOf(c: Cursor, keyStart: number): Where {
  const t = c.text;
  const before = c.skipBlanks(keyStart - 1, -1);
  let lineStart = before;
  if (t[lineStart] === '-' && t[lineStart - 1] !== '-') lineStart = c.skipBlanks(lineStart - 1, -1); // a YAML list item
  else if (lineStart >= 5 && t.slice(lineStart - 5, lineStart + 1) === 'export') lineStart = c.skipBlanks(lineStart - 6, -1);
  if (lineStart < 0 || t[lineStart] === '\n' || t[lineStart] === '\r') return 'line';
  if (before !== keyStart - 1) return 'mid';
  const p = t[before]!;
  if (p === ';' || p === '?' || p === '&' || p === ':') return 'pair';
  if (p === '-' && t[before - 1] === '-') return 'flag';
  return /[\s"'`({[,<>]/.test(p) ? 'mid' : 'none';
}

/** Past the scheme of an Authorization value (`Basic `, `Bearer `), which is not the secret. */
function afterScheme(text: string, at: number): number {
  const scheme = /^[A-Za-z][\w-]* +(?=[^\s"'])/.exec(text.slice(at, at + 40));
  return scheme ? at + scheme[0].length : at;
}

/** The value after a separator at `from`: inside its quotes, or a bare run up to `stops`. */
function valueAt(c: Cursor, from: number, stops: RegExp): (Span & { quoted: boolean; next: number }) | undefined {
  const q = quoteAt(c.text, from);
  if (q) {
    const start = from + q.length;
    let close = c.indexOf(q, start);
    // In a JSON string `\"` is an escaped quote, not the end of the value.
    while (q === '"' && close > 0 && c.text[close - 1] === '\\') close = c.indexOf(q, close + 1);
    const newline = c.indexOf('\n', start);
    if (close < 0 || (newline >= 0 && newline < close)) return undefined;
    return { start, end: close, quoted: true, next: close + q.length };
  }
  let end = from;
  while (end < c.text.length && !stops.test(c.text[end]!)) end++, c.steps++;
  return { start: from, end, quoted: false, next: end };
}

const LINE_STOPS = /[\s"'`]/;
const PAIR_STOPS = /[\s"'`;&,<>]/;
const MID_STOPS = /[\s"'`;&,<>)\]}]/;

type Found = (Span & { next: number }) | { skip: number };

/** What to do with the secret-named key at [nameStart, nameEnd): the value to replace, a reference to step past, or nothing (not a key/value pair). */
function secretValue(c: Cursor, nameStart: number, nameEnd: number, name: string): Found | undefined {
  const t = c.text;
  const q = nameStart > 0 ? quoteAt(t, nameStart - (t[nameStart - 2] === '\\' && t[nameStart - 1] === '"' ? 2 : 1)) : '';
  const quotedName = q !== '' && t.startsWith(q, nameEnd);
  const where: Where = quotedName ? 'quoted' : placeOf(c, nameStart);
  if (where === 'none') return undefined;
  const sepAt = c.skipBlanks(quotedName ? nameEnd + q.length : nameEnd, 1);
  const sep = separatorAt(t, sepAt);
  if (!sep) return undefined;
  if ((where === 'pair' || where === 'flag') && (sep !== '=' || sepAt !== nameEnd)) return undefined;
  const stops = where === 'line' ? LINE_STOPS : where === 'mid' ? MID_STOPS : PAIR_STOPS;
  const valueFrom = c.skipBlanks(sepAt + sep.length, 1);
  const from = isAuthorization(name) && !quoteAt(t, valueFrom) ? afterScheme(t, valueFrom) : valueFrom;
  if (/[{[(]/.test(t[from] ?? '') && !t.startsWith('{{', from)) return undefined; // `auth: { user: …, pass: … }`: the pairs inside are scanned
  const style = styleOf(t, where, sep, sepAt, nameEnd);
  if (!quoteAt(t, from)) {
    const { resume, scanned } = readReference(t, from, { name, style }, c.find);
    c.steps += scanned;
    if (resume !== undefined) return { skip: Math.max(resume, nameEnd) };
  }
  const value = valueAt(c, from, stops);
  if (!value) return undefined;
  if (value.quoted && templateReferenceEnd(t, value.start, c.find) === value.end) return { skip: value.next }; // "${TOKEN}"
  const generated = !value.quoted && isSecretShaped(t.slice(value.start, value.end));
  if (style === 'declare' && !(value.quoted ? endsStatement(c, value.next) : generated)) return undefined; // `= /^[a-z]+$/`, `= "a" in b`
  if (where === 'quoted' && !value.quoted && !generated) return undefined; // `"input_tokens": 5` is a count
  if (where === 'mid' && !value.quoted && !looksLikeIdentifier(name) && !generated) return undefined; // prose: "the password: ask Ana"
  const start = isAuthorization(name) && value.quoted ? afterScheme(t, value.start) : value.start;
  // A statement's end is not part of the value: `token = a8f0…;` keeps its `;`.
  const end = !value.quoted && /^[\w$]+[;,]$/.test(t.slice(start, value.end)) ? value.end - 1 : value.end;
  const v = t.slice(start, end);
  if (NOT_SECRET_VALUES.has(v.toLowerCase()) || v.startsWith('[REDACTED') || /^\d{1,6}$/.test(v)) return undefined;
  return { start, end, next: end === value.end ? value.next : end };
}

/** Whether a declared literal is the whole right side: only the statement's end follows it. */
function endsStatement(c: Cursor, at: number): boolean {
  const next = c.text[c.skipBlanks(at, 1)];
  return next === undefined || /[;,)\r\n]/.test(next);
}

/** The separator at `at`: `:`, `=`, or Go's `:=`; not `==`, `=>`, `::` (a comparison, an arrow, a path). */
function separatorAt(t: string, at: number): ':' | '=' | ':=' | undefined {
  const sep = t[at];
  const next = t[at + 1];
  if (sep === ':') return next === '=' ? ':=' : next === ':' ? undefined : ':';
  return sep === '=' && next !== '=' && next !== '>' ? '=' : undefined;
}

/** How a bare value is read: see ValueContext. */
function styleOf(t: string, where: Where, sep: string, sepAt: number, nameEnd: number): ValueContext['style'] {
  if (where === 'pair' || where === 'flag') return 'env';
  if (sep === ':=' || (where === 'mid' && sep === '=' && sepAt !== nameEnd)) return 'declare'; // `const apiKey = …`, `token := …`
  if (where !== 'line' || sep !== '=') return 'code';
  return sepAt === nameEnd && t[sepAt + 1] !== ' ' && t[sepAt + 1] !== '\t' ? 'env' : 'assign';
}

/** `text` with the values of secret-named keys replaced, and the steps the scan took. */
export function redactKeyValues(text: string): { text: string; steps: number } {
  const c = new Cursor(text);
  const re = new RegExp(KEYWORDS.source, 'gi');
  const out: string[] = [];
  let copied = 0;
  let floor = 0; // nothing before this is looked at again
  for (let m = re.exec(text); m; m = re.exec(text)) {
    c.steps += m.index - floor + 1;
    let nameStart = m.index;
    while (nameStart > floor && NAME_CHAR.test(text[nameStart - 1]!)) nameStart--, c.steps++;
    let nameEnd = m.index + m[0].length;
    while (nameEnd < text.length && NAME_CHAR.test(text[nameEnd]!)) nameEnd++, c.steps++;
    const name = text.slice(nameStart, nameEnd);
    c.steps += name.length;
    const value = isSecretName(name) ? secretValue(c, nameStart, nameEnd, name) : undefined;
    floor = !value ? nameEnd : 'skip' in value ? value.skip : value.next;
    re.lastIndex = floor;
    if (!value || 'skip' in value) continue;
    out.push(text.slice(copied, value.start), '[REDACTED]');
    copied = value.end;
  }
  out.push(text.slice(copied));
  return { text: out.join(''), steps: c.steps };
}
