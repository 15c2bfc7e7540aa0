// Bytes of an SSE stream, in any split, → (data, event) callbacks.
// eventsource-parser does the framing; a StringDecoder keeps UTF-8 intact across chunks.

import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';

export interface SseDecoder {
  feed(chunk: Uint8Array): void;
  /** Flushes a final event that lacked its blank line. */
  end(): void;
}

export function createSseDecoder(onEvent: (data: string, event: string | undefined) => void): SseDecoder {
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
  return {
    feed(chunk) {
      parser.feed(text(decoder.write(chunk)));
    },
    end() {
      parser.feed(text(decoder.end()));
      parser.reset({ consume: true });
    },
  };
}
