// The fake upstream's compression mode: every answer (SSE, JSON, errors) is compressed with the
// first encoding the client's accept-encoding allows, as real API front ends do. Each write is
// flushed, so a compressed event stream still arrives event by event.

import type http from 'node:http';
import zlib from 'node:zlib';

/** What the fake can compress with (Node 20's zlib has no zstd encoder). */
export type FakeEncoding = 'br' | 'gzip' | 'deflate' | 'deflate-raw';

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

function compressor(enc: FakeEncoding): zlib.Gzip | zlib.Deflate | zlib.DeflateRaw | zlib.BrotliCompress {
  switch (enc) {
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
export function compressResponse(res: http.ServerResponse, enc: FakeEncoding): void {
  const z = compressor(enc);
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => void;
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
  z.on('data', (d: Buffer) => write(d));
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
