import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/capture/redact.js
var SECRET_PATTERNS = [
  // The body stops at the next BEGIN, so text full of unmatched BEGIN lines costs linear time, not quadratic.
  { name: "private key block", pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:(?!-----BEGIN )[\s\S])*?-----END \1PRIVATE KEY-----/g, replace: "[REDACTED:private-key]" },
  // What remains of a block cut by `head`/`tail` (or by the field cap below): redacted to the text's edge.
  { name: "private key block cut off at its end", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*$/g, replace: "[REDACTED:private-key]" },
  { name: "private key block cut off at its start", pattern: /^[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, replace: "[REDACTED:private-key]" },
  { name: "OpenAI / Anthropic style key", pattern: /\b(?:sk|rk)-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}/g, replace: "[REDACTED:api-key]" },
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: "[REDACTED:aws-key]" },
  { name: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g, replace: "[REDACTED:github-token]" },
  { name: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: "[REDACTED:slack-token]" },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: "[REDACTED:google-key]" },
  { name: "Stripe key", pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, replace: "[REDACTED:stripe-key]" },
  { name: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: "[REDACTED:jwt]" },
  { name: "bearer token", pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, replace: "$1[REDACTED:bearer]" },
  {
    name: ".env-style secret assignment",
    // Linear on any input: blanks stay within the line (a run of empty lines is not rescanned from
    // every line start), and the name is taken whole, atomically, once a lookahead saw a keyword in it.
    pattern: /^([ \t]*(?:export[ \t]+)?(?=[A-Za-z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?))(?=([A-Za-z0-9_]+))\2[ \t]*[=:][ \t]*)(["']?)[^\s"'#]{4,}\3/gim,
    replace: "$1[REDACTED]"
  },
  // A scheme starts where no scheme character precedes it (not at every \b inside `a.b-c...`): linear time.
  { name: "URL credentials", pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]{3,}(@)/gi, replace: "$1[REDACTED]$2" }
];
function redact(text) {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    p.pattern.lastIndex = 0;
    out = out.replace(p.pattern, p.replace);
  }
  return out;
}
var FIELD_CAP = 1024 * 1024;
var HEAD = 768 * 1024;
var TAIL = 128 * 1024;
var MARGIN = 64 * 1024;
function storedText(text) {
  if (text.length <= FIELD_CAP)
    return redact(text);
  const cut = text.length - HEAD - TAIL;
  const head = redact(text.slice(0, HEAD + MARGIN));
  const tail = redact(text.slice(-(TAIL + MARGIN)));
  return `${head.slice(0, Math.min(HEAD, head.length - MARGIN / 2))}
[kx: ${cut} characters cut here; the field had ${text.length}]
${tail.slice(Math.max(tail.length - TAIL, MARGIN / 2))}`;
}
function redactDeep(value) {
  if (typeof value === "string")
    return redact(value);
  if (Array.isArray(value))
    return value.map(redactDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  }
  return value;
}

export {
  redact,
  storedText,
  redactDeep
};
