// The search thread: its own read-only SQLite connection and the same retrieval, so a search (tens of
// milliseconds over a large store) never runs on the thread that forwards the agent's traffic. With an API
// key it also embeds the query and fuses the nearest turns' sessions (hybrid-retrieval.ts).

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Retrieval } from './retrieval.js';
import { HybridRetrieval, type EmbedQuery } from './hybrid-retrieval.js';
import { loadSqliteVec, VectorStore } from './vectors.js';
import { apiEmbedder, type EmbeddingAccess } from './embedder.js';
import type { SearchAsk, SearchAnswer } from './search-thread.js';
import { lowerThisThread } from './thread-priority.js';

// Searches yield the CPU to the forwarding thread: 50 searches at once used to take the CPU the agent's
// traffic needed on a small machine (bench: memory, /v1 p50 while searches run). Where a thread cannot be
// lowered alone, searches still run off the forwarding thread.
lowerThisThread();

const data = workerData as { dbPath: string; embedding?: EmbeddingAccess };
const db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const retrieval = new Retrieval(db);
const vecLoaded = data.embedding ? loadSqliteVec(db) : undefined;
if (vecLoaded && !vecLoaded.ok) parentPort!.postMessage({ notice: `search: sqlite-vec will not load here (${vecLoaded.why}); searching by words only` });

/** A model retries its query, and a person types the same words again: the last queries' vectors are kept. */
const cache = new Map<string, Float32Array>();
const CACHED = 200;
function queryEmbedder(access: EmbeddingAccess): EmbedQuery {
  const embed = apiEmbedder(access, 10_000);
  return async (query) => {
    const hit = cache.get(query);
    if (hit) return hit;
    const [v] = await embed([query]);
    if (cache.size >= CACHED) cache.delete(cache.keys().next().value!);
    cache.set(query, v!);
    return v;
  };
}
const embedQuery = data.embedding && vecLoaded?.ok ? queryEmbedder(data.embedding) : undefined;

/** The vectors appear when the insight worker stores the first ones: looked for again until then. */
let hybrid: HybridRetrieval | undefined;
function searcher(): HybridRetrieval {
  if (hybrid?.semantic || !embedQuery) return (hybrid ??= new HybridRetrieval(db, retrieval, undefined, undefined));
  const vectors = VectorStore.open(db, { write: false, loaded: true });
  return (hybrid = new HybridRetrieval(db, retrieval, vectors, vectors ? embedQuery : undefined));
}

parentPort!.postMessage('ready');
parentPort!.on('message', (ask: SearchAsk) => {
  void Promise.resolve()
    .then(() => searcher().sessions(ask.query, ask.opts))
    .then(
      (hits): SearchAnswer => ({ id: ask.id, hits }),
      (err: Error): SearchAnswer => ({ id: ask.id, error: err.message }),
    )
    .then((answer) => parentPort!.postMessage(answer));
});
