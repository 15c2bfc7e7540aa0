// Bytes of an SSE stream, in any split, → (data, event) callbacks.
// eventsource-parser does the framing; a streaming TextDecoder keeps UTF-8 intact across chunks.

import { createParser } from 'eventsource-parser';

export interface SseDecoder {
  feed(chunk: Uint8Array): void;
  /** Flushes a final event that lacked its blank line. */
  end(): void;
}

export function createSseDecoder(onEvent: (data: string, event: string | undefined) => void): SseDecoder {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: (e) => onEvent(e.data, e.event) });
  return {
    feed(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
    },
    end() {
      parser.feed(decoder.decode());
      parser.reset({ consume: true });
    },
  };
}
