import { describe, expect, it } from 'vitest';
import { isDeltaHead, ResponsesEventFolder } from '../../src/protocol/responses-events.js';
import { createSseDecoder } from '../../src/protocol/sse-decoder.js';
import { fixtureBytes } from '../support/fixtures.js';

type Seen = { data: string; event: string | undefined };

function decode(chunks: Buffer[], skip: boolean): { seen: Seen[]; skipped: number } {
  const seen: Seen[] = [];
  let skipped = 0;
  const sse = createSseDecoder((data, event) => seen.push({ data, event }), skip ? { test: isDeltaHead, counted: () => skipped++ } : undefined);
  for (const c of chunks) sse.feed(c);
  sse.end();
  return { seen, skipped };
}

/** The same bytes cut every `size` bytes. */
const cut = (bytes: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

const stream = fixtureBytes('http-sse', '01-response.sse');
const isDelta = (s: Seen) => /\.delta$/.test(s.event ?? '');

describe('the SSE decoder skipping deltas', () => {
  it('hands over every other event and counts each delta, however the bytes are cut', () => {
    const all = decode([stream], false).seen;
    expect(all.filter(isDelta).length).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 7, 64, 333, stream.length]) {
      const { seen, skipped } = decode(cut(stream, size), true);
      expect(seen).toEqual(all.filter((s) => !isDelta(s)));
      expect(skipped).toBe(all.filter(isDelta).length);
    }
  });

  it('tells a delta by its data line when the event has no name', () => {
    const bytes = Buffer.from('data: {"type":"response.output_text.delta","delta":"hi"}\n\ndata: {"type":"response.completed","response":{}}\n\n');
    const { seen, skipped } = decode(cut(bytes, 5), true);
    expect(skipped).toBe(1);
    expect(seen.map((s) => JSON.parse(s.data).type)).toEqual(['response.completed']);
  });

  it('keeps a character split across chunks whole in the events it decodes', () => {
    const bytes = Buffer.from('event: response.output_item.done\ndata: {"type":"response.output_item.done","item":{"text":"café ☕ 日本"}}\n\n');
    for (const size of [1, 2, 3]) expect(JSON.parse(decode(cut(bytes, size), true).seen[0]!.data).item.text).toBe('café ☕ 日本');
  });

  it('decodes a stream framed with CRLF whole, deltas included', () => {
    const crlf = Buffer.from(stream.toString('utf8').replace(/\n/g, '\r\n'));
    const plain = decode([stream], false).seen;
    const { seen, skipped } = decode(cut(crlf, 100), true);
    expect(skipped).toBe(0);
    expect(seen).toEqual(plain);
  });

  it('folds a stream to the same summary with deltas skipped, counting every event', () => {
    const fold = (skip: boolean) => {
      const folder = new ResponsesEventFolder();
      const sse = createSseDecoder((d, e) => folder.feedData(d, e), skip ? { test: isDeltaHead, counted: () => folder.countSkipped() } : undefined);
      for (const c of cut(stream, 50)) sse.feed(c);
      sse.end();
      return folder.result();
    };
    expect(fold(true)).toEqual(fold(false));
  });
});
