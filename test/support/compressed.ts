// Compressed answers as a flushing server sends them: each event compressed and flushed on its own,
// by the fake upstream's compressors (src/fake-upstream/compress.ts); stacked as `gzip, br`.

import { compressor, type FakeEncoding } from '../../src/fake-upstream/compress.js';

type Compressor = ReturnType<typeof compressor>;

/** Writes `chunk` and flushes; resolves with what came out. */
function pass(z: Compressor, out: Buffer[], chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    z.write(chunk);
    z.flush(() => resolve(Buffer.concat(out.splice(0))));
  });
}

function finish(z: Compressor, out: Buffer[]): Promise<Buffer> {
  return new Promise((resolve) => {
    z.once('end', () => resolve(Buffer.concat(out.splice(0))));
    z.end();
  });
}

/** `encoding` (`gzip`, `deflate-raw`, `gzip, br`, …) → its header and one chunk per event, then the trailer. */
export async function compressedEvents(encoding: string, events: readonly string[]): Promise<{ header: string; chunks: Buffer[] }> {
  const steps = encoding.split(',').map((s) => s.trim() as FakeEncoding);
  const stages = steps.map((enc) => {
    const z = compressor(enc === ('x-gzip' as string) ? 'gzip' : enc);
    const out: Buffer[] = [];
    z.on('data', (d: Buffer) => out.push(d));
    return { z, out };
  });
  const chunks: Buffer[] = [];
  for (const e of events) {
    let piece: Buffer = Buffer.from(e);
    for (const s of stages) piece = await pass(s.z, s.out, piece);
    chunks.push(piece);
  }
  // Each stage's trailer goes through the stages after it.
  let tail: Buffer = Buffer.alloc(0);
  for (const s of stages) tail = Buffer.concat([tail.length ? await pass(s.z, s.out, tail) : Buffer.alloc(0), await finish(s.z, s.out)]);
  chunks.push(tail);
  return { header: steps.map((s) => (s === 'deflate-raw' ? 'deflate' : s)).join(', '), chunks };
}

/** The whole body compressed as one piece. */
export async function compressedBody(encoding: string, body: Buffer): Promise<{ header: string; body: Buffer }> {
  const { header, chunks } = await compressedEvents(encoding, [body.toString('utf8')]);
  return { header, body: Buffer.concat(chunks) };
}
