// Identifiers in the words people and agents search by. FTS5's tokenizer keeps `refreshAccessToken` as one
// token and splits `invalid_grant` into two, so a query spelled one way missed a session that wrote the other.
// Each identifier of a document is indexed a second time, in a column of its own, as its parts and (for
// snake_case and dotted names) its parts joined: then `invalidGrant`, `invalid_grant`, `refresh_access_token`
// and `stripe verification` find what was written as `invalid_grant`, `refreshAccessToken` and
// `StripeSignatureVerificationError`.

/** Longer runs are hashes, base64 or minified code, not names anyone searches by. */
const MAX_TOKEN = 80;
/** Bounds the column for a huge tool output: its first this many distinct identifiers. */
const MAX_IDENTIFIERS = 2000;

const TOKEN = /[\p{L}\p{N}_.$]+/gu;
const TOKEN_CHAR = /[\p{L}\p{N}_.$]/u;
const IDENTIFIER_LIKE = /[a-z][A-Z]|[A-Z]{2}[a-z]|[\p{L}\p{N}][_.$][\p{L}\p{N}]/u;

/** An identifier's parts, lower-cased: `HTTPServer_v2` → http, server, v2. Parts of one letter are left out. */
export function identifierParts(token: string): string[] {
  return token
    .split(/[_.$]+/)
    .flatMap((piece) => piece.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' '))
    .map((p) => p.toLowerCase())
    .filter((p) => p.length > 1 && /\p{L}/u.test(p));
}

/**
 * The text of a document's identifier column: for each distinct identifier, its parts in order (so a
 * snake_case query, a phrase to FTS5, finds a camelCase name) and, when it had separators, the parts joined
 * (so a camelCase query, one token, finds a snake_case name). Empty when the text has no identifiers. Pure.
 */
export function identifierWords(text: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { token } of identifierSpans(text)) {
    if (seen.has(token)) continue;
    seen.add(token);
    const parts = identifierParts(token);
    if (parts.length < 2) continue;
    out.push(...parts);
    if (/[_.$]/.test(token)) out.push(parts.join(''));
    if (seen.size >= MAX_IDENTIFIERS) break;
  }
  return out.join(' ');
}

/** Each identifier-like token of the text and where it is, separators at its ends left out. */
export function* identifierSpans(text: string): Generator<{ token: string; start: number; end: number }> {
  for (const m of text.matchAll(TOKEN)) {
    const lead = /^[_.$]*/.exec(m[0])![0].length;
    const token = m[0].slice(lead).replace(/[_.$]+$/, '');
    if (token.length > MAX_TOKEN || !IDENTIFIER_LIKE.test(token)) continue;
    yield { token, start: m.index + lead, end: m.index + lead + token.length };
  }
}

/** The identifier-like token (as identifierSpans gives it) holding position `at` of the text, if there is one. */
export function identifierAround(text: string, at: number): { token: string; start: number; end: number } | undefined {
  // Walked at most MAX_TOKEN characters each way: a longer run is no identifier, and a huge one is not read whole.
  let start = at;
  let end = at;
  while (start > 0 && at - start <= MAX_TOKEN && TOKEN_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && end - at <= MAX_TOKEN && TOKEN_CHAR.test(text[end]!)) end++;
  if (end - start > MAX_TOKEN + 2) return undefined;
  for (const s of identifierSpans(text.slice(start, end))) {
    if (s.start <= at - start && at - start < s.end) return { token: s.token, start: start + s.start, end: start + s.end };
  }
  return undefined;
}
