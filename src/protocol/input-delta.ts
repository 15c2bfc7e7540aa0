// Codex resends the whole history on every HTTP request (docs/protocol.md §2.1). To keep capture's
// cost proportional to what is new, remember the bytes of the last body up to its last input item;
// when the next body starts with those same bytes, only the items after them are parsed.
// Works on raw UTF-8 bytes: multi-byte sequences never contain ASCII quotes, brackets or backslashes.

export interface InputCursor {
  /**
   * Body bytes from the start up to the end of the last input item, as segments: each request adds
   * only its new tail, so a long session's history is never copied again.
   */
  prefix: Buffer[];
  prefixLength: number;
  /** The body's text before the input array's `[` (model, instructions, ...). */
  head: string;
  /** Offset of the input array's `[` in the body. */
  arrayStart: number;
  itemCount: number;
}

export interface BodySplit {
  /** The body with `input` emptied: every other top-level field. */
  top: Record<string, unknown>;
  /** Input items after the remembered prefix (all items when the prefix did not match). */
  newItems: unknown[];
  /** How many items the prefix covered and were not parsed again. */
  skipped: number;
  /** Cursor to pass with the next body of the same conversation; undefined when the body has no input array. */
  cursor: InputCursor | undefined;
  /** True when the cursor's prefix matched and only the tail was parsed. */
  fromCursor: boolean;
}

/**
 * The cursor's prefix after a full parse. A large body is nearly all prefix, so it is kept as is: copying
 * it on every request was most of what a long session's history cost (garbage to collect). A small one
 * is copied, so it does not pin a shared pool or socket buffer for as long as the cursor lives.
 */
const prefixOf = (body: Buffer, end: number): Buffer => (body.length > 64 * 1024 ? body.subarray(0, end) : Buffer.from(body.subarray(0, end)));

/** An exact-size copy outside Buffer's shared pool, so a kept segment pins nothing else. */
function ownCopy(b: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(b.length);
  b.copy(out);
  return out;
}

/** Past this many segments a prefix is joined into one, to keep comparisons short. */
const MAX_SEGMENTS = 64;

const totalLength = (chunks: readonly Buffer[]): number => chunks.reduce((n, c) => n + c.length, 0);

/** Whether the bytes of `chunks` start with the bytes of `segments` (any boundaries on either side). */
function startsWith(chunks: readonly Buffer[], segments: readonly Buffer[]): boolean {
  let ci = 0;
  let co = 0;
  for (const seg of segments) {
    let so = 0;
    while (so < seg.length) {
      const c = chunks[ci];
      if (!c) return false;
      const n = Math.min(c.length - co, seg.length - so);
      if (c.compare(seg, so, so + n, co, co + n) !== 0) return false;
      so += n;
      co += n;
      if (co === c.length) {
        ci++;
        co = 0;
      }
    }
  }
  return true;
}

/** The bytes of `chunks` from `from` to the end, as one buffer. */
function bytesFrom(chunks: readonly Buffer[], from: number): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const c of chunks) {
    const end = offset + c.length;
    if (end > from) parts.push(offset >= from ? c : c.subarray(from - offset));
    offset = end;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;

function skipWs(b: Buffer, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function skipString(b: Buffer, i: number): number {
  // b[i] is the opening quote; returns the index after the closing quote.
  i++;
  while (i < b.length) {
    const c = b[i]!;
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i++;
  }
  throw new SyntaxError('unterminated string');
}

/** Index just after the JSON value starting at i. */
function skipValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    while (i < b.length) {
      const d = b[i]!;
      if (d === QUOTE) {
        i = skipString(b, i);
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('unterminated container');
  }
  while (i < b.length) {
    const d = b[i]!;
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) return i;
    i++;
  }
  return i;
}

/** Start and end offsets of the top-level `input` array, or undefined. */
function findArray(b: Buffer, name: string): { start: number; end: number } | undefined {
  let i = skipWs(b, 0);
  if (b[i] !== OPEN_BRACE) return undefined;
  i = skipWs(b, i + 1);
  while (i < b.length && b[i] !== CLOSE_BRACE) {
    if (b[i] !== QUOTE) return undefined;
    const keyEnd = skipString(b, i);
    const key = b.toString('utf8', i + 1, keyEnd - 1);
    i = skipWs(b, keyEnd);
    if (b[i] !== COLON) return undefined;
    i = skipWs(b, i + 1);
    const valueEnd = skipValue(b, i);
    if (key === name && b[i] === OPEN_BRACKET) return { start: i, end: valueEnd };
    i = skipWs(b, valueEnd);
    if (b[i] === COMMA) i = skipWs(b, i + 1);
  }
  return undefined;
}

/** Elements of an array, from `from` (just inside `[` or at a comma between elements) to the `]`. */
function scanElements(b: Buffer, from: number): { items: Array<[number, number]>; close: number } {
  const items: Array<[number, number]> = [];
  let i = skipWs(b, from);
  if (b[i] === COMMA) i = skipWs(b, i + 1);
  while (i < b.length && b[i] !== CLOSE_BRACKET) {
    const end = skipValue(b, i);
    items.push([i, end]);
    i = skipWs(b, end);
    if (b[i] === COMMA) i = skipWs(b, i + 1);
    else if (b[i] !== CLOSE_BRACKET) throw new SyntaxError('malformed input array');
  }
  if (b[i] !== CLOSE_BRACKET) throw new SyntaxError('unterminated input array');
  return { items, close: i };
}

function parseTop(head: string, after: string): Record<string, unknown> {
  const top: unknown = JSON.parse(head + '[]' + after);
  if (typeof top !== 'object' || top === null || Array.isArray(top)) throw new SyntaxError('body is not a JSON object');
  return top as Record<string, unknown>;
}

function fullParse(body: Buffer, name: string): BodySplit {
  const value: unknown = JSON.parse(body.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('body is not a JSON object');
  const top = value as Record<string, unknown>;
  const input = top[name];
  if (!Array.isArray(input)) return { top, newItems: [], skipped: 0, cursor: undefined, fromCursor: false };
  let cursor: InputCursor | undefined;
  try {
    const range = findArray(body, name);
    if (range) {
      const { items } = scanElements(body, range.start + 1);
      const last = items[items.length - 1];
      const prefixEnd = last ? last[1] : range.start + 1;
      cursor = { prefix: [prefixOf(body, prefixEnd)], prefixLength: prefixEnd, head: body.toString('utf8', 0, range.start), arrayStart: range.start, itemCount: items.length };
    }
  } catch {
    cursor = undefined; // parsed fine as JSON but odd layout: just no fast path next time
  }
  return { top: { ...top, [name]: [] }, newItems: input, skipped: 0, cursor, fromCursor: false };
}

/** Splits a request body into its top-level fields and the items of `arrayName` not covered by `cursor`. */
export function splitRequestBody(body: Buffer, cursor: InputCursor | undefined, arrayName = 'input'): BodySplit {
  return splitRequestChunks([body], cursor, arrayName);
}

/**
 * The same for a body still in the chunks it arrived in: when the cursor's prefix matches, only the
 * new tail is ever copied or parsed, however long the history it resends.
 */
export function splitRequestChunks(chunks: readonly Buffer[], cursor: InputCursor | undefined, arrayName = 'input'): BodySplit {
  if (cursor && totalLength(chunks) > cursor.prefixLength && startsWith(chunks, cursor.prefix)) {
    const tail = bytesFrom(chunks, cursor.prefixLength);
    try {
      const { items, close } = scanElements(tail, 0);
      if (cursor.itemCount === 0 || tail[skipWs(tail, 0)] === COMMA || items.length === 0) {
        const newItems = items.map(([s, e]) => JSON.parse(tail.toString('utf8', s, e)) as unknown);
        const top = parseTop(cursor.head, tail.toString('utf8', close + 1));
        const added = items.length ? items[items.length - 1]![1] : 0;
        let prefix = added ? [...cursor.prefix, ownCopy(tail.subarray(0, added))] : cursor.prefix;
        if (prefix.length > MAX_SEGMENTS) prefix = [Buffer.concat(prefix)];
        return {
          top,
          newItems,
          skipped: cursor.itemCount,
          cursor: { ...cursor, prefix, prefixLength: cursor.prefixLength + added, itemCount: cursor.itemCount + items.length },
          fromCursor: true,
        };
      }
    } catch {
      // fall through to a full parse, which reports real syntax errors
    }
  }
  return fullParse(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), arrayName);
}
