// Texts → embeddings through the OpenAI API (text-embedding-3-small at reduced dimensions), for the insight
// worker (each finished turn) and the search thread (each query). Only with an API key: the ChatGPT backend
// a Codex login borrows has no embeddings endpoint, so that login searches lexically, with search terms.

import { EMBEDDING_DIMENSIONS, EMBEDDING_MODEL } from './vectors.js';

/** Where embeddings are asked for: the configured key and base URL (never written anywhere). */
export interface EmbeddingAccess {
  baseURL: string;
  apiKey: string;
}

export type Embed = (texts: string[], signal?: AbortSignal) => Promise<Float32Array[]>;

/** An embedder on the API; the SDK is loaded at the first call. */
export function apiEmbedder(access: EmbeddingAccess, timeoutMs = 30_000): Embed {
  let client: Promise<import('openai').default> | undefined;
  return async (texts, signal) => {
    client ??= import('openai').then(({ default: OpenAI }) => new OpenAI({ apiKey: access.apiKey, baseURL: access.baseURL, maxRetries: 0, timeout: timeoutMs }));
    const res = await (await client).embeddings.create(
      { model: EMBEDDING_MODEL, input: texts, dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
      signal ? { signal } : {},
    );
    const out = new Array<Float32Array>(texts.length);
    for (const d of res.data) out[d.index] = Float32Array.from(d.embedding);
    if (out.some((v) => v === undefined || v.length !== EMBEDDING_DIMENSIONS)) throw new Error(`the embeddings answer did not hold ${texts.length} vectors of ${EMBEDDING_DIMENSIONS} floats`);
    return out;
  };
}
