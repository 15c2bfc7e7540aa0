// Whether the bare value after a secret-named key is a literal that may be a secret, or code that
// only names one: `refresh_token: session.refreshToken`, `api_key=os.environ["KEY"]`, `$TOKEN`,
// `${{ secrets.TOKEN }}`. Redacting a reference hides nothing and wrecks the code a person reads later.
// Pure functions over the text; the caller counts the characters they step over.

const IDENT_START = /[A-Za-z_$]/;
const IDENT_CHAR = /[A-Za-z0-9_$]/;
/** What may follow a complete expression in code: blanks, the line's end, a delimiter, a closing quote or a comment. */
const CLEAN_END = /[\s,;)\]}"'`#]/;
const CODE_DELIMITER = /[,;)\]}]/;
/** After `name = word`, what makes it code (`password or getpass()`, `token if ok else None`), not an INI value with a space. */
const CONTINUES_EXPRESSION = /^(?:[-+*/%|&^?<>!=.]|(?:or|and|if|else|in|is|not|for)\b)/;
/** Words before an expression that leave it an expression. */
const PREFIX_WORDS = new Set(['await', 'new', 'yield', 'typeof']);

/** Finds `what` at or after `from` (-1 when absent); the caller's finder remembers, so asks stay linear. */
export type Find = (what: string, from: number) => number;

/**
 * Where an identifier chain starting at `at` ends (`a.b?.c_d`), with its parts; end is `at` when
 * the text there is not an identifier.
 */
export function identifierChain(text: string, at: number): { end: number; parts: string[] } {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    if (!IDENT_START.test(text[i] ?? '')) break;
    const start = i;
    while (i < text.length && IDENT_CHAR.test(text[i]!)) i++;
    parts.push(text.slice(start, i));
    const dot = text[i] === '.' ? 1 : text[i] === '?' && text[i + 1] === '.' ? 2 : 0;
    if (!dot || !IDENT_START.test(text[i + dot] ?? '')) break;
    i += dot;
  }
  return { end: parts.length ? i : at, parts };
}

/**
 * True when a word looks generated rather than named: long, and full of digits or of switches between
 * lower case, upper case and digits (`a8f0c2e4b6d81357`, `eyJ1Ijoi…`), unlike `refreshTokenExpiresAt`.
 */
export function isSecretShaped(word: string): boolean {
  if (word.length < 12) return false;
  let digits = 0;
  let switches = 0;
  let last = '';
  for (const ch of word) {
    const cls = /[0-9]/.test(ch) ? 'd' : /[a-z]/.test(ch) ? 'l' : /[A-Z]/.test(ch) ? 'u' : '';
    if (cls === 'd') digits++;
    if (cls && last && cls !== last) switches++;
    if (cls) last = cls;
  }
  return digits >= 4 || switches / word.length > 0.45;
}

/**
 * End of a shell or template reference at `at`: `$NAME` (upper case), `${…}`, `${{ … }}`, `{{ … }}` (closed on the
 * same line); for `$(…)` the end of `$(`, so the command inside is still scanned. -1 when there is none.
 */
export function templateReferenceEnd(text: string, at: number, find: Find): number {
  if (text[at] === '$' && text[at + 1] === '(') return at + 2;
  if (text[at] === '$' && /[A-Za-z_]/.test(text[at + 1] ?? '')) {
    let end = at + 1;
    while (end < text.length && IDENT_CHAR.test(text[end]!) && text[end] !== '$') end++;
    // `$DB_PASSWORD` is a variable; `$ecretPass` may be a password where nothing expands it (JSON, python-dotenv).
    return /^\$[A-Z_][A-Z0-9_]*$/.test(text.slice(at, end)) ? end : -1;
  }
  if (!text.startsWith('${', at) && !text.startsWith('{{', at)) return -1;
  const close = find('}', at + 2);
  const newline = find('\n', at);
  if (close < 0 || (newline >= 0 && newline < close)) return -1;
  return text[close + 1] === '}' ? close + 2 : close + 1;
}

/** `refresh_token` and `refreshToken` name the same thing. */
const sameWord = (a: string, b: string) => a.replace(/[_-]/g, '').toLowerCase() === b.replace(/[_-]/g, '').toLowerCase();

export interface ValueContext {
  /** The key's name (its last dotted part is compared with a plain identifier value). */
  name: string;
  /**
   * `env`: `.env`, properties, connection strings and flags, where a bare word is the value itself;
   * `assign`: `name = value` at a line's start (code, or an INI file); `declare`: `const name = value`,
   * `name := value` (code for sure: only a literal can hold a secret); `code`: any other place.
   */
  style: 'env' | 'assign' | 'declare' | 'code';
}

/**
 * When the bare value at `at` is code naming a secret, where the scan resumes (past it, or inside a
 * call's parentheses, which may hold literals); undefined when it is a literal. `scanned` counts the
 * characters looked at.
 */
export function readReference(text: string, at: number, ctx: ValueContext, find: Find): { resume: number | undefined; scanned: number } {
  let scanned = 0;
  const resume = referenceResume(text, at, ctx, find, (end) => (scanned = Math.max(scanned, end - at)));
  return { resume, scanned };
}

function referenceResume(text: string, at: number, ctx: ValueContext, find: Find, saw: (end: number) => void): number | undefined {
  const template = templateReferenceEnd(text, at, find);
  if (template >= 0) {
    if (text[at + 1] === '(') return template;
    const word = text.slice(at, template).replace(/^\$/, '');
    return (template >= text.length || CLEAN_END.test(text[template]!)) && !isSecretShaped(word) ? template : undefined;
  }
  let chain = identifierChain(text, at);
  const first = chain.parts[0];
  if (chain.parts.length === 1 && first && PREFIX_WORDS.has(first) && text[chain.end] === ' ') chain = identifierChain(text, chain.end + 1);
  saw(chain.end);
  if (!chain.parts.length || chain.parts.some(isSecretShaped)) return undefined;
  const keyWord = ctx.name.slice(ctx.name.lastIndexOf('.') + 1);
  if (chain.parts.length === 1 && sameWord(chain.parts[0]!, keyWord) && (chain.end >= text.length || CLEAN_END.test(text[chain.end]!))) return chain.end;
  if (ctx.style === 'env') return undefined;
  const next = text[chain.end];
  if (next === '(' || next === '[') return chain.end; // a call or an index
  if (next !== undefined && !CLEAN_END.test(next)) return undefined; // `a.b-c`, `abc@host`: one literal
  if (chain.parts.length > 1 || ctx.style === 'declare') return chain.end;
  // A plain word: code when a delimiter follows it, or, after `name = `, more of an expression.
  let after = chain.end;
  while (text[after] === ' ' || text[after] === '\t') after++;
  saw(after);
  const then = text[after];
  if (then !== undefined && CODE_DELIMITER.test(then)) return chain.end;
  if (ctx.style === 'assign' && CONTINUES_EXPRESSION.test(text.slice(after, after + 8))) return chain.end;
  return undefined;
}
