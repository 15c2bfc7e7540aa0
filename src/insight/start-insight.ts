// Puts the insight engine together for startKx: the commit hook the store runs in each transaction,
// the credential vault the proxy hands live credentials to, the model access resolver and the engine.

import type Database from 'better-sqlite3';
import type { InsightSettings } from '../config/config.js';
import type { CredentialHandOff } from '../proxy/traffic-observer.js';
import type { LiveEvents } from '../store/live-events.js';
import type { StoredBatch } from '../store/session-store.js';
import { CredentialVault } from './credentials.js';
import { InsightEngine } from './engine.js';
import { installModelAccess, ModelAccessResolver } from './model-access.js';
import { cwdOfContext, statesCwd } from './project.js';
import { loadPrompts } from './prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from './schemas.js';
import type { StoredInsight } from './search-docs.js';

export { insightCommitHook } from './commit-hook.js';

/** What kx runs with when no insight settings were given (embedders, most tests): a pure recorder. */
export const INSIGHT_OFF: InsightSettings = {
  mode: 'off',
  model: 'gpt-5',
  apiKey: undefined,
  baseUrl: new URL('https://api.openai.com/v1'),
  concurrency: 2,
  maxInputTokens: 12_000,
  idleMinutes: 30,
  timeoutMs: 120_000,
};

export interface Insight {
  engine: InsightEngine;
  resolver: ModelAccessResolver;
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
  /** Told of each stored answer (kx.ts indexes it for search). */
  onStoredInsight?: (stored: StoredInsight) => void;
  /** Test seams for the engine's timing. */
  engine?: { retryBaseMs?: number; maxAttempts?: number; idleCheckMs?: number };
}

export function startInsight(deps: InsightDeps): Insight {
  const prompts = loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA });
  const vault = new CredentialVault();
  const resolver = new ModelAccessResolver(deps.settings, vault);
  installModelAccess(resolver);
  const engine = new InsightEngine({ db: deps.db, documentsDir: deps.documentsDir, sessionDir: deps.sessionDir, settings: deps.settings, prompts, access: resolver, live: deps.live, ...(deps.log ? { log: deps.log } : {}), ...(deps.onStoredInsight ? { onStoredInsight: deps.onStoredInsight } : {}), ...deps.engine });
  const on = deps.settings.mode !== 'off';
  if (on) {
    engine.start();
    vault.onArrival(() => engine.credentialsArrived());
  }
  return {
    engine,
    resolver,
    credentials: on && !deps.settings.apiKey ? (c) => vault.offer(c) : undefined,
    onStored: (batch) => {
      // The commit hook set the session's project from its working directory: the session changed.
      const placed = new Set(batch.changes.flatMap((op) => (op.op === 'item' && statesCwd(op.rec.kind) && cwdOfContext(op.rec.text) ? [op.rec.sessionId] : [])));
      for (const sessionId of placed) deps.live.publish({ type: 'session', sessionId });
      if (on && batch.endedTurns.length) engine.wake();
    },
    close: async () => {
      await engine.close();
      vault.forget();
      installModelAccess(undefined);
    },
  };
}
