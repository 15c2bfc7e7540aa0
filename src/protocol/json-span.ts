// Where a value sits inside JSON bytes, so one string can be swapped and every other byte kept
// (learn mode replaces the human's text and nothing else). Structural characters are ASCII, so the
// scan works on UTF-8 bytes directly; nothing is decoded but object keys.

export type JsonPath = ReadonlyArray<string | number>;

export interface Span {
  /** Byte offset of the value's first byte. */
  start: number;
  /** Byte offset just past the value. */
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipWs(b: Buffer, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

function stringEnd(b: Buffer, i: number): number {
  // b[i] is the opening quote.
  for (let j = i + 1; j < b.length; j++) {
    const c = b[j]!;
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  throw new Error('unterminated JSON string');
}

function valueEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === 0x7b || c === 0x5b) {
    // Object or array: match brackets, skipping strings.
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      const d = b[j]!;
      if (d === QUOTE) j = stringEnd(b, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new Error('unterminated JSON container');
  }
  // Number, true, false, null: up to the next delimiter.
  let j = i;
  while (j < b.length) {
    const d = b[j]!;
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    j++;
  }
  if (j === i) throw new Error('expected a JSON value');
  return j;
}

function keyAt(b: Buffer, start: number, end: number): string {
  const raw = b.subarray(start, end);
  return raw.includes(BACKSLASH) ? (JSON.parse(raw.toString('utf8')) as string) : raw.toString('utf8', 1, raw.length - 1);
}

/** The span of the value at `step` inside the container starting at `i`, or undefined. */
function childSpan(b: Buffer, i: number, step: string | number): Span | undefined {
  const open = b[i];
  let j = skipWs(b, i + 1);
  if (open === 0x7b && typeof step === 'string') {
    let found: Span | undefined;
    while (j < b.length && b[j] !== 0x7d) {
      const kEnd = stringEnd(b, j);
      const key = keyAt(b, j, kEnd);
      j = skipWs(b, kEnd);
      j = skipWs(b, j + 1); // ':'
      const vEnd = valueEnd(b, j);
      // The last duplicate wins, as JSON.parse reads it.
      if (key === step) found = { start: j, end: vEnd };
      j = skipWs(b, vEnd);
      if (b[j] === 0x2c) j = skipWs(b, j + 1);
    }
    return found;
  }
  if (open === 0x5b && typeof step === 'number') {
    let n = 0;
    while (j < b.length && b[j] !== 0x5d) {
      const vEnd = valueEnd(b, j);
      if (n === step) return { start: j, end: vEnd };
      n++;
      j = skipWs(b, vEnd);
      if (b[j] === 0x2c) j = skipWs(b, j + 1);
    }
  }
  return undefined;
}

/** The byte span of the value at `path` in a JSON document, or undefined when the path is absent. */
export function jsonSpan(body: Buffer, path: JsonPath): Span | undefined {
  let span: Span = { start: skipWs(body, 0), end: body.length };
  for (const step of path) {
    const next = childSpan(body, span.start, step);
    if (!next) return undefined;
    span = next;
  }
  return span;
}

export interface ByteEdit extends Span {
  /** Bytes that take the span's place (an insertion when start === end). */
  bytes: Buffer;
}

/** Applies non-overlapping edits; every byte outside them is copied as is. */
export function applyEdits(body: Buffer, edits: readonly ByteEdit[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error('overlapping JSON edits');
    parts.push(body.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  parts.push(body.subarray(at));
  return Buffer.concat(parts);
}
