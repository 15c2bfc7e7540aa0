// Bodies are forwarded as sent; a copy is decoded here for capture only, per its content-encoding.
// Request bodies are decoded whole; answers as a stream, so each flushed chunk yields its events at
// once. Codex on ChatGPT login sends zstd bodies (docs/protocol.md §8) and Codex 0.171 accepts zstd
// answers; Node 20's zlib has no zstd, so fzstd does it.

import zlib from 'node:zlib';
import { Decompress as ZstdStream, decompress as zstdDecompress } from 'fzstd';

/** The encodings a Content-Encoding header lists, in the order they were applied; identity left out. */
export function encodingsOf(contentEncoding: string | undefined): string[] {
  return (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
}

const KNOWN = new Set(['zstd', 'gzip', 'x-gzip', 'deflate', 'br']);

/** Why kx cannot decode bytes sent with this encoding, or undefined when it can. */
function unsupported(encodings: readonly string[]): string | undefined {
  const bad = encodings.find((e) => !KNOWN.has(e));
  return bad === undefined ? undefined : `unsupported content-encoding: ${bad}`;
}

/** `deflate` is meant to be zlib-wrapped, but some servers send raw deflate: a zlib header tells them apart. */
const isZlibWrapped = (b: Buffer): boolean => b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;

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
  const refused = unsupported(encodings);
  if (refused) throw new Error(refused);
  let out = body;
  // Encodings are listed in the order they were applied; undo them last first.
  for (const enc of encodings.reverse()) {
    if (enc === 'zstd') out = Buffer.from(zstdDecompress(out));
    else if (enc === 'br') out = zlib.brotliDecompressSync(out);
    else if (enc === 'deflate') out = isZlibWrapped(out) ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
    else out = zlib.gunzipSync(out);
  }
  return out;
}

/** An answer being decoded as it streams: a copy, never the bytes the client gets. */
export interface StreamDecoder {
  /** One chunk as it arrived; its decoded bytes reach `onData` as soon as they can be decoded. */
  write(chunk: Buffer): void;
  /**
   * No more input. Resolves once every decoded byte has gone to `onData`: with undefined, or with
   * why the bytes could not be decoded (a corrupt or truncated stream).
   */
  end(): Promise<string | undefined>;
}

/** One decoding step of a chain; it hands its output to the next step. */
interface Step {
  write(chunk: Buffer): void;
  end(): void;
}

interface Next {
  write(chunk: Buffer): void;
  end(): void;
  fail(reason: string): void;
}

/**
 * A streaming decoder for an answer sent with `contentEncoding` (stacked encodings undone last
 * first). Throws when an encoding is unknown, before any byte is fed.
 */
export function createStreamDecoder(contentEncoding: string, onData: (decoded: Buffer) => void): StreamDecoder {
  const encodings = encodingsOf(contentEncoding);
  const refused = unsupported(encodings);
  if (refused) throw new Error(refused);
  let failure: string | undefined;
  let settle: ((reason: string | undefined) => void) | undefined;
  const settled = new Promise<string | undefined>((resolve) => (settle = resolve));
  const finish = (reason: string | undefined): void => {
    settle?.(reason);
    settle = undefined;
  };
  let next: Next = {
    write: (b) => {
      if (failure === undefined) onData(b);
    },
    end: () => finish(failure),
    fail: (reason) => {
      failure ??= reason;
      finish(failure);
    },
  };
  // Built from the output end, which undoes the encoding applied first; the input meets the one applied last.
  for (const enc of encodings) {
    const step = stepFor(enc, next);
    const fail = next.fail;
    next = { write: (b) => step.write(b), end: () => step.end(), fail };
  }
  const first = next;
  return {
    write: (chunk) => {
      if (failure === undefined) first.write(chunk);
    },
    end: () => {
      if (failure === undefined) first.end();
      return settled;
    },
  };
}

function stepFor(enc: string, next: Next): Step {
  const named = (reason: string): string => `content-encoding ${enc}: ${reason}`;
  const failNamed: Next = { ...next, fail: (reason) => next.fail(named(reason)) };
  if (enc === 'zstd') return zstdStep(failNamed);
  if (enc === 'br') return zlibStep(zlib.createBrotliDecompress(), failNamed);
  if (enc === 'deflate') return deflateStep(failNamed);
  return zlibStep(zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH }), failNamed);
}

/** A node:zlib decompressor: it works off the thread, and hands on each chunk's output as it is ready. */
function zlibStep(engine: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress, next: Next): Step {
  let failed = false;
  engine.on('data', (b: Buffer) => next.write(b));
  engine.on('end', () => next.end());
  engine.on('error', (err: Error) => {
    failed = true;
    next.fail(err.message);
  });
  return {
    write: (chunk) => {
      if (!failed) engine.write(chunk);
    },
    // The output of every chunk written is handed on before the end is processed: a truncated
    // stream fails at its end, and the failure would drop output not yet handed on.
    end: () => {
      if (!failed) engine.flush(() => engine.end());
    },
  };
}

/** Waits for the first two bytes to tell a zlib-wrapped stream from raw deflate. */
function deflateStep(next: Next): Step {
  let inner: Step | undefined;
  let head = Buffer.alloc(0);
  const open = (): Step => {
    const wrapped = isZlibWrapped(head);
    const opts = { flush: zlib.constants.Z_SYNC_FLUSH };
    return zlibStep(wrapped ? zlib.createInflate(opts) : zlib.createInflateRaw(opts), next);
  };
  return {
    write: (chunk) => {
      if (inner) return inner.write(chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) return;
      inner = open();
      inner.write(head);
    },
    end: () => {
      if (!inner) {
        inner = open();
        if (head.length) inner.write(head);
      }
      inner.end();
    },
  };
}

/** fzstd decodes in this thread, block by block, as each block is complete. */
function zstdStep(next: Next): Step {
  let failed = false;
  // fzstd may reuse the memory it hands out: the copy is capture's own.
  const stream = new ZstdStream((data) => {
    if (data.length) next.write(Buffer.from(data));
  });
  const push = (chunk: Uint8Array, final: boolean): void => {
    if (failed) return;
    try {
      stream.push(chunk, final);
    } catch (err) {
      failed = true;
      next.fail(err instanceof Error ? err.message : String(err));
    }
  };
  return {
    write: (chunk) => push(chunk, false),
    end: () => {
      push(new Uint8Array(0), true);
      if (!failed) next.end();
    },
  };
}
