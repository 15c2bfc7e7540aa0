// Team memory's answers (GET /api/team) and requests (POST /api/team/projects/:id/sharing): produced by
// src/team/team-view.ts, read by the console's team panel and `kx team status`.

import { z } from 'zod';

const nullableString = z.string().nullable();

export const teamProjectView = z.object({
  id: z.string(),
  name: z.string(),
  /** The project's name in the team: its normalised git remote, else `folder:<name>`. */
  teamKey: nullableString,
  sharing: z.boolean(),
  /** Entries of this project waiting in the outbox. */
  waiting: z.number().int(),
  /** Records of this project that came from other machines. */
  received: z.number().int(),
});

export const teamReceivedView = z.object({
  kind: z.enum(['note', 'gap', 'summary']),
  id: z.string(),
  project: z.string(),
  author: z.string(),
  machineId: z.string(),
  sessionId: nullableString,
  title: z.string(),
  changedAt: z.string(),
  deleted: z.boolean(),
});
export type TeamReceivedView = z.infer<typeof teamReceivedView>;

export const teamView = z.object({
  /** KX_TEAM_DATABASE_URL is set and the insight engine (which runs the sync) is on. */
  enabled: z.boolean(),
  /** The database's URL with its password masked; null when off. */
  database: nullableString,
  machineId: nullableString,
  author: nullableString,
  state: z.enum(['off', 'starting', 'connected', 'unreachable']),
  lastError: nullableString,
  lastSyncAt: nullableString,
  nextRetryAt: nullableString,
  /** Entries waiting to leave; they stay in SQLite until the database takes them. */
  backlog: z.number().int(),
  sent: z.number().int(),
  received: z.number().int(),
  /** What leaves this machine, per project, and what never does. */
  shared: z.array(z.string()),
  keptLocal: z.array(z.string()),
  projects: z.array(teamProjectView),
  recent: z.array(teamReceivedView),
});
export type TeamView = z.infer<typeof teamView>;

export const sharingRequest = z.object({ sharing: z.boolean() });
export type SharingRequest = z.infer<typeof sharingRequest>;
