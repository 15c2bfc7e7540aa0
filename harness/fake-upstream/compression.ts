// The fake upstream compresses its answers the way real front ends do: by the client's
// accept-encoding, with each event flushed as it is sent so a stream stays a stream.

import type http from 'node:http';
import zlib from 'node:zlib';

/**
 * What the fake may answer with, in its order of preference. `deflate-raw` is sent as
 * `content-encoding: deflate` without the zlib wrapper, as some servers do; a stacked entry such
 * as `gzip, br` is applied in the order written.
 */
export type FakeEncoding = 'zstd' | 'br' | 'gzip' | 'x-gzip' | 'deflate' | 'deflate-raw' | `${string}, ${string}`;

export const DEFAULT_OFFER: readonly FakeEncoding[] = ['zstd', 'br', 'gzip', 'deflate'];

/** A compression setting as the fake's options take it: true is the default offer; false or null, none. */
export const offerOf = (offer: readonly FakeEncoding[] | boolean | null | undefined): readonly FakeEncoding[] | null => (offer === true ? DEFAULT_OFFER : offer || null);

/** The content-encodings (with a q above 0) an accept-encoding header allows. */
function accepted(acceptEncoding: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (name && (q === undefined || Number(q.slice(2)) > 0)) out.add(name);
  }
  return out;
}

export const wireName = (e: string): string => (e === 'deflate-raw' ? 'deflate' : e);

/** The first of `offer` whose every encoding the client accepts; undefined: answer uncompressed. */
export function negotiate(acceptEncoding: string | undefined, offer: readonly FakeEncoding[]): string[] | undefined {
  const ok = accepted(acceptEncoding);
  for (const entry of offer) {
    const steps = entry.split(',').map((s) => s.trim());
    if (steps.every((s) => ok.has(wireName(s)) || ok.has('*'))) return steps;
  }
  return undefined;
}

export interface Encoder {
  /** Compresses `chunk` and flushes, so what was written so far can be decoded. */
  write(chunk: Buffer, done: () => void): void;
  end(done: () => void): void;
}

/** One encoding step; `out` receives its compressed bytes in order. */
function encoderFor(enc: string, out: (b: Buffer) => void): Encoder {
  if (enc === 'zstd') return zstdRawBlocks(out);
  const engine =
    enc === 'br' ? zlib.createBrotliCompress() : enc === 'deflate' ? zlib.createDeflate() : enc === 'deflate-raw' ? zlib.createDeflateRaw() : zlib.createGzip();
  const flushKind = enc === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  engine.on('data', out);
  return {
    write: (chunk, done) => {
      engine.write(chunk);
      engine.flush(flushKind, done);
    },
    end: (done) => {
      engine.once('end', done);
      engine.end();
    },
  };
}

/**
 * zstd frames made of raw (stored) blocks: valid zstd that any decoder reads, block by block.
 * Node 20's zlib has no zstd encoder, and a stored block is all the fake needs to exercise
 * framing and streaming; real compressed zstd frames are covered by the decoder's unit tests.
 */
function zstdRawBlocks(out: (b: Buffer) => void): Encoder {
  const MAX_BLOCK = 128 * 1024;
  let started = false;
  const blockHeader = (size: number, last: boolean): Buffer => {
    const v = (size << 3) | (last ? 1 : 0); // block type 0: raw
    return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
  };
  const start = (): void => {
    if (started) return;
    started = true;
    // Magic number, a frame header with no content size and a 128 KiB window (log 17 → 0x38).
    out(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]));
  };
  return {
    write: (chunk, done) => {
      start();
      for (let i = 0; i < chunk.length; i += MAX_BLOCK) {
        const part = chunk.subarray(i, i + MAX_BLOCK);
        out(Buffer.concat([blockHeader(part.length, false), part]));
      }
      done();
    },
    end: (done) => {
      start();
      out(blockHeader(0, true));
      done();
    },
  };
}

/** A chain of encoders applied in order: the first one's output feeds the second. */
export function chain(steps: readonly string[], out: (b: Buffer) => void): Encoder {
  if (steps.length === 1) return encoderFor(steps[0]!, out);
  const last = encoderFor(steps.at(-1)!, out);
  // Each inner flush is followed by the outer step's own flush once the inner output is in.
  const pending: Buffer[] = [];
  const inner = chain(steps.slice(0, -1), (b) => pending.push(b));
  const drain = (done: () => void): void => last.write(Buffer.concat(pending.splice(0)), done);
  return {
    write: (chunk, done) => inner.write(chunk, () => drain(done)),
    end: (done) => inner.end(() => drain(() => last.end(done))),
  };
}

/** A compressed answer as the fake put it on the wire, so tests can compare what the client got. */
export interface SentAnswer {
  contentEncoding: string;
  chunks: Buffer[];
}

type WriteCallback = (err?: Error | null) => void;

/**
 * Compresses everything the handlers write to `res` with the encoding negotiated from `req`, if
 * any: headers gain content-encoding and lose content-length, each write is flushed through.
 */
export function compressAnswer(req: http.IncomingMessage, res: http.ServerResponse, offer: readonly FakeEncoding[], sent?: SentAnswer[]): void {
  const steps = negotiate(req.headers['accept-encoding'] as string | undefined, offer);
  if (!steps) return;
  const raw = { writeHead: res.writeHead.bind(res), write: res.write.bind(res), end: res.end.bind(res) };
  const record: SentAnswer = { contentEncoding: steps.map(wireName).join(', '), chunks: [] };
  sent?.push(record);
  const encoder = chain(steps, (b) => {
    if (res.destroyed) return;
    record.chunks.push(b);
    raw.write(b);
  });
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = { ...((rest.find((r) => typeof r === 'object' && r !== null) as http.OutgoingHttpHeaders | undefined) ?? {}) };
    delete headers['content-length'];
    headers['content-encoding'] = record.contentEncoding;
    headers.vary = 'accept-encoding';
    return raw.writeHead(status, headers);
  }) as typeof res.writeHead;
  res.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
    const cb = rest.find((r): r is WriteCallback => typeof r === 'function');
    encoder.write(Buffer.from(chunk), () => cb?.());
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    const cb = [chunk, ...rest].find((r): r is () => void => typeof r === 'function');
    const finish = (): void => void encoder.end(() => raw.end(cb));
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) encoder.write(Buffer.from(chunk), finish);
    else finish();
    return res;
  }) as typeof res.end;
}
