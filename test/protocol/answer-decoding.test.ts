import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createStreamDecoder } from '../../src/protocol/body-encoding.js';
import { fixtureBytes } from '../support/fixtures.js';
import { compressedEvents } from '../support/compressed.js';

const SSE = fixtureBytes('http-sse', '01-response.sse');
/** The same stream compressed by the zstd CLI (v1.5.4), in small blocks as a flushing server sends them. */
const ZSTD_FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'compressed');
const zstdFixture = (name: string): Buffer => fs.readFileSync(path.join(ZSTD_FIXTURES, name));

const events = (sse: Buffer): string[] => sse.toString('utf8').split('\n\n').filter(Boolean).map((e) => `${e}\n\n`);

/** Waits (at most 2 s) for `ok`; the decoders work off the thread, so output comes a moment after input. */
async function eventually(ok: () => boolean): Promise<boolean> {
  for (const until = Date.now() + 2000; !ok() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 2));
  return ok();
}

/** Feeds `chunks` one at a time; after the k-th, waits for the first k expected pieces, before the stream ends. */
async function decodeInSteps(encoding: string, chunks: readonly Buffer[], expected: readonly string[] = []): Promise<{ outBeforeEnd: boolean[]; reason: string | undefined; all: string }> {
  let seen = '';
  const decoder = createStreamDecoder(encoding, (b) => (seen += b.toString('utf8')));
  const outBeforeEnd: boolean[] = [];
  for (const [k, chunk] of chunks.entries()) {
    decoder.write(chunk);
    const want = expected.slice(0, k + 1).join('');
    if (k < expected.length) outBeforeEnd.push(await eventually(() => seen.startsWith(want)));
  }
  const reason = await decoder.end();
  return { outBeforeEnd, reason, all: seen };
}

describe('answer decoding, as a stream', () => {
  for (const encoding of ['gzip', 'x-gzip', 'deflate', 'deflate-raw', 'br', 'zstd', 'gzip, br']) {
    it(`yields each flushed event of a ${encoding} stream at once, before the stream ends`, async () => {
      const sent = events(SSE);
      const { header, chunks } = await compressedEvents(encoding, sent);
      const { outBeforeEnd, reason, all } = await decodeInSteps(header, chunks, sent);
      expect(reason).toBeUndefined();
      expect(all).toBe(SSE.toString('utf8'));
      expect(outBeforeEnd).toEqual(sent.map(() => true));
    });
  }

  it('decodes a real zstd frame made of compressed blocks, block by block', async () => {
    const frame = zstdFixture('01-response.sse.blocks.zst');
    const halves = [frame.subarray(0, frame.length >> 1), frame.subarray(frame.length >> 1)];
    // The first half holds the first block whole: the first 732 bytes, out before the rest arrives.
    const { outBeforeEnd, reason, all } = await decodeInSteps('zstd', halves, [SSE.subarray(0, 732).toString('utf8')]);
    expect(reason).toBeUndefined();
    expect(all).toBe(SSE.toString('utf8'));
    expect(outBeforeEnd).toEqual([true]);
  });

  it('decodes a real zstd frame fed a byte at a time', async () => {
    let seen = Buffer.alloc(0);
    const decoder = createStreamDecoder('zstd', (b) => (seen = Buffer.concat([seen, b])));
    const frame = zstdFixture('01-response.sse.zst');
    for (let i = 0; i < frame.length; i++) decoder.write(frame.subarray(i, i + 1));
    expect(await decoder.end()).toBeUndefined();
    expect(seen.equals(SSE)).toBe(true);
  });

  it('refuses an encoding it does not know before any byte', () => {
    expect(() => createStreamDecoder('compress', () => {})).toThrow(/unsupported content-encoding: compress/);
  });

  for (const encoding of ['gzip', 'br', 'deflate', 'zstd']) {
    it(`says why a corrupt ${encoding} stream cannot be decoded`, async () => {
      const decoder = createStreamDecoder(encoding, () => {});
      decoder.write(Buffer.from('data: {"type":"response.created"}\n\n this is not compressed at all, not even close'));
      expect(await decoder.end()).toMatch(new RegExp(`^content-encoding ${encoding}: .+`));
    });
  }

  for (const encoding of ['gzip', 'br', 'deflate', 'zstd']) {
    it(`says a ${encoding} stream that stops mid-way is truncated, after yielding every event before the stop`, async () => {
      const sent = events(SSE).slice(0, 5);
      const { header, chunks } = await compressedEvents(encoding, sent);
      let seen = '';
      const decoder = createStreamDecoder(header, (b) => (seen += b.toString('utf8')));
      // Every event flushed, but not the encoding's end (gzip's trailer, zstd's last block, …).
      for (const chunk of chunks.slice(0, -1)) decoder.write(chunk);
      expect(await decoder.end()).toMatch(new RegExp(`^content-encoding ${encoding}: .+`));
      expect(seen).toBe(sent.join(''));
    });
  }
});
