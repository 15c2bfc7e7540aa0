// Bytes of an SSE stream, in any split, → (data, event) callbacks.
// eventsource-parser does the framing; a StringDecoder keeps UTF-8 intact across chunks.

import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';

export interface SseDecoder {
  feed(chunk: Uint8Array): void;
  /** Flushes a final event that lacked its blank line. */
  end(): void;
}

/** Events a caller never reads: told apart by their first bytes, counted, and never decoded or parsed. */
export interface SkippedEvents {
  test(head: string): boolean;
  counted(): void;
}

const BLANK_LINE = Buffer.from('\n\n');
const CRLF_BLANK_LINE = Buffer.from('\r\n\r\n');
const HEAD_BYTES = 128;
/** A stream framed with \r\n, or with no "\n\n" this far, is decoded whole (its deltas too). */
const MAX_CARRY = 16 * 1024 * 1024;

export function createSseDecoder(onEvent: (data: string, event: string | undefined) => void, skipped?: SkippedEvents): SseDecoder {
  // Not TextDecoder: in streaming mode it decodes ~6× slower than StringDecoder in Node 20, and was
  // most of capture's cost on a large stream. Both replace invalid bytes with U+FFFD; the BOM that
  // TextDecoder dropped is dropped here.
  const decoder = new StringDecoder('utf8');
  let first = true;
  const text = (s: string): string => {
    if (!first || s.length === 0) return s;
    first = false;
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  };
  const parser = createParser({ onEvent: (e) => onEvent(e.data, e.event) });
  const decode = (bytes: Uint8Array): void => parser.feed(text(decoder.write(bytes)));
  // Events are cut at their blank line on the bytes; only the ones a caller reads are decoded. Deltas
  // are nearly all of a large stream's bytes, and decoding them was most of capture's cost.
  let carry: Buffer[] = [];
  let carried = 0;
  let whole = skipped === undefined;
  const events = (buf: Buffer): void => {
    let pos = 0;
    for (let end = buf.indexOf(BLANK_LINE); end >= 0; end = buf.indexOf(BLANK_LINE, pos)) {
      const next = end + BLANK_LINE.length;
      if (skipped!.test(buf.toString('latin1', pos, Math.min(next, pos + HEAD_BYTES)))) skipped!.counted();
      else decode(buf.subarray(pos, next));
      pos = next;
    }
    carry = pos < buf.length ? [buf.subarray(pos)] : [];
    carried = buf.length - pos;
  };
  const decodeWhole = (chunk: Buffer): void => {
    whole = true;
    for (const part of carry) decode(part);
    carry = [];
    decode(chunk);
  };
  const feedEvents = (chunk: Buffer): void => {
    if (chunk.includes(CRLF_BLANK_LINE)) return decodeWhole(chunk);
    const last = carry.at(-1);
    const ends = chunk.includes(BLANK_LINE) || (last !== undefined && last[last.length - 1] === 0x0a && chunk[0] === 0x0a);
    // Parts of one long event are kept as they came and joined once its end arrives: never a copy per chunk.
    if (ends) return events(carry.length ? Buffer.concat([...carry, chunk]) : chunk);
    carried += chunk.length;
    if (carried > MAX_CARRY) decodeWhole(chunk);
    else carry.push(chunk);
  };
  return {
    feed(chunk) {
      if (whole) decode(chunk);
      else feedEvents(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    end() {
      for (const part of carry) decode(part);
      carry = [];
      parser.feed(text(decoder.end()));
      parser.reset({ consume: true });
    },
  };
}
