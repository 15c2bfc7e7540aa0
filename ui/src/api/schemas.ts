// Everything kx answers is checked here, once, before a view sees it: a view trusts these types.
// The shapes are kx's wire contracts (src/contracts/), the same schemas the server's types come from;
// this file adds only what the console does on top: a session row that does not fit is shown, marked.

import { z } from 'zod';
import { isObject, str } from '../../../src/protocol/json-guards.js';
import { sessionListItem, sessionPageView, type SessionListItem } from '../../../src/contracts/console.js';

import { searchResponseView, sessionDetailView } from '../../../src/contracts/console.js';
import { projectList as projectListView, projectProfileView } from '../../../src/contracts/insight.js';
import { visibleText } from '../../../src/learn/visible-text.js';

export {
  sessionInsightsView as sessionInsights,
  sessionSummaryResponse,
  gapView,
  gapList,
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

/**
 * Project names and folders as a person must read them: a zero-width or right-to-left character in a
 * folder name shown as ⟨U+200B⟩, so `/home/ana/shop` and its lookalike read apart (as on the
 * approvals page). Only what is shown changes: views filter and link by project id.
 */
const shown = <T extends string | null | undefined>(name: T): T => (typeof name === 'string' ? (visibleText(name) as T) : name);
export const projectList = projectListView.transform((l) => ({ projects: l.projects.map((p) => ({ ...p, name: shown(p.name) })) }));
export const projectProfile = projectProfileView.transform((p) => ({ ...p, project: { ...p.project, name: shown(p.project.name) } }));
export const sessionDetail = sessionDetailView.transform((s) => ({ ...s, cwd: shown(s.cwd) }));
export const searchResponse = searchResponseView.transform((r) => ({ ...r, hits: r.hits.map((h) => ({ ...h, projectName: shown(h.projectName) })) }));

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

