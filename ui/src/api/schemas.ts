// Everything kx answers is checked here, once, before a view sees it: a view trusts these types.
// The shapes are kx's wire contracts (src/contracts/), the same schemas the server's types come from;
// this file adds only what the console does on top: a session row that does not fit is shown, marked.

import { z } from 'zod';
import { isObject, str } from '../../../src/protocol/json-guards.js';
import { sessionListItem, sessionPageView, type SessionListItem } from '../../../src/contracts/console.js';

export { sessionDetailView as sessionDetail, searchResponseView as searchResponse } from '../../../src/contracts/console.js';
export {
  turnInsightView as turnInsight,
  sessionInsightsView as sessionInsights,
  sessionSummaryView,
  sessionSummaryResponse,
  gapView,
  gapList,
  projectView,
  projectList,
  projectProfileView as projectProfile,
  insightStatusView as insightStatus,
  sessionEndView as sessionEnd,
} from '../../../src/contracts/insight.js';
export type {
  TurnInsightView as TurnInsight,
  SessionSummaryView as SessionSummary,
  GapView as Gap,
  ProjectView as Project,
  ProjectProfileView as ProjectProfile,
  InsightStatusView as InsightStatus,
} from '../../../src/contracts/insight.js';
export { approvalView, approvalList, modesView } from '../../../src/contracts/learn.js';
export type { ApprovalView as Approval, Mode, ModesView } from '../../../src/contracts/learn.js';
export { liveEvent, type LiveEvent } from '../../../src/contracts/live-events.js';

/** A row kx sent that does not fit the contract: shown and marked, never the reason the whole list fails. */
export type SessionRow = SessionListItem & { unreadable?: string };

function unreadableRow(raw: unknown, problem: string): SessionRow {
  const r = isObject(raw) ? raw : {};
  const text = (v: unknown): string | null => str(v) ?? null;
  const zero = { inputTokens: 0, cachedTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 };
  return {
    id: text(r.id) ?? '',
    title: text(r.title),
    client: text(r.client),
    userAgent: null,
    identifiedBy: '',
    startedAt: text(r.startedAt) ?? '',
    lastActivityAt: text(r.lastActivityAt) ?? '',
    durationMs: 0,
    turnCount: 0,
    requestCount: 0,
    usage: zero,
    status: 'ended',
    project: text(r.project),
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

export const sessionPage = sessionPageView.extend({ sessions: sessionRows });

