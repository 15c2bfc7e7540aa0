// Puts the insight engine together for startKx: the commit hook the store runs in each transaction,
// the credential vault the proxy hands live credentials to, the desk that answers the API at once,
// and the engine itself, which runs in a worker thread (engine-host.ts) so traffic never waits for it.

import type Database from 'better-sqlite3';
import type { InsightSettings, TeamSettings } from '../config/config.js';
import type { CredentialHandOff } from '../proxy/traffic-observer.js';
import type { LiveEvents } from '../store/live-events.js';
import type { StoredBatch } from '../store/session-store.js';
import { CredentialVault } from './credentials.js';
import { InsightDesk } from './desk.js';
import { EngineHost } from './engine-host.js';
import { borrowsCredentials, ModelAccessResolver } from './model-access.js';
import { InsightPages } from './pages.js';
import { cwdOfContext, statesCwd } from '../capture/project.js';
import { loadPrompts } from './prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from './schemas.js';


/** What kx runs with when no insight settings were given (embedders, most tests): a pure recorder. */
export const INSIGHT_OFF: InsightSettings = {
  mode: 'off',
  model: 'gpt-5',
  apiKey: undefined,
  baseUrl: new URL('https://api.openai.com/v1'),
  ownBaseUrl: false,
  concurrency: 2,
  maxInputTokens: 12_000,
  idleMinutes: 30,
  timeoutMs: 120_000,
};

export interface Insight {
  /** What the API and the CLI ask of the engine: reads, ending sessions, gap status, the engine's status. */
  engine: InsightDesk;
  resolver: ModelAccessResolver;
  /** The worker that runs the jobs; undefined when insight is off. */
  host: EngineHost | undefined;
  /** For the proxy: undefined when nothing needs borrowing (a key is configured, or insight is off). */
  credentials: CredentialHandOff | undefined;
  onStored(batch: StoredBatch): void;
  close(): Promise<void>;
}

export interface InsightDeps {
  settings: InsightSettings;
  db: Database.Database;
  documentsDir: string;
  sessionDir: (sessionId: string) => string;
  live: LiveEvents;
  log?: (line: Record<string, unknown>) => void;
  /** Team memory (src/team/): its sync runs in the engine's worker, so only while insight is on. */
  team?: TeamSettings;
  /** Test seams for the engine's timing and its watchdog. */
  engine?: { retryBaseMs?: number; maxAttempts?: number; idleCheckMs?: number; stallBudgetMs?: number; heartbeatMs?: number; workerEntry?: string };
}

/** The engine's worker host, or none with insight off. */
function engineHost(deps: InsightDeps, prompts: ReturnType<typeof loadPrompts>, vault: CredentialVault, log: (line: Record<string, unknown>) => void): EngineHost | undefined {
  if (deps.settings.mode === 'off') return undefined;
  const { retryBaseMs, maxAttempts, idleCheckMs, stallBudgetMs, heartbeatMs, workerEntry } = deps.engine ?? {};
  return new EngineHost({
    db: deps.db,
    documentsDir: deps.documentsDir,
    settings: deps.settings,
    prompts,
    live: deps.live,
    log,
    timing: { retryBaseMs, maxAttempts, idleCheckMs },
    ...(stallBudgetMs !== undefined ? { stallBudgetMs } : {}),
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    ...(workerEntry !== undefined ? { entry: workerEntry } : {}),
    knownCredentials: () => vault.offers(),
    ...(deps.team ? { team: deps.team } : {}),
  });
}

export function startInsight(deps: InsightDeps): Insight {
  const log = deps.log ?? (() => {});
  const prompts = loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA });
  const vault = new CredentialVault();
  const resolver = new ModelAccessResolver(deps.settings, vault);
  const on = deps.settings.mode !== 'off';
  const host = engineHost(deps, prompts, vault, log);
  const desk: InsightDesk = new InsightDesk({
    db: deps.db,
    settings: deps.settings,
    live: deps.live,
    waitingReason: resolver.waitingReason,
    pagesChanged: (change) => {
      if (host) {
        host.pagesChanged(change);
        host.wake();
        return;
      }
      if (change.sessionId) inlinePages().rebuildSession(change.sessionId);
      if (change.projectId) inlinePages().rebuildProject(change.projectId);
    },
  });
  // With insight off there are no jobs, and the pages (which say so) are cheap: rebuilt here.
  let inline: InsightPages | undefined;
  const inlinePages = () => (inline ??= new InsightPages({ db: deps.db, reader: desk.reader, queue: desk.queue, documentsDir: deps.documentsDir, sessionDir: deps.sessionDir, mode: deps.settings.mode, log }));
  host?.start();
  return {
    engine: desk,
    resolver,
    host,
    credentials:
      on && borrowsCredentials(deps.settings)
        ? (c) => {
            // Every request offers; the worker hears only of a change (a message per request cost the p99).
            if (vault.offer(c)) host?.credentials(c);
          }
        : undefined,
    onStored: (batch) => {
      // The commit hook set the session's project from its working directory: the session changed.
      const placed = new Set(batch.changes.flatMap((op) => (op.op === 'item' && statesCwd(op.rec.kind) && cwdOfContext(op.rec.text) ? [op.rec.sessionId] : [])));
      for (const sessionId of placed) deps.live.publish({ type: 'session', sessionId });
      if (host && batch.endedTurns.length) host.wake();
    },
    close: async () => {
      await host?.close();
      vault.forget();
    },
  };
}
