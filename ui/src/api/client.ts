// The console's only door to kx: JSON routes checked by schemas.ts, and the live event stream.
// The browser sends the HttpOnly token cookie itself; the page never sees the token.

import type { z } from 'zod';
import type { SearchResponseView, SessionDetailView, SessionPageView } from '../../../src/contracts/console.js';
import * as s from './schemas.js';
import { teamProjectView, teamView, type SharingRequest, type TeamView } from '../../../src/contracts/team.js';
import type { GapUpdate } from '../../../src/contracts/insight.js';
import type { DecisionBody, ModeBody } from '../../../src/contracts/learn.js';

/** What a view shows: the data, "not available yet" (a route kx does not have in this build), or why it failed. */
export type Loaded<T> = { state: 'ok'; data: T } | { state: 'missing' } | { state: 'error'; message: string };

async function request<T>(path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, init?: RequestInit): Promise<Loaded<T>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  } catch (err) {
    return { state: 'error', message: `kx did not answer (${(err as Error).message}). Is it still running?` };
  }
  if (res.status === 404) return { state: 'missing' };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { state: 'error', message: `kx answered ${res.status} with something that is not JSON` };
  }
  if (!res.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    return { state: 'error', message: typeof message === 'string' ? message : `kx answered ${res.status}` };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { state: 'error', message: `kx answered ${path} in an unexpected shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  return { state: 'ok', data: parsed.data };
}

const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
};
const id = encodeURIComponent;

export interface SessionFilters {
  client?: string;
  project?: string;
  from?: string;
  to?: string;
}

/** A POST whose body is typed by its contract (src/contracts/): the server parses it with the same schema. */
const post = <T>(path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: object): Promise<Loaded<T>> =>
  request(path, schema, { method: 'POST', body: JSON.stringify(body) });

export const api = {
  sessions: (f: SessionFilters & { cursor?: string; limit?: number }): Promise<Loaded<SessionPageView>> =>
    request(`/api/sessions${query({ ...f })}`, s.sessionPage),
  session: (sessionId: string): Promise<Loaded<SessionDetailView>> => request(`/api/sessions/${id(sessionId)}`, s.sessionDetail),
  search: (q: string, project?: string, offset = 0): Promise<Loaded<SearchResponseView>> =>
    request(`/api/search${query({ q, project, offset })}`, s.searchResponse),
  exportUrl: (sessionId: string, format: 'md' | 'html'): string => `/api/sessions/${id(sessionId)}/export?format=${format}`,

  insights: (sessionId: string) => request(`/api/sessions/${id(sessionId)}/insights`, s.sessionInsights),
  summary: (sessionId: string) => request(`/api/sessions/${id(sessionId)}/summary`, s.sessionSummaryResponse),
  gaps: (status?: 'open' | 'resolved', project?: string) => request(`/api/gaps${query({ status, project })}`, s.gapList),
  setGap: (gapId: string, status: 'open' | 'resolved', note: string) =>
    post(`/api/gaps/${id(gapId)}`, s.gapView, { status, ...(note ? { note } : {}) } satisfies GapUpdate),
  endSession: (sessionId: string) => request(`/api/sessions/${id(sessionId)}/end`, s.sessionEnd, { method: 'POST' }),
  projects: () => request('/api/projects', s.projectList),
  insightStatus: () => request('/api/insight/status', s.insightStatus),
  profile: (projectId: string) => request(`/api/projects/${id(projectId)}/profile`, s.projectProfile),
  approvals: (status: 'pending' | 'all') => request(`/api/approvals${query({ status })}`, s.approvalList),
  decide: (approvalId: string, decision: 'accept' | 'edit' | 'reject', text?: string) =>
    post(`/api/approvals/${id(approvalId)}`, s.approvalView, (decision === 'edit' ? { decision, text: text ?? '' } : { decision }) satisfies DecisionBody),
  modes: () => request('/api/mode', s.modesView),
  /** Without a session: the global mode. */
  setMode: (mode: s.Mode, session?: string) => post('/api/mode', s.modesView, { mode, ...(session ? { session } : {}) } satisfies ModeBody),
  team: (): Promise<Loaded<TeamView>> => request('/api/team', teamView),
  setSharing: (projectId: string, sharing: boolean) =>
    post(`/api/team/projects/${id(projectId)}/sharing`, teamProjectView, { sharing } satisfies SharingRequest),
};
