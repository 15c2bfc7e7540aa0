// The messages between kx's forwarding thread and the insight engine's worker thread.

import type { InsightSettings, TeamSettings } from '../config/config.js';
import type { LiveEvent } from '../contracts/live-events.js';
import type { CredentialOffer } from './credentials.js';
import type { PagesChange } from './desk.js';
import type { InsightPrompts } from './prompts.js';

/** InsightSettings with its URL as a string: a URL does not cross a thread. */
export type PortableSettings = Omit<InsightSettings, 'baseUrl'> & { baseUrl: string };

export interface EngineWorkerData {
  entry: string;
  dbPath: string;
  documentsDir: string;
  settings: PortableSettings;
  prompts: InsightPrompts;
  timing: { retryBaseMs?: number; maxAttempts?: number; idleCheckMs?: number };
  heartbeatMs: number;
  /** Team memory's settings (src/team/), when it is on: the worker runs its sync. */
  team?: TeamSettings;
}

export type ToWorker =
  | { type: 'wake' }
  | { type: 'credentials'; offer: CredentialOffer }
  | { type: 'pages'; change: PagesChange }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'heartbeat' }
  | { type: 'live'; event: LiveEvent }
  | { type: 'log'; line: Record<string, unknown> }
  | { type: 'busy'; jobId: string | null; step: string }
  | { type: 'free' };
