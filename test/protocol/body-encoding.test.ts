import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { createStreamDecoder, decodeBody, undecodableEncoding } from '../../src/protocol/body-encoding.js';
import { fixtureBytes, fixtureRequest } from '../support/fixtures.js';

describe('request body decoding', () => {
  it('decodes the zstd body Codex sends on ChatGPT login', () => {
    const raw = fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst');
    const decoded = JSON.parse(decodeBody(raw, 'zstd').toString('utf8'));
    expect(decoded).toEqual(fixtureRequest('chatgpt-auth-http-zstd', '18').body);
  });

  it('decodes gzip and leaves identity bodies alone', () => {
    const body = Buffer.from('{"a":1}');
    expect(decodeBody(zlib.gzipSync(body), 'gzip')).toEqual(body);
    expect(decodeBody(body, undefined)).toBe(body);
  });

  it('names an encoding it cannot decode', () => {
    expect(() => decodeBody(Buffer.from('x'), 'compress')).toThrow(/unsupported content-encoding: compress/);
  });
});

describe('answer stream decoding', () => {
  const events = ['data: {"type":"response.created"}\n\n', 'data: {"type":"response.output_item.done"}\n\n', 'data: {"type":"response.completed"}\n\n'];

  /** The events compressed as a server streams them: one flush per event. */
  function flushedStream(z: zlib.Gzip | zlib.Deflate | zlib.DeflateRaw | zlib.BrotliCompress): Promise<Buffer[]> {
    return new Promise((resolve) => {
      const parts: Buffer[] = [];
      let pending = Buffer.alloc(0);
      z.on('data', (d: Buffer) => (pending = Buffer.concat([pending, d])));
      const next = (i: number) => {
        if (i === events.length) {
          z.end();
          z.on('end', () => resolve([...parts, pending]));
          return;
        }
        z.write(events[i]!);
        z.flush(() => {
          parts.push(pending);
          pending = Buffer.alloc(0);
          next(i + 1);
        });
      };
      next(0);
    });
  }

  const decodeAll = (encoding: string, chunks: Buffer[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const d = createStreamDecoder(encoding, (b) => out.push(b), (err) => (err ? reject(err) : resolve(Buffer.concat(out).toString('utf8'))));
      for (const c of chunks) d.write(c);
      d.end();
    });

  for (const [name, make] of [
    ['gzip', () => zlib.createGzip()],
    ['deflate', () => zlib.createDeflate()],
    ['br', () => zlib.createBrotliCompress()],
  ] as const) {
    it(`yields each flushed event of a ${name} stream before the stream ends`, async () => {
      const parts = await flushedStream(make());
      const got: string[] = [];
      let ended = false;
      const d = createStreamDecoder(name, (b) => got.push(b.toString('utf8')), () => (ended = true));
      d.write(parts[0]!);
      await vi.waitFor(() => expect(got.join('')).toBe(events[0]));
      expect(ended).toBe(false);
      for (const p of parts.slice(1)) d.write(p);
      d.end();
      await vi.waitFor(() => expect(ended).toBe(true));
      expect(got.join('')).toBe(events.join(''));
    });
  }

  it('inflates raw deflate sent as "deflate", as some servers do', async () => {
    expect(await decodeAll('deflate', [zlib.deflateRawSync(events.join(''))])).toBe(events.join(''));
  });

  it('decodes a real zstd frame split into small chunks', async () => {
    const raw = fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst');
    const chunks = Array.from({ length: Math.ceil(raw.length / 7) }, (_, i) => raw.subarray(i * 7, i * 7 + 7));
    expect(JSON.parse(await decodeAll('zstd', chunks))).toEqual(fixtureRequest('chatgpt-auth-http-zstd', '18').body);
  });

  it('undoes stacked encodings last first', async () => {
    const body = Buffer.from(events.join(''));
    expect(await decodeAll('gzip, br', [zlib.brotliCompressSync(zlib.gzipSync(body))])).toBe(events.join(''));
    expect(decodeBody(zlib.brotliCompressSync(zlib.gzipSync(body)), 'gzip, br').toString()).toBe(events.join(''));
  });

  it('ends with the error of a corrupt stream', async () => {
    const bad = Buffer.concat([zlib.gzipSync(Buffer.from(events.join(''))).subarray(0, 12), Buffer.from('not gzip at all')]);
    await expect(decodeAll('gzip', [bad])).rejects.toThrow();
  });

  it('names the encodings it cannot decode, and no others', () => {
    expect(undecodableEncoding('gzip, br')).toBeUndefined();
    expect(undecodableEncoding('zstd')).toBeUndefined();
    expect(undecodableEncoding('compress, gzip')).toBe('unsupported content-encoding: compress');
  });
});
