// The lines of a file as Buffers, a chunk's worth at a time: faster than node:readline (no string
// per chunk, no event per line), and a caller can look at a line's head before decoding all of it.
// Memory is one chunk plus the longest line.

import fs from 'node:fs';

const NEWLINE = 0x0a;

export async function* lineBatches(file: string, onBytes?: (bytesRead: number) => void): AsyncGenerator<Buffer[]> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let carry: Buffer | undefined;
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const data = carry ? Buffer.concat([carry, chunk]) : chunk;
      const lines: Buffer[] = [];
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        lines.push(data.subarray(start, nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl));
        start = nl + 1;
      }
      // Copied, so a long line does not keep every chunk it spans alive.
      carry = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
      onBytes?.(bytesRead);
      if (lines.length) yield lines;
    }
    if (carry?.length) yield [carry];
  } finally {
    stream.destroy();
  }
}
