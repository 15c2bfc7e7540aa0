// Request bodies are forwarded as sent; a copy is decoded here for capture only.
// Codex on ChatGPT login sends zstd (docs/protocol.md §8); Node 20's zlib has none, so fzstd does it.

import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';

/** The encodings a Content-Encoding header lists, in the order they were applied; identity left out. */
function encodingsOf(contentEncoding: string | undefined): string[] {
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
        out = zlib.inflateSync(out);
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
