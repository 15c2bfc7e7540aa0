// A hit's passage when only the identifier column matched (identifiers.ts): that column holds names split
// into words nobody wrote (`stripe signature verification error`), so the passage is taken from the stored
// text instead, around the identifier as written, with the whole identifier marked.

import { identifierAround, identifierParts, identifierSpans } from './identifiers.js';

/** Characters of text kept on each side of the identifier (FTS5's own snippets keep about a dozen words). */
const CONTEXT_CHARS = 100;
const START = '\u0001';
const END = '\u0002';

/** The words an FTS5 snippet marked between \u0001 and \u0002, lower-cased. */
export function markedWords(snippet: string): string[] {
  return [...snippet.matchAll(/\u0001([^\u0002]*)\u0002/g)].flatMap((m) => m[1]!.toLowerCase().split(/\s+/).filter(Boolean));
}

/** How many of `words` name a part of the identifier, or the whole of it joined (`invalidgrant`). */
function partsMatched(token: string, words: ReadonlySet<string>): number {
  const parts = identifierParts(token);
  const joined = words.has(parts.join('')) ? 1 : 0;
  return parts.filter((p) => words.has(p)).length + joined;
}

/** Occurrences of one marked word looked at before giving it up: a common part ("error") is mostly plain words. */
const TRIES_PER_WORD = 2000;

/** A marked word as the text may write it: any case, separators between its letters (`invalidgrant` is `invalid_grant`). */
const writtenForms = (word: string): RegExp => new RegExp([...word].map((c) => c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('[_.$]*'), 'giu');

/** The first identifier of the text holding `word`, found by searching for the word rather than reading every token. */
function firstHolding(text: string, word: string, words: ReadonlySet<string>): { start: number; end: number; n: number } | undefined {
  let tries = 0;
  for (const m of text.matchAll(writtenForms(word))) {
    if (++tries > TRIES_PER_WORD) return undefined;
    const span = identifierAround(text, m.index);
    const n = span ? partsMatched(span.token, words) : 0;
    if (span && n > 0) return { start: span.start, end: span.end, n };
  }
  return undefined;
}

/**
 * The stored text around the identifier holding most of the marked words (the first of equals), each such
 * identifier in the passage marked as written; `…` where the text goes on. Undefined when no identifier of the
 * text holds them. Pure: without its marks and ellipses, the passage is a substring of `text`.
 */
export function identifierPassage(text: string, marked: readonly string[]): string | undefined {
  const words = new Set(marked);
  let best: { start: number; end: number; n: number } | undefined;
  for (const w of words) {
    const found = firstHolding(text, w, words);
    if (found && (!best || found.n > best.n || (found.n === best.n && found.start < best.start))) best = found;
  }
  if (!best) return undefined;
  const from = wordStart(text, Math.max(0, best.start - CONTEXT_CHARS), best.start);
  const to = wordEnd(text, Math.min(text.length, best.end + CONTEXT_CHARS), best.end);
  const window = text.slice(from, to);
  let out = '';
  let at = 0;
  for (const s of identifierSpans(window)) {
    if (partsMatched(s.token, words) === 0) continue;
    out += `${window.slice(at, s.start)}${START}${s.token}${END}`;
    at = s.end;
  }
  out += window.slice(at);
  return `${from > 0 ? '…' : ''}${out.trim()}${to < text.length ? '…' : ''}`;
}

/** `at`, moved forward to the start of a whole word (never past `limit`) unless it is the text's start. */
function wordStart(text: string, at: number, limit: number): number {
  if (at === 0) return 0;
  const space = text.slice(at, limit).search(/\s/);
  return space < 0 ? limit : at + space + 1;
}

/** `at`, moved back to the end of a whole word (never before `limit`) unless it is the text's end. */
function wordEnd(text: string, at: number, limit: number): number {
  if (at === text.length) return at;
  const space = text.slice(limit, at).search(/\s\S*$/);
  return space < 0 ? limit : limit + space;
}
