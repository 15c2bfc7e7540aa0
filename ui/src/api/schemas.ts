// Everything kx answers is checked here, once, before a view sees it: a view trusts these types.
// The console's own shapes come from src/api/console-types.ts; the insight engine's and learn mode's
// follow CONTRACTS.md until their types land in src/api/.

import { z } from 'zod';
import type { ItemView, SearchResponseView, SessionDetailView, SessionListItem, SessionPageView, TurnView, UsageView } from '../../../src/api/console-types.js';

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

const usage: z.ZodType<UsageView> = z.object({
  inputTokens: z.number(),
  cachedTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  totalTokens: z.number(),
});

const sessionListItem: z.ZodType<SessionListItem> = z.object({
  id: z.string(),
  title: nullableString,
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  durationMs: z.number(),
  turnCount: z.number(),
  requestCount: z.number(),
  usage,
  status: z.enum(['live', 'ended', 'imported']),
  insightTokens: z.object({ input: z.number(), output: z.number() }).optional(),
  openGaps: z.number().optional(),
  project: nullableString,
  endedAt: nullableString,
  memoryLookups: z.number().optional(),
});

/** A row kx sent that does not fit the contract: shown and marked, never the reason the whole list fails. */
export type SessionRow = SessionListItem & { unreadable?: string };

function unreadableRow(raw: unknown, problem: string): SessionRow {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const zero = { inputTokens: 0, cachedTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 };
  return {
    id: str(r.id) ?? '',
    title: str(r.title),
    client: str(r.client),
    userAgent: null,
    identifiedBy: '',
    startedAt: str(r.startedAt) ?? '',
    lastActivityAt: str(r.lastActivityAt) ?? '',
    durationMs: 0,
    turnCount: 0,
    requestCount: 0,
    usage: zero,
    status: 'ended',
    project: str(r.project),
    endedAt: null,
    unreadable: problem,
  };
}

/** Each row on its own: one bad row is marked, the rest still show. */
const sessionRows = z.array(z.unknown()).transform((rows): SessionRow[] =>
  rows.map((raw) => {
    const row = sessionListItem.safeParse(raw);
    if (row.success) return row.data;
    const issue = row.error.issues[0];
    return unreadableRow(raw, `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }),
);

export const sessionPage: z.ZodType<SessionPageView & { sessions: SessionRow[] }, z.ZodTypeDef, unknown> = z.object({
  sessions: sessionRows,
  total: z.number(),
  nextCursor: nullableString,
  clients: z.array(z.string()),
});

const item: z.ZodType<ItemView> = z.object({
  id: z.string(),
  seq: z.number(),
  turnId: nullableString,
  requestId: z.string(),
  direction: z.string(),
  kind: z.string(),
  itemType: z.string(),
  role: nullableString,
  protocolId: nullableString,
  callId: nullableString,
  toolName: nullableString,
  text: nullableString,
  arguments: nullableString,
  output: nullableString,
  status: nullableString,
  detail: z.unknown(),
  createdAt: z.string(),
});

const turn: z.ZodType<TurnView> = z.object({
  id: z.string(),
  seq: z.number(),
  clientTurnId: nullableString,
  startedAt: z.string(),
  endedAt: nullableString,
  status: z.string(),
  items: z.array(item),
});

export const sessionDetail: z.ZodType<SessionDetailView> = z.object({
  id: z.string(),
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  turnCount: z.number(),
  requestCount: z.number(),
  usage,
  memoryLookups: z.number().optional(),
  project: nullableString.optional(),
  cwd: nullableString.optional(),
  endedAt: nullableString.optional(),
  turns: z.array(turn),
  preamble: z.array(item),
  requests: z.array(
    z.object({
      id: z.string(),
      turnId: nullableString,
      transport: z.string(),
      api: z.string(),
      path: z.string(),
      model: nullableString,
      requestKind: nullableString,
      startedAt: z.string(),
      firstByteMs: nullableNumber,
      durationMs: nullableNumber,
      statusCode: nullableNumber,
      outcome: nullableString,
      responseId: nullableString,
      usage: z.object({
        inputTokens: nullableNumber,
        cachedTokens: nullableNumber,
        outputTokens: nullableNumber,
        reasoningTokens: nullableNumber,
        totalTokens: nullableNumber,
      }),
      error: z.unknown(),
    }),
  ),
});

export const searchResponse: z.ZodType<SearchResponseView> = z.object({
  query: z.string(),
  hits: z.array(
    z.object({
      docKind: z.enum(['human', 'assistant', 'reasoning', 'tool_call', 'tool_output', 'insight', 'summary', 'playbook']),
      refId: z.string(),
      sessionId: nullableString,
      turnId: nullableString,
      turnSeq: nullableNumber,
      project: nullableString,
      sessionTitle: nullableString.optional(),
      sessionStartedAt: z.string().optional(),
      projectName: nullableString.optional(),
      snippet: z.string(),
      score: z.number(),
    }),
  ),
  more: z.boolean(),
});

// ---- insight engine (CONTRACTS.md) ----

const jobState = z.enum(['queued', 'running', 'done', 'failed', 'waiting_key']);
const tokens = z.object({ input: z.number(), output: z.number() });

export const turnInsight = z.object({
  turnId: z.string(),
  turnSeq: z.number(),
  state: z.union([jobState, z.literal('none')]),
  error: nullableString,
  summary: nullableString,
  action: nullableString,
  outcome: z.enum(['succeeded', 'partly', 'failed', 'unclear']).nullable(),
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
export type TurnInsight = z.infer<typeof turnInsight>;
export const sessionInsights = z.object({ sessionId: z.string(), insights: z.array(turnInsight) });

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
});
export type SessionSummary = z.infer<typeof sessionSummaryView>;
export const sessionSummaryResponse = z.object({
  summary: sessionSummaryView.nullable(),
  versions: z.array(z.object({ version: z.number(), createdAt: z.string() })),
});

const seenAt = z.object({ sessionId: z.string(), turnId: z.string(), at: z.string() });
export const gapView = z.object({
  id: z.string(),
  project: z.string(),
  topic: z.string(),
  question: z.string(),
  evidence: z.string(),
  status: z.enum(['open', 'resolved']),
  timesSeen: z.number(),
  firstSeen: seenAt,
  lastSeen: seenAt,
  resolved: z
    .object({ turnId: nullableString, how: nullableString, by: z.enum(['model', 'person']), note: nullableString, at: z.string() })
    .nullable(),
});
export type Gap = z.infer<typeof gapView>;
export const gapList = z.object({ gaps: z.array(gapView) });

export const projectView = z.object({
  id: z.string(),
  name: z.string(),
  sessionCount: z.number(),
  openGaps: z.number(),
  resolvedGaps: z.number(),
  lastActivityAt: nullableString,
});
export type Project = z.infer<typeof projectView>;
export const projectList = z.object({ projects: z.array(projectView) });
export const projectProfile = z.object({
  project: projectView,
  markdown: z.string(),
  openGaps: z.array(gapView),
  resolvedGaps: z.array(gapView),
  recurringTopics: z.array(z.object({ topic: z.string(), timesSeen: z.number() })),
  recentSummaries: z.array(sessionSummaryView),
});
export type ProjectProfile = z.infer<typeof projectProfile>;
export const insightStatus = z.object({
  mode: z.enum(['off', 'turn', 'session']),
  queue: z.record(z.number()),
  waitingReason: nullableString,
  tokens: z.object({ today: tokens, all: tokens }),
});
export type InsightStatus = z.infer<typeof insightStatus>;

// ---- learn mode (CONTRACTS.md) ----

export const approvalView = z.object({
  id: z.string(),
  sessionId: z.string(),
  project: nullableString,
  original: z.string(),
  rewrite: nullableString,
  diff: z.array(z.object({ op: z.enum(['same', 'add', 'del']), text: z.string() })),
  gaps: z.array(z.object({ gapId: z.string(), topic: z.string() })),
  snippets: z.array(z.object({ ref: z.string(), text: z.string() })),
  /** The model's one sentence on what it added, or why the rewrite failed. */
  reason: nullableString.optional(),
  /** The context from earlier sessions (KX_INJECT=first-turn) sent before the message if approved. */
  context: nullableString.optional(),
  status: z.string(),
  created: z.string(),
  /** A waiting turn: when it times out and the original is sent. */
  expiresAt: z.string().optional(),
  decidedAt: nullableString,
  finalText: nullableString,
});
export type Approval = z.infer<typeof approvalView>;
export const approvalList = z.object({ approvals: z.array(approvalView) });
const mode = z.enum(['capture', 'learn']);
export type Mode = z.infer<typeof mode>;
export const sessionEnd = z.object({ sessionId: z.string(), endedAt: z.string() });
export const modesView = z.object({ global: mode, projects: z.record(mode), sessions: z.record(mode) });
export type ModesView = z.infer<typeof modesView>;

// ---- live events (src/store/live-events.ts) ----

export const liveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('items'), sessionId: z.string(), turnId: nullableString, itemIds: z.array(z.string()) }),
  z.object({ type: z.literal('turn'), sessionId: z.string(), turnId: z.string(), status: z.string() }),
  z.object({ type: z.literal('session'), sessionId: z.string() }),
  z.object({ type: z.literal('insight'), sessionId: nullableString, turnId: nullableString, jobKind: z.string(), state: z.string() }),
  z.object({ type: z.literal('gap'), gapId: z.string(), project: z.string(), status: z.string() }),
  z.object({ type: z.literal('approval'), approvalId: z.string(), sessionId: z.string(), status: z.string() }),
  z.object({ type: z.literal('mode'), scope: z.enum(['global', 'project', 'session']), target: nullableString, mode: z.string() }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;
