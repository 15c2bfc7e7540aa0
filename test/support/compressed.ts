// Compressed answers as a flushing server sends them: each event compressed and flushed on its own.

import { chain, wireName } from '../../harness/fake-upstream/compression.js';

/** `encoding` as the fake upstream names it (e.g. `deflate-raw`, `gzip, br`) → its header and one chunk per event, then the trailer. */
export async function compressedEvents(encoding: string, events: readonly string[]): Promise<{ header: string; chunks: Buffer[] }> {
  const steps = encoding.split(',').map((s) => s.trim());
  const out: Buffer[] = [];
  const encoder = chain(steps, (b) => out.push(b));
  const chunks: Buffer[] = [];
  for (const e of events) {
    await new Promise<void>((resolve) => encoder.write(Buffer.from(e), resolve));
    chunks.push(Buffer.concat(out.splice(0)));
  }
  await new Promise<void>((resolve) => encoder.end(resolve));
  chunks.push(Buffer.concat(out.splice(0)));
  return { header: steps.map(wireName).join(', '), chunks };
}

/** The whole body compressed as one piece. */
export async function compressedBody(encoding: string, body: Buffer): Promise<{ header: string; body: Buffer }> {
  const { header, chunks } = await compressedEvents(encoding, [body.toString('utf8')]);
  return { header, body: Buffer.concat(chunks) };
}
