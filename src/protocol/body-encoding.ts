// Bodies are forwarded as sent; a copy is decoded here for capture only: request bodies whole, answers
// whole or chunk by chunk as they stream. Codex on ChatGPT login sends zstd (docs/protocol.md §8);
// Node 20's zlib has none, so fzstd does it.

import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { decompress as zstdDecompress, Decompress as ZstdStream } from 'fzstd';

const DECODABLE = new Set(['zstd', 'gzip', 'x-gzip', 'deflate', 'br']);

/** The encodings a Content-Encoding header lists, in the order they were applied; identity left out. */
export function encodingsOf(contentEncoding: string | undefined): string[] {
  return (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
}

/**
 * A body still in the chunks it arrived in: returned as is when it was sent unencoded (so capture
 * can match a resent history chunk by chunk), else joined and decoded.
 */
export function decodeChunks(chunks: readonly Buffer[], contentEncoding: string | undefined): readonly Buffer[] {
  if (encodingsOf(contentEncoding).length === 0) return chunks;
  return [decodeBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), contentEncoding)];
}

export function decodeBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  const encodings = encodingsOf(contentEncoding);
  let out = body;
  // Encodings are listed in the order they were applied; undo them last first.
  for (const enc of encodings.reverse()) {
    switch (enc) {
      case 'zstd':
        out = Buffer.from(zstdDecompress(out));
        break;
      case 'gzip':
      case 'x-gzip':
        out = zlib.gunzipSync(out);
        break;
      case 'deflate':
        // "deflate" means zlib-wrapped; some servers send raw deflate under that name.
        out = looksZlibWrapped(out) ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
        break;
      case 'br':
        out = zlib.brotliDecompressSync(out);
        break;
      default:
        throw new Error(`unsupported content-encoding: ${enc}`);
    }
  }
  return out;
}

/** Why a Content-Encoding cannot be decoded, or undefined when every encoding it lists can be. */
export function undecodableEncoding(contentEncoding: string | undefined): string | undefined {
  const unknown = encodingsOf(contentEncoding).filter((e) => !DECODABLE.has(e));
  return unknown.length ? `unsupported content-encoding: ${unknown.join(', ')}` : undefined;
}

/** A zlib stream starts with a CMF/FLG pair whose 16-bit value is a multiple of 31 (RFC 1950). */
function looksZlibWrapped(head: Uint8Array): boolean {
  return head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
}

/** Inflates zlib-wrapped or raw deflate, told apart by the first bytes. */
class AnyInflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      const opts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
      this.inner = looksZlibWrapped(chunk) ? zlib.createInflate(opts) : zlib.createInflateRaw(opts);
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (err) => this.destroy(err));
    }
    this.inner.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }
}

/** fzstd's streaming decoder as a stream. */
class ZstdDecode extends Transform {
  private readonly z = new ZstdStream((data) => void this.push(Buffer.from(data)));

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.z.push(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.z.push(new Uint8Array(0), true);
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

function stage(encoding: string): Transform {
  // Each chunk that arrives yields what it can at once: a stream is read as it comes, not at its end.
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return new AnyInflate();
    case 'br':
      return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH });
    case 'zstd':
      return new ZstdDecode();
    default:
      throw new Error(`unsupported content-encoding: ${encoding}`);
  }
}

export interface StreamDecoder {
  write(chunk: Buffer): void;
  /** No more chunks; `done` is called once everything decoded has been handed over, or on the first error. */
  end(): void;
}

/**
 * Decodes an encoded stream chunk by chunk: `onData` gets the decoded bytes in order, `onDone` once,
 * after the last of them or with the error that stopped it (a corrupt or truncated stream).
 */
export function createStreamDecoder(contentEncoding: string | undefined, onData: (bytes: Buffer) => void, onDone: (err?: Error) => void): StreamDecoder {
  // Undone in reverse: the last encoding applied is the first taken off.
  const stages = encodingsOf(contentEncoding).reverse().map(stage);
  let finished = false;
  const done = (err?: Error): void => {
    if (finished) return;
    finished = true;
    for (const s of stages) s.destroy();
    onDone(err);
  };
  for (let i = 0; i < stages.length; i++) {
    stages[i]!.on('error', (err) => done(err));
    if (i + 1 < stages.length) stages[i]!.pipe(stages[i + 1]!);
  }
  const last = stages.at(-1)!;
  last.on('data', (d: Buffer) => {
    if (!finished) onData(d);
  });
  last.on('end', () => done());
  return {
    write: (chunk) => {
      if (!finished) stages[0]!.write(chunk);
    },
    end: () => {
      if (!finished) stages[0]!.end();
    },
  };
}
