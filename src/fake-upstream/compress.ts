// The fake upstream's compression mode: every answer (SSE, JSON, errors) is compressed with the
// first encoding the client's accept-encoding allows, as real API front ends do. Each write is
// flushed, so a compressed event stream still arrives event by event.

import type http from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/** What the fake can compress with; its zstd is stored blocks (Node 20's zlib has no zstd encoder). */
export type FakeEncoding = 'br' | 'gzip' | 'deflate' | 'deflate-raw' | 'zstd';

/** A compressed answer as the fake put it on the wire, so tests can compare what the client got. */
export interface SentAnswer {
  contentEncoding: string;
  chunks: Buffer[];
}

/**
 * zstd frames of raw (stored) blocks: valid zstd that any decoder reads block by block, enough to
 * exercise framing and streaming. Real compressed zstd frames are in the decoder's unit tests.
 */
export class ZstdStoredBlocks extends Transform {
  private started = false;

  private header(size: number, last: boolean): Buffer {
    const v = (size << 3) | (last ? 1 : 0); // block type 0: raw
    return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    // Magic number; a frame header with no content size and a 128 KiB window (log 17 → 0x38).
    this.push(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.start();
    for (let i = 0; i < chunk.length; i += 128 * 1024) {
      const part = chunk.subarray(i, i + 128 * 1024);
      this.push(Buffer.concat([this.header(part.length, false), part]));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.start();
    this.push(this.header(0, true));
    done();
  }

  /** Every block is out as soon as it is written: a flush only waits for the writes before it. */
  flush(done: () => void): void {
    this.write(Buffer.alloc(0), () => done());
  }
}

/** The encoding to answer with: the first of `offered` the client accepts (deflate-raw goes as "deflate"). */
export function negotiate(acceptEncoding: string | undefined, offered: readonly FakeEncoding[]): FakeEncoding | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((e) => e.split(';')[0]!.trim().toLowerCase())
      .filter(Boolean),
  );
  return offered.find((e) => accepted.has(e === 'deflate-raw' ? 'deflate' : e));
}

export function compressor(enc: FakeEncoding): zlib.Gzip | zlib.Deflate | zlib.DeflateRaw | zlib.BrotliCompress | ZstdStoredBlocks {
  switch (enc) {
    case 'zstd':
      return new ZstdStoredBlocks();
    case 'br':
      return zlib.createBrotliCompress();
    case 'gzip':
      return zlib.createGzip();
    case 'deflate':
      return zlib.createDeflate();
    case 'deflate-raw':
      return zlib.createDeflateRaw();
  }
}

/** Makes `res` send what is written to it through `enc`, with content-encoding set and content-length dropped. */
export function compressResponse(res: http.ServerResponse, enc: FakeEncoding, sent?: SentAnswer[]): void {
  const z = compressor(enc);
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => void;
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
  const record: SentAnswer = { contentEncoding: enc === 'deflate-raw' ? 'deflate' : enc, chunks: [] };
  sent?.push(record);
  z.on('data', (d: Buffer) => {
    record.chunks.push(d);
    write(d);
  });
  z.on('end', () => end());
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((r): r is Record<string, string | number> => typeof r === 'object' && r !== null) ?? {};
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-length') delete headers[k];
    headers['content-encoding'] = enc === 'deflate-raw' ? 'deflate' : enc;
    return writeHead(status, ...(rest.length ? rest.map((r) => (r === headers ? headers : r)) : [headers]));
  }) as typeof res.writeHead;
  res.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    z.write(chunk);
    // Flushed at once: a streamed answer must reach the client event by event.
    z.flush(() => cb?.());
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: string | Buffer | (() => void)) => {
    if (chunk !== undefined && typeof chunk !== 'function') z.write(chunk);
    z.end();
    return res;
  }) as typeof res.end;
}
