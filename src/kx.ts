// The composition root: one node:http server. /v1 goes to the proxy on the raw request and
// response (no framework on the hot path); /api and /ui go to Hono.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './api/app.js';
import { hostAllowed } from './api/host-check.js';
import { crossSiteBody, crossSiteRefusal } from './api/v1-cross-site.js';
import { apiOfPath, Recorder } from './capture/recorder.js';
import { DEFAULT_LEARN, type Config } from './config/config.js';
import { withRequestFacts } from './capture/hook-facts.js';
import type { LearnContextSource } from './learn/context-source.js';
import { InsightContextSource } from './learn/insight-context-source.js';
import { LearnMode } from './learn/learn-mode.js';
import { ModeBook, resolveProject } from './learn/modes.js';
import { loadRewritePrompt } from './learn/rewrite-prompt.js';
import { structuredRewriteModel, type ModelAccess, type RewriteModel } from './learn/rewrite-model.js';
import { ApprovalStore } from './store/approval-store.js';
import type { Log } from './config/logger.js';
import { escapesBasePath } from './proxy/forward-headers.js';
import { createHttpForwarder } from './proxy/http-forward.js';
import type { RequestHook } from './proxy/request-hook.js';
import { createWsBridge } from './proxy/ws-bridge.js';
import { SessionReader } from './store/session-reader.js';
import { LiveEvents } from './store/live-events.js';
import { SessionStore, type StoredBatch } from './store/session-store.js';
import { liveEventsOfBatch } from './store/live-events-of-batch.js';
import { SearchIndex } from './store/search-index.js';
import { SessionList } from './store/session-list.js';
import { INSIGHT_OFF, insightCommitHook, startInsight, type Insight } from './insight/start-insight.js';
import { VERSION } from './version.js';

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

function forbidden(res: http.ServerResponse): void {
  const body = JSON.stringify({ error: { message: 'kx: Host header not allowed', type: 'forbidden_host' } });
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Why a /v1 request is refused before anything is forwarded or recorded, or undefined. */
function v1Refusal(req: http.IncomingMessage, boundHost: string): { status: number; body: string } | undefined {
  const crossSite = crossSiteRefusal(req.headers, boundHost);
  if (crossSite) return { status: 403, body: crossSiteBody(crossSite) };
  if (escapesBasePath(req.url ?? '/')) {
    return { status: 400, body: JSON.stringify({ error: { message: 'kx: the path climbs above /v1 with dot-segments', type: 'invalid_path' } }) };
  }
  return undefined;
}

function sendRefusal(res: http.ServerResponse, refusal: { status: number; body: string }): void {
  res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(refusal.body) });
  res.end(refusal.body);
}

const isMcpPath = (url: string | undefined): boolean => url === '/mcp' || (url ?? '').startsWith('/mcp?') || (url ?? '').startsWith('/mcp/');
const isProxyPath = (url: string | undefined): boolean => url === '/v1' || (url ?? '').startsWith('/v1/') || (url ?? '').startsWith('/v1?');

export interface KxOptions {
  /** Timing of the insight engine's retries and idle checks (tests shorten them). */
  insightEngine?: { retryBaseMs?: number; maxAttempts?: number; idleCheckMs?: number; stallBudgetMs?: number; heartbeatMs?: number; workerEntry?: string };
  /** What learn mode reads; by default the insight engine's tables and the search index. */
  learnContext?: LearnContextSource;
  rewriteModel?: RewriteModel;
  /** How the rewrite call reaches the model; by default the insight engine's credentials rule. */
  modelAccess?: (sessionId?: string) => ModelAccess | undefined;
}

export async function startKx(config: Config, log: Log = () => {}, opts: KxOptions = {}): Promise<Kx> {
  const insightSettings = config.insight ?? INSIGHT_OFF;
  const store = new SessionStore({ documentsDir: config.documentsDir, log, inTransaction: insightCommitHook(insightSettings.mode) });
  const reader = new SessionReader(store.db);
  const recorder = new Recorder(
    { enqueue: (op) => store.enqueue(op), settled: (ticket) => store.settled(ticket), resumeState: (id) => reader.resumeState(id), sessionOfResponse: (id) => reader.sessionOfResponse(id) },
    { log },
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
  // The engine indexes its notes, summaries and playbooks for search itself, in its own thread.
  const insight = startInsight({ settings: insightSettings, db: store.db, documentsDir: config.documentsDir, sessionDir: (id) => store.sessionDir(id), live, log, ...(opts.insightEngine ? { engine: opts.insightEngine } : {}) });
  store.events.on('stored', (batch) => insight.onStored(batch));
  let hook: RequestHook | undefined;
  const learnConfig = config.learn ?? DEFAULT_LEARN;
  const approvals = new ApprovalStore(store.db);
  const modes = new ModeBook(approvals, live, learnConfig.mode);
  const learnContext = opts.learnContext ?? new InsightContextSource(store.db, search);
  const learn = new LearnMode({
    store: approvals,
    sessionDir: (id) => store.sessionDir(id),
    live,
    context: learnContext,
    // The rewrite asks the model the insight engine asks (KX_INSIGHT_MODEL), with the checked prompt.
    model: opts.rewriteModel ?? structuredRewriteModel({ access: opts.modelAccess ?? ((id) => insight.resolver.resolve(id)), model: insightSettings.model, prompt: loadRewritePrompt() }),
    modes,
    settings: learnConfig,
    log,
  });
  // Capture mode costs nothing: the hook is installed only while learn mode is on somewhere (or a rewrite must stick).
  const learnHook = withRequestFacts(learn.hook, (id) => reader.sessionOfResponse(id), (id) => learnContext.projectOf(id));
  const syncHook = (): void => {
    if (hook === undefined || hook === learnHook) hook = learn.needsHook() ? learnHook : undefined;
  };
  learn.onNeedChange(syncHook);
  syncHook();
  const proxyOpts = { upstreams: config, observer: recorder, hook: () => hook, log, keepaliveMs: learnConfig.keepaliveMs, ...(insight.credentials ? { credentials: insight.credentials } : {}) };
  const forward = createHttpForwarder({ ...proxyOpts, hookable: (p) => apiOfPath(p, 'POST') !== undefined });
  const ws = createWsBridge(proxyOpts);
  const app = createApp({
    reader,
    sessionList: new SessionList(store.db, reader),
    search,
    live,
    token: config.uiToken,
    boundHost: config.host,
    version: VERSION,
    insight: insight.engine,
    // `ok` is false while the store refuses writes: traffic still flows, but nothing new is kept.
    health: () => {
      const storeHealth = store.getHealth();
      return { ok: storeHealth.ok, store: storeHealth, captureBacklog: recorder.backlog, mode: modes.view().global, pendingApprovals: learn.pendingCount() };
    },
    learn: {
      list: (status) => approvals.list(status),
      decide: (id, d) => learn.decide(id, d),
      expiresAt: (id) => learn.expiresAt(id),
      modes: () => modes.view(),
      setMode: (scope, target, mode) => modes.set(scope, target, mode),
      resolveProject: (input) => resolveProject(input, store.db.prepare('SELECT id, name FROM projects ORDER BY name').all() as Array<{ id: string; name: string }>),
      // A session whose first request is held is not stored yet, but its card is on the approvals page.
      sessionExists: (id) => store.db.prepare('SELECT 1 FROM sessions WHERE id = ? UNION ALL SELECT 1 FROM approvals WHERE session_id = ? LIMIT 1').get(id, id) !== undefined,
    },
  });
  const appListener = getRequestListener(app.fetch);
  // The agent's memory over MCP (src/mcp/): its own middleware, since MCP clients authenticate with the Bearer token only.
  // Loaded at the first /mcp request: the MCP SDK is a large import that `kx start` need not wait for.
  let baseUrl = '';
  let mcpListener: Promise<ReturnType<typeof getRequestListener>> | undefined;
  const mcp = () =>
    (mcpListener ??= Promise.all([import('./mcp/http.js'), import('./mcp/memory.js')]).then(([{ createMcpApp }, { Memory }]) => {
      const memory = new Memory({ db: store.db, search, engine: insight.engine, baseUrl: () => baseUrl });
      return getRequestListener(createMcpApp({ memory, db: store.db, token: config.uiToken, boundHost: config.host, log }).fetch);
    }));
  const serveMcp = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    mcp().then(
      (listener) => void listener(req, res),
      (err: unknown) => {
        log({ level: 'error', msg: 'the MCP server failed to load', error: (err as Error).message });
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'kx: the MCP server failed to load', type: 'server_error' } }));
      },
    );
  };

  const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    if (!hostAllowed(req.headers.host, config.host)) return forbidden(res);
    if (isProxyPath(req.url)) {
      const refusal = v1Refusal(req, config.host);
      return refusal ? sendRefusal(res, refusal) : forward(req, res);
    }
    if (isMcpPath(req.url)) return serveMcp(req, res);
    void appListener(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hostAllowed(req.headers.host, config.host) || !isProxyPath(req.url)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refusal = v1Refusal(req, config.host);
    if (refusal) {
      const reason = http.STATUS_CODES[refusal.status] ?? 'Error';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(refusal.body)}\r\nConnection: close\r\n\r\n${refusal.body}`);
      return;
    }
    ws.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Headers (or a URL) past Node's limit: 431, as the upstream's own server answers.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // Streams may stay silent for minutes while the model thinks: no server-side timeouts on them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  baseUrl = `http://${hostForUrl}:${port}`;

  return {
    url: `http://${hostForUrl}:${port}`,
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
    setRequestHook: (h) => {
      hook = h;
    },
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
      store.close();
    },
  };
}
