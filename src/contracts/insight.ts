// The insight routes' answers: turn insights, summaries, gaps, projects, the queue. Produced by
// src/insight/, sent by src/api/insight-routes.ts, checked by the ui and the CLI.

import { z } from 'zod';

const nullableString = z.string().nullable();
const tokens = z.object({ input: z.number(), output: z.number() });

export const jobState = z.enum(['queued', 'running', 'done', 'failed', 'waiting_key']);
export type JobState = z.infer<typeof jobState>;
export const jobKind = z.enum(['turn', 'session', 'import']);
export type JobKind = z.infer<typeof jobKind>;
export const outcome = z.enum(['succeeded', 'partly', 'failed', 'unclear']);

export const turnInsightView = z.object({
  turnId: z.string(),
  turnSeq: z.number(),
  state: z.union([jobState, z.literal('none')]),
  error: nullableString,
  summary: nullableString,
  action: nullableString,
  outcome: outcome.nullable(),
  gaps: z.array(z.object({ gapId: z.string(), topic: z.string(), question: z.string(), evidence: z.string(), confidence: z.number() })),
  confusion: z.array(z.object({ what: z.string(), evidence: z.string() })),
  decisions: z.array(z.object({ choice: z.string(), why: z.string() })),
  successes: z.array(z.string()),
  followUps: z.array(z.string()),
  resolvedGaps: z.array(z.object({ gapId: z.string(), how: z.string() })),
  nextTime: nullableString,
  playbookSteps: z.array(z.object({ step: z.string(), command: nullableString })),
  tokens,
  createdAt: nullableString,
});
export type TurnInsightView = z.infer<typeof turnInsightView>;

/** GET /api/sessions/:id/insights */
export const sessionInsightsView = z.object({ sessionId: z.string(), insights: z.array(turnInsightView) });

export const sessionSummaryView = z.object({
  sessionId: z.string(),
  version: z.number(),
  createdAt: z.string(),
  title: z.string(),
  highlights: z.array(z.string()),
  gapsOpened: z.array(z.object({ gapId: z.string(), topic: z.string() })),
  gapsResolved: z.array(z.object({ gapId: z.string(), topic: z.string(), how: z.string() })),
  unresolvedQuestions: z.array(z.string()),
  nextRepetitions: z.array(z.string()),
  playbook: z.array(z.object({ step: z.string(), command: nullableString, why: nullableString })),
  tokens,
  /** Set when the summary came from a teammate's kx through team memory (docs/team.md): who wrote it. */
  sharedBy: z.string().nullable().optional(),
});
export type SessionSummaryView = z.infer<typeof sessionSummaryView>;

/** GET /api/sessions/:id/summary?version= */
export const sessionSummaryResponse = z.object({
  summary: sessionSummaryView.nullable(),
  versions: z.array(z.object({ version: z.number(), createdAt: z.string() })),
});
export type SessionSummaryResponse = z.infer<typeof sessionSummaryResponse>;

/** GET /api/shared-summaries?start=: the sessions teammates shared a summary of (team memory), newest first. */
export const sharedSummaryList = z.object({
  summaries: z.array(z.object({ sessionId: z.string(), author: z.string(), project: z.string(), title: z.string(), sharedAt: z.string() })),
});
export type SharedSummaryItem = z.infer<typeof sharedSummaryList>['summaries'][number];

const seenAt = z.object({ sessionId: z.string(), turnId: z.string(), at: z.string() });
export const gapStatus = z.enum(['open', 'resolved']);

export const gapView = z.object({
  id: z.string(),
  project: z.string(),
  topic: z.string(),
  question: z.string(),
  evidence: z.string(),
  status: gapStatus,
  timesSeen: z.number(),
  firstSeen: seenAt,
  lastSeen: seenAt,
  resolved: z
    .object({ turnId: nullableString, how: nullableString, by: z.enum(['model', 'person']), note: nullableString, at: z.string(), author: nullableString.optional() })
    .nullable(),
  /** Set when the gap came from a teammate's kx through team memory (docs/team.md): who opened it. `resolved.author`: the teammate who resolved it (null: this machine). */
  sharedBy: z.string().nullable().optional(),
});
export type GapView = z.infer<typeof gapView>;

/** GET /api/gaps?status=&project= */
export const gapList = z.object({ gaps: z.array(gapView) });

/** POST /api/gaps/:id */
export const gapUpdate = z.object({ status: gapStatus, note: z.string().max(2000).optional() });
export type GapUpdate = z.infer<typeof gapUpdate>;

export const projectView = z.object({
  id: z.string(),
  name: z.string(),
  sessionCount: z.number(),
  openGaps: z.number(),
  resolvedGaps: z.number(),
  lastActivityAt: nullableString,
});
export type ProjectView = z.infer<typeof projectView>;

/** GET /api/projects */
export const projectList = z.object({ projects: z.array(projectView) });

/** GET /api/projects/:id/profile */
export const projectProfileView = z.object({
  project: projectView,
  markdown: z.string(),
  openGaps: z.array(gapView),
  resolvedGaps: z.array(gapView),
  recurringTopics: z.array(z.object({ topic: z.string(), timesSeen: z.number() })),
  recentSummaries: z.array(sessionSummaryView),
});
export type ProjectProfileView = z.infer<typeof projectProfileView>;

/** GET /api/insight/status */
export const insightStatusView = z.object({
  mode: z.enum(['off', 'turn', 'session']),
  queue: z.object({ queued: z.number(), running: z.number(), done: z.number(), failed: z.number(), waiting_key: z.number() }),
  waitingReason: nullableString,
  tokens: z.object({ today: tokens, all: tokens }),
});
export type InsightStatusView = z.infer<typeof insightStatusView>;

/** POST /api/sessions/:id/end */
export const sessionEndView = z.object({ sessionId: z.string(), endedAt: z.string(), summaryJobId: nullableString });
export type SessionEndView = z.infer<typeof sessionEndView>;
