// The insight engine's thread. It opens its own connection to sessions.db (WAL lets the forwarding
// thread write beside it), runs the scheduler, the model calls, the landing of answers, the page
// rebuilds and the search indexing of insights, and reports to the host in engine-host.ts.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { LiveEvents } from '../store/live-events.js';
import { SearchIndex } from '../store/search-index.js';
import { sessionDirs } from '../store/session-folder.js';
import { CredentialVault } from './credentials.js';
import { InsightDesk } from './desk.js';
import { InsightEngine } from './engine.js';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-messages.js';
import { ModelAccessResolver } from './model-access.js';
import { InsightPages } from './pages.js';
import { insightSearchDocs } from './search-docs.js';
import { startTeamSync } from './team-worker.js';
import { EmbeddingIndexer, embeddingAccess } from './embedding-indexer.js';
import { VectorStore } from '../store/vectors.js';
import { apiEmbedder } from '../store/embedder.js';
import { lowerThisThread } from '../store/thread-priority.js';

const data = workerData as EngineWorkerData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const log = (line: Record<string, unknown>) => send({ type: 'log', line });

// Before any work: the engine's CPU must not delay a forwarded answer.
const priority = lowerThisThread();
if ('skipped' in priority) log({ level: 'debug', msg: 'the insight worker runs at kx\'s own priority', why: priority.skipped });

const db = new Database(data.dbPath);
db.pragma('busy_timeout = 5000');
const settings = { ...data.settings, baseUrl: new URL(data.settings.baseUrl) };
const live = new LiveEvents((err) => log({ level: 'error', msg: 'live event relay failed', error: err.message }));
live.subscribe((event) => send({ type: 'live', event }));
const vault = new CredentialVault();
const access = new ModelAccessResolver(settings, vault);
const sessionDir = sessionDirs(db, data.documentsDir);
let engine: InsightEngine | undefined;
const desk = new InsightDesk({
  db,
  settings,
  live,
  waitingReason: access.waitingReason,
  pagesChanged: (change) => {
    engine?.pagesChanged(change);
    engine?.wake();
  },
});
const pages = new InsightPages({ db, reader: desk.reader, queue: desk.queue, documentsDir: data.documentsDir, sessionDir, mode: settings.mode, log });
const search = new SearchIndex(db);
const team = startTeamSync(db, data.team, { search, live, log });
const embeddings = startEmbeddings();
engine = new InsightEngine({
  db,
  desk,
  pages,
  settings,
  prompts: data.prompts,
  access,
  live,
  log,
  busy: (jobId, step) => {
    send({ type: 'busy', jobId, step });
    return () => send({ type: 'free' });
  },
  indexInsight: (stored) => {
    for (const doc of insightSearchDocs(stored)) search.indexDocument(doc);
  },
  onStoredInsight: () => {
    team?.wake();
    embeddings?.wake(); // an imported turn's insight: its turn may not be embedded yet
  },
  ...data.timing,
});
vault.onArrival(() => engine?.credentialsArrived());

/** Embeddings for search with an API key (embedding-indexer.ts); where sqlite-vec will not load, one line says search stays lexical. */
function startEmbeddings(): EmbeddingIndexer | undefined {
  const embedAccess = embeddingAccess(settings);
  if (!embedAccess) return undefined;
  const unavailable = (why: string) => log({ level: 'warn', msg: 'search: sqlite-vec will not load here, so search stays lexical (words and search terms)', why });
  const vectors = VectorStore.open(db, { write: true, onUnavailable: unavailable });
  return vectors ? new EmbeddingIndexer({ vectors, embed: apiEmbedder(embedAccess), log }) : undefined;
}
/** Turns `kx import` added from another process are looked for as often as idle sessions are. */
const embedSweep = setInterval(() => embeddings?.wake(), data.timing.idleCheckMs ?? 30_000);
embedSweep.unref();
embeddings?.wake();

const heartbeat = setInterval(() => send({ type: 'heartbeat' }), data.heartbeatMs);

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'wake':
      engine?.wake();
      embeddings?.wake();
      break;
    case 'credentials':
      vault.offer(m.offer);
      break;
    case 'pages':
      engine?.pagesChanged(m.change);
      team?.wake(); // a person may have resolved or reopened a gap
      break;
    case 'close':
      clearInterval(heartbeat);
      clearInterval(embedSweep);
      void Promise.all([engine!.close(), team?.close(), embeddings?.close()]).finally(() => {
        db.close();
        port.close();
      });
      break;
  }
});

engine.start();
send({ type: 'ready' });
