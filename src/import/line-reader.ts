// The lines of a file as Buffers, a chunk's worth at a time: faster than node:readline (no string
// per chunk, no event per line), and a caller can look at a line's head before decoding all of it.
// A line that spans chunks is kept as a list of its pieces and joined once at its newline, so reading
// is linear in the file's size; a line longer than the cap is dropped piece by piece as it is read
// (counted, never held whole), so memory is one chunk plus at most the cap.

import fs from 'node:fs';

const NEWLINE = 0x0a;

/** 64 MiB: Codex's longest lines (a big tool output, a compaction) are a few MB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineReaderOptions {
  onBytes?: (bytesRead: number) => void;
  /** Lines longer than this many bytes are skipped; `onOversized` hears of each one. */
  maxLineBytes?: number;
  onOversized?: (bytes: number) => void;
  /** Bytes per read (tests make it small). */
  chunkBytes?: number;
}

const stripCr = (line: Buffer): Buffer => (line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line);

export async function* lineBatches(file: string, opts: LineReaderOptions | ((bytesRead: number) => void) = {}): AsyncGenerator<Buffer[]> {
  const o: LineReaderOptions = typeof opts === 'function' ? { onBytes: opts } : opts;
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const stream = fs.createReadStream(file, { highWaterMark: o.chunkBytes ?? 256 * 1024 });
  // The pieces of the line being read, copied so a long line does not keep every chunk it spans alive.
  let pieces: Buffer[] = [];
  let pending = 0;
  // Bytes of an oversized line dropped so far (its pieces are not kept), or -1 while the line fits.
  let dropped = -1;
  let bytesRead = 0;
  const take = (part: Buffer): void => {
    if (dropped >= 0) {
      dropped += part.length;
      return;
    }
    if (pending + part.length > max) {
      dropped = pending + part.length;
      pieces = [];
      pending = 0;
      return;
    }
    if (part.length) pieces.push(Buffer.from(part));
    pending += part.length;
  };
  const finish = (lines: Buffer[]): void => {
    if (dropped >= 0) {
      o.onOversized?.(dropped);
    } else {
      lines.push(stripCr(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pending)));
    }
    pieces = [];
    pending = 0;
    dropped = -1;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const lines: Buffer[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        if (pending === 0 && dropped < 0) {
          // The common case: the whole line is in this chunk.
          if (nl - start > max) o.onOversized?.(nl - start);
          else lines.push(stripCr(chunk.subarray(start, nl)));
        } else {
          take(chunk.subarray(start, nl));
          finish(lines);
        }
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
      o.onBytes?.(bytesRead);
      if (lines.length) yield lines;
    }
    if (pending > 0 || dropped >= 0) {
      const last: Buffer[] = [];
      finish(last);
      if (last.length) yield last;
    }
  } finally {
    stream.destroy();
  }
}
