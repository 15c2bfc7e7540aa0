// GET /api/health: answered without a token, to a monitor, `kx codex` (is kx up?) and the bench (the
// backlogs). Imports only zod.

import { z } from 'zod';
import { mode } from './learn.js';
import { teamView } from './team.js';

/** The store's side: whether it takes writes, and what waits to be committed. */
export const storeHealthView = z.object({
  ok: z.boolean(),
  backlog: z.number(),
  committedOps: z.number(),
  droppedOps: z.number(),
  lastError: z.string().optional(),
  lastErrorAt: z.string().optional(),
  /** Rows whose jsonl lines could not be appended yet (the files are behind the database). */
  jsonlBehind: z.number(),
});
export type StoreHealthView = z.infer<typeof storeHealthView>;

/** What the running kx adds to the health answer (absent from an API built without it, as in tests). */
export const healthFacts = z.object({
  /** false while the store refuses writes: traffic still flows, nothing new is kept. */
  ok: z.boolean().optional(),
  store: storeHealthView.optional(),
  /** Copies capture has queued and not yet parsed. */
  captureBacklog: z.number().optional(),
  mode: mode.optional(),
  pendingApprovals: z.number().optional(),
  team: z.object({ state: teamView.shape.state, backlog: z.number() }).optional(),
});
export type HealthFacts = z.infer<typeof healthFacts>;

export const healthView = healthFacts.extend({ ok: z.boolean(), version: z.string() });
export type HealthView = z.infer<typeof healthView>;
