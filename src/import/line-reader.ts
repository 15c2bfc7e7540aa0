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

/** Cuts chunks into lines; a line that spans chunks is held as its pieces (or only counted, once over the cap). */
class LineAssembler {
  // The pieces of the line being read, copied so a long line does not keep every chunk it spans alive.
  private pieces: Buffer[] = [];
  private pending = 0;
  // Bytes of an oversized line dropped so far (its pieces are not kept), or -1 while the line fits.
  private dropped = -1;

  constructor(
    private readonly max: number,
    private readonly onOversized: (bytes: number) => void,
  ) {}

  /** The lines a chunk completes. */
  lines(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      if (this.pending === 0 && this.dropped < 0) {
        // The common case: the whole line is in this chunk.
        if (nl - start > this.max) this.onOversized(nl - start);
        else lines.push(stripCr(chunk.subarray(start, nl)));
      } else {
        this.take(chunk.subarray(start, nl));
        this.finish(lines);
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
    return lines;
  }

  /** The last line, when the file does not end with a newline. */
  rest(): Buffer[] {
    const last: Buffer[] = [];
    if (this.pending > 0 || this.dropped >= 0) this.finish(last);
    return last;
  }

  private take(part: Buffer): void {
    if (this.dropped >= 0) {
      this.dropped += part.length;
      return;
    }
    if (this.pending + part.length > this.max) {
      this.dropped = this.pending + part.length;
      this.pieces = [];
      this.pending = 0;
      return;
    }
    if (part.length) this.pieces.push(Buffer.from(part));
    this.pending += part.length;
  }

  private finish(lines: Buffer[]): void {
    if (this.dropped >= 0) this.onOversized(this.dropped);
    else lines.push(stripCr(this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pending)));
    this.pieces = [];
    this.pending = 0;
    this.dropped = -1;
  }
}

export async function* lineBatches(file: string, opts: LineReaderOptions | ((bytesRead: number) => void) = {}): AsyncGenerator<Buffer[]> {
  const o: LineReaderOptions = typeof opts === 'function' ? { onBytes: opts } : opts;
  const lines = new LineAssembler(o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, (bytes) => o.onOversized?.(bytes));
  const stream = fs.createReadStream(file, { highWaterMark: o.chunkBytes ?? 256 * 1024 });
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const batch = lines.lines(chunk);
      o.onBytes?.(bytesRead);
      if (batch.length) yield batch;
    }
    const last = lines.rest();
    if (last.length) yield last;
  } finally {
    stream.destroy();
  }
}
