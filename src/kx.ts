// The composition root: the store and capture, the insight engine, learn mode and the console's API,
// wired together and served by one node:http server (kx-server.ts).

import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './api/app.js';
import { apiOfPath } from './capture/describe-request.js';
import { Recorder } from './capture/recorder.js';
import { AnswerGate } from './proxy/answer-gate.js';
import { DEFAULT_LEARN, type Config, type InsightSettings } from './config/config.js';
import { captureFingerprints, withRequestFacts } from './capture/hook-facts.js';
import type { LearnContextSource } from './learn/context-source.js';
import { InsightContextSource } from './learn/insight-context-source.js';
import { LearnMode } from './learn/learn-mode.js';
import { ModeBook, resolveProject, resolveSession } from './learn/modes.js';
import { knownProjects, sessionIdsStarting } from './store/name-match.js';
import { loadRewritePrompt } from './learn/rewrite-prompt.js';
import { structuredRewriteModel, type RewriteModel } from './learn/rewrite-model.js';
import type { ModelAccess } from './insight/model-access.js';
import { lockDocumentsDir } from './store/documents-lock.js';
import { ApprovalStore } from './store/approval-store.js';
import type { Log } from './config/logger.js';
import { createHttpForwarder } from './proxy/http-forward.js';
import type { RequestHook } from './proxy/request-hook.js';
import { createWsBridge } from './proxy/ws-bridge.js';
import { SessionReader } from './store/session-reader.js';
import { LiveEvents } from './store/live-events.js';
import { CheckpointThread } from './store/checkpoint-thread.js';
import { SessionStore, type StoredBatch } from './store/session-store.js';
import { liveEventsOfBatch } from './store/live-events-of-batch.js';
import { SearchIndex } from './store/search-index.js';
import { SearchThread } from './store/search-thread.js';
import { embeddingAccess } from './insight/embedding-indexer.js';
import { SessionList } from './store/session-list.js';
import { INSIGHT_OFF, startInsight, type Insight } from './insight/start-insight.js';
import { insightCommitHook } from './insight/commit-hook.js';
import { sessionPlacement } from './insight/session-placement.js';
import { checkTeamSettings, teamFacts, type TeamFacts } from './team/team-api.js';
import { hitOrigin } from './team/team-view.js';
import { VERSION } from './version.js';
import { createKxServer, listen } from './kx-server.js';

export interface Kx {
  url: string;
  port: number;
  store: SessionStore;
  reader: SessionReader;
  recorder: Recorder;
  /** Full-text search over what was captured (and what the insight engine indexes); learn mode retrieves from it. */
  search: SearchIndex;
  /** What changed, for live subscribers (console pages through /api/events, learn mode, insight). */
  live: LiveEvents;
  /** The insight engine: turn insights, gaps, summaries, learnings.md (off unless config.insight says otherwise). */
  insight: Insight;
  /** Learn mode: approvals, the rewrite, re-applied rewrites. */
  learn: LearnMode;
  /** The mode in force per scope (global, project, session). */
  modes: ModeBook;
  /** Install (or remove) the hook that may hold or rewrite a request before it goes upstream. */
  setRequestHook(hook: RequestHook | undefined): void;
  /**
   * Newly stored items, in commit order, each batch only after it is in SQLite and the jsonl files:
   * the stream the insight engine and the console subscribe to. Returns the unsubscribe function.
   */
  onStored(listener: (batch: StoredBatch) => void): () => void;
  /** Waits until everything captured so far is committed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface KxOptions {
  /** Timing of the insight engine's retries and idle checks (tests shorten them). */
  insightEngine?: { retryBaseMs?: number; maxAttempts?: number; idleCheckMs?: number; stallBudgetMs?: number; heartbeatMs?: number; workerEntry?: string };
  /** What learn mode reads; by default the insight engine's tables and the search index. */
  learnContext?: LearnContextSource;
  rewriteModel?: RewriteModel;
  /** How the rewrite call reaches the model; by default the insight engine's credentials rule. */
  modelAccess?: (sessionId?: string) => ModelAccess | undefined;
}

/** The store and what feeds it: capture, the search index, live events of each stored batch. */
function startCapture(config: Config, log: Log, insightSettings: InsightSettings) {
  // Capture's parsing and the store's commits wait for the answers in flight to start.
  const gate = new AnswerGate();
  const store = new SessionStore({ documentsDir: config.documentsDir, log, inTransaction: insightCommitHook(insightSettings.mode), scheduler: gate });
  // The WAL's checkpoints (fsyncs) run on a thread of their own, started once kx is up.
  const checkpoints = new CheckpointThread(store.db, { log });
  checkpoints.start(500);
  const reader = new SessionReader(store.db);
  const recorder = new Recorder(
    { enqueue: (op) => store.enqueue(op), settled: (ticket) => store.settled(ticket), resumeState: (id) => reader.resumeState(id), sessionOfResponse: (id) => reader.sessionOfResponse(id) },
    { log, scheduler: gate },
  );
  const live = new LiveEvents((err) => log({ level: 'error', msg: 'live event subscriber failed', error: err.message }));
  const search = new SearchIndex(store.db);
  // Search is the console's; a failure to index is logged, and never stops kx or its capture.
  const indexNewItems = () => {
    try {
      search.catchUp();
    } catch (err) {
      log({ level: 'error', msg: 'search index catch-up failed', error: (err as Error).message });
    }
  };
  indexNewItems();
  store.events.on('stored', (batch) => {
    // Indexed before the batch is announced, so a page that searches on an event finds what it announced.
    indexNewItems();
    for (const e of liveEventsOfBatch(batch)) live.publish(e);
  });
  return { store, reader, recorder, live, search, gate, checkpoints };
}

type Captured = ReturnType<typeof startCapture>;

/**
 * Learn mode and the request hook it needs. Capture mode costs nothing: the hook is installed only
 * while learn mode is on somewhere (or a rewrite must stick), unless a test installed its own.
 */
function startLearn(config: Config, log: Log, opts: KxOptions, { store, live, search, recorder }: Captured, insight: Insight) {
  const learnConfig = config.learn ?? DEFAULT_LEARN;
  const approvals = new ApprovalStore(store.db);
  const modes = new ModeBook(approvals, live, learnConfig.mode);
  const learnContext = opts.learnContext ?? new InsightContextSource(store.db, search);
  const placement = sessionPlacement(store.db);
  const learn = new LearnMode({
    store: approvals,
    sessionDir: (id, first) => store.sessionDir(id, first),
    live,
    context: learnContext,
    // The rewrite asks the model the insight engine asks (KX_INSIGHT_MODEL), with the checked prompt.
    model: opts.rewriteModel ?? structuredRewriteModel({ access: opts.modelAccess ?? ((id) => insight.resolver.resolve(id)), model: (config.insight ?? INSIGHT_OFF).model, prompt: loadRewritePrompt() }),
    modes,
    settings: learnConfig,
    // After what capture already has of the session is stored: a row still queued would land on top.
    placeSession: async (id, cwd) => {
      await recorder.drained();
      store.flush();
      placement.atCwd(id, cwd, new Date().toISOString());
    },
    log,
  });
  let hook: RequestHook | undefined;
  // The chain lookup capture uses: its own memory of recent responses first, then the store.
  const learnHook = withRequestFacts(
    learn.hook,
    (id) => recorder.tracker.sessionOfResponse(id),
    (id) => learnContext.projectOf(id),
    (name) => learnContext.projectIdByName?.(name),
    captureFingerprints(recorder),
  );
  const syncHook = (): void => {
    if (hook === undefined || hook === learnHook) hook = learn.needsHook() ? learnHook : undefined;
  };
  learn.onNeedChange(syncHook);
  syncHook();
  return {
    approvals,
    modes,
    learn,
    keepaliveMs: learnConfig.keepaliveMs,
    hook: () => hook,
    setHook: (h: RequestHook | undefined) => {
      hook = h;
    },
  };
}

type Learning = ReturnType<typeof startLearn>;

/** The console's API (/api, /ui). */
function apiListener(config: Config, { store, reader, recorder, live, search }: Captured, insight: Insight, { approvals, modes, learn }: Learning, sessions: SearchThread, team: TeamFacts) {
  const app = createApp({
    reader,
    sessionList: new SessionList(store.db, reader),
    search,
    sessions,
    sharedBy: (docKind, refId) => hitOrigin(store.db, docKind, refId),
    live,
    token: config.uiToken,
    boundHost: config.host,
    version: VERSION,
    insight: insight.engine,
    // `ok` is false while the store refuses writes: traffic still flows, but nothing new is kept.
    health: () => {
      const storeHealth = store.getHealth();
      const teamHealth = team.health();
      return { ok: storeHealth.ok, store: storeHealth, captureBacklog: recorder.backlog, mode: modes.view().global, pendingApprovals: learn.pendingCount(), ...(teamHealth ? { team: teamHealth } : {}) };
    },
    team,
    learn: {
      list: (status) => approvals.list(status),
      decide: (id, d) => learn.decide(id, d),
      expiresAt: (id) => learn.expiresAt(id),
      modes: () => modes.view(),
      setMode: (scope, target, mode) => modes.set(scope, target, mode),
      resolveProject: (input) => resolveProject(input, knownProjects(store.db)),
      // A session whose first request is held is not stored yet, but its card is on the approvals page.
      resolveSession: (input) => resolveSession(input, sessionIdsStarting(store.db, input)),
    },
  });
  const listener = getRequestListener(app.fetch);
  return (req: http.IncomingMessage, res: http.ServerResponse): void => void listener(req, res);
}

/**
 * The agent's memory over MCP (src/mcp/): its own middleware, since MCP clients authenticate with the Bearer token only.
 * Loaded at the first /mcp request: the MCP SDK is a large import that `kx start` need not wait for.
 */
function mcpListener(config: Config, log: Log, { store, search }: Captured, insight: Insight, baseUrl: () => string, sessions: SearchThread) {
  let loaded: Promise<ReturnType<typeof getRequestListener>> | undefined;
  const load = () =>
    (loaded ??= Promise.all([import('./mcp/http.js'), import('./mcp/memory.js')]).then(([{ createMcpApp }, { Memory }]) => {
      const memory = new Memory({ db: store.db, search, sessions, engine: insight.engine, baseUrl });
      return getRequestListener(createMcpApp({ memory, db: store.db, token: config.uiToken, boundHost: config.host, log }).fetch);
    }));
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    load().then(
      (listener) => void listener(req, res),
      (err: unknown) => {
        log({ level: 'error', msg: 'the MCP server failed to load', error: (err as Error).message });
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'kx: the MCP server failed to load', type: 'server_error' } }));
      },
    );
  };
}

/** Starts kx on a documents folder no other kx holds (store/documents-lock.ts); the lock goes with close(). */
export async function startKx(config: Config, log: Log = () => {}, opts: KxOptions = {}): Promise<Kx> {
  const lock = lockDocumentsDir(config.documentsDir);
  let kx: Kx;
  try {
    kx = await startOnLockedFolder(config, log, opts);
  } catch (err) {
    lock.release();
    throw err;
  }
  lock.setPort(kx.port, config.host);
  const close = kx.close;
  return Object.assign(kx, { close: () => close().finally(() => lock.release()) });
}

async function startOnLockedFolder(config: Config, log: Log, opts: KxOptions): Promise<Kx> {
  const insightSettings = config.insight ?? INSIGHT_OFF;
  const teamShown = checkTeamSettings(config.team, insightSettings.mode !== 'off');
  const captured = startCapture(config, log, insightSettings);
  const { store, reader, recorder, live, search } = captured;
  // The engine indexes its notes, summaries and playbooks for search itself, in its own thread.
  const insight = startInsight({ settings: insightSettings, db: store.db, documentsDir: config.documentsDir, sessionDir: (id) => store.sessionDir(id), live, log, ...(config.team ? { team: config.team } : {}), ...(opts.insightEngine ? { engine: opts.insightEngine } : {}) });
  store.events.on('stored', (batch) => insight.onStored(batch));
  const learning = startLearn(config, log, opts, captured, insight);
  const { learn, modes } = learning;

  const proxyOpts = { upstreams: config, observer: recorder, gate: captured.gate, hook: learning.hook, log, keepaliveMs: learning.keepaliveMs, ...(insight.credentials ? { credentials: insight.credentials } : {}) };
  const forward = createHttpForwarder({ ...proxyOpts, hookable: (p) => apiOfPath(p, 'POST') !== undefined });
  const ws = createWsBridge(proxyOpts);
  let baseUrl = '';
  // The agent's searches run on a thread of their own (started at the first one), never this one.
  const embedding = embeddingAccess(insightSettings);
  const searchThread = new SearchThread(store.db.name, search.retrieval, { ...(embedding ? { embedding } : {}), notice: (line) => log({ level: 'warn', msg: line }) });
  const server = createKxServer(config.host, {
    forward,
    upgrade: (req, socket, head) => ws.handleUpgrade(req, socket, head),
    mcp: mcpListener(config, log, captured, insight, () => baseUrl, searchThread),
    app: apiListener(config, captured, insight, learning, searchThread, teamFacts(store.db, teamShown)),
  });
  const { url, port } = await listen(server, config.host, config.port);
  baseUrl = url;

  return {
    url,
    port,
    store,
    reader,
    recorder,
    search,
    live,
    insight,
    learn,
    modes,
    onStored: (listener) => {
      store.events.on('stored', listener);
      return () => void store.events.off('stored', listener);
    },
    setRequestHook: learning.setHook,
    settle: async () => {
      await recorder.drained();
      store.flush();
    },
    close: async () => {
      learn.close();
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await recorder.drained();
      await insight.close();
      await searchThread.close();
      await captured.checkpoints.close();
      store.close();
    },
  };
}
