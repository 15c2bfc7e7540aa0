// Request bodies are forwarded as sent; a copy is decoded here for capture only.
// Codex on ChatGPT login sends zstd (PROTOCOL-NOTES §8); Node 20's zlib has none, so fzstd does it.

import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';

export function decodeBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
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
