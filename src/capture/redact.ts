// Secrets that show up in captured content (a tool output that printed .env, a pasted key) are
// replaced before anything is stored. The list is documented in docs/reliability.md; each pattern has a
// real-looking sample in test/capture/redact.test.ts. Values of keys named like secrets
// (`"password": …`, `AccountKey=…`, `x-api-key: …`) are found by redact-key-values.ts.

import { redactKeyValues } from './redact-key-values.js';
import { cutMark } from '../text/head-and-tail.js';

export interface SecretPattern {
  name: string;
  pattern: RegExp;
  /** Replacement; `$1` keeps a prefix such as `API_KEY=` so the text still reads. */
  replace: string;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // The body stops at the next BEGIN, so text full of unmatched BEGIN lines costs linear time, not quadratic.
  { name: 'private key block', pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:(?!-----BEGIN )[\s\S])*?-----END \1PRIVATE KEY-----/g, replace: '[REDACTED:private-key]' },
  // What remains of a block cut by `head`/`tail` (or by the field cap below): redacted to the text's edge.
  { name: 'private key block cut off at its end', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*$/g, replace: '[REDACTED:private-key]' },
  { name: 'private key block cut off at its start', pattern: /^[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, replace: '[REDACTED:private-key]' },
  { name: 'OpenAI / Anthropic style key', pattern: /\b(?:sk|rk)-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}/g, replace: '[REDACTED:api-key]' },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: '[REDACTED:aws-key]' },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g, replace: '[REDACTED:github-token]' },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: '[REDACTED:slack-token]' },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: '[REDACTED:google-key]' },
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/g, replace: '[REDACTED:hf-token]' },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: '[REDACTED:npm-token]' },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: '[REDACTED:gitlab-token]' },
  { name: 'Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, replace: '[REDACTED:stripe-key]' },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: '[REDACTED:jwt]' },
  { name: 'bearer token', pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, replace: '$1[REDACTED:bearer]' },
  // A scheme starts where no scheme character precedes it (not at every \b inside `a.b-c...`): linear time.
  { name: 'URL credentials', pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]{3,}(@)/gi, replace: '$1[REDACTED]$2' },
];

export function redact(text: string): string {
  return redactKeyValues(redactPatterns(text)).text;
}

function redactPatterns(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    p.pattern.lastIndex = 0;
    out = out.replace(p.pattern, p.replace);
  }
  return out;
}

/** The steps the key/value scan takes on `text`: a test holds it to linear work. */
export function redactionWork(text: string): number {
  return redactKeyValues(redactPatterns(text)).steps;
}

/** Longest text, arguments or output stored whole; a 50 MB `cat` is kept as its head and tail. */
export const FIELD_CAP = 1024 * 1024;
const HEAD = 768 * 1024;
const TAIL = 128 * 1024;

/**
 * Room redacted beyond each cut. A key that straddles a cut is whole inside the margin, so it is
 * redacted before the cut is made; what the margin itself cuts in two lies in the part thrown away.
 */
const MARGIN = 64 * 1024;

/**
 * What is stored of a captured field: redacted, and past FIELD_CAP its head and tail around a marker.
 * Only the kept pieces and a margin around them are redacted, so a huge tool output costs the same
 * as a 1 MB one and never stalls forwarding.
 */
export function storedText(text: string): string {
  if (text.length <= FIELD_CAP) return redact(text);
  const cut = text.length - HEAD - TAIL;
  // A secret cut by a window's edge stays unmatched at that edge; at least half the margin is dropped
  // there, even when redaction made the window shorter.
  const head = redact(text.slice(0, HEAD + MARGIN));
  const tail = redact(text.slice(-(TAIL + MARGIN)));
  return head.slice(0, Math.min(HEAD, head.length - MARGIN / 2)) + cutMark(cut, `the field had ${text.length}`) + tail.slice(Math.max(tail.length - TAIL, MARGIN / 2));
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
