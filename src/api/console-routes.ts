// The console's API: the paged session list, full-text search and session export. Wired into app.ts with one line.

import type { Hono } from 'hono';
import { z } from 'zod';
import type { SessionList } from '../store/session-list.js';
import { SearchIndex } from '../store/search-index.js';
import { queryWords } from '../store/query-words.js';
import type { SearchThread } from '../store/search-thread.js';
import type { SessionReader } from '../store/session-reader.js';
import type { SearchResponseView, SessionDetailView, SessionPageView } from '../contracts/console.js';
import { apiError, everyIssue } from './api-error.js';
import { exportSession } from './session-export.js';
import { projectParam } from './project-param.js';

export interface ConsoleDeps {
  reader: SessionReader;
  sessionList: SessionList;
  search: SearchIndex;
  /** Where searches run, off the forwarding thread (src/store/search-thread.ts); else on the index's connection. */
  sessions?: Pick<SearchThread, 'sessions'>;
  /** Who shared a hit's document through team memory (team/team-view.ts hitOrigin). */
  sharedBy?: (docKind: string, refId: string) => { author: string; at: string } | undefined;
}

// Stored times are toISOString() strings; a bound in the same form compares as text.
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date such as 2026-11-27')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date')
  .transform((s) => new Date(s).toISOString());
const sessionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  client: z.string().max(500).optional(),
  project: z.string().max(500).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
const searchQuery = z.object({
  q: z.string().max(1000).default(''),
  project: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
const exportQuery = z.object({ format: z.enum(['md', 'html']).default('html') });

const badRequest = (error: z.ZodError) => apiError('invalid_request_error', everyIssue(error));
const notFound = apiError('not_found', 'no such session');

export function registerConsoleRoutes(app: Hono, deps: ConsoleDeps): void {
  app.get('/api/sessions', (c) => {
    const q = sessionsQuery.safeParse(c.req.query());
    if (!q.success) return c.json(badRequest(q.error), 400);
    const p = projectParam(q.data.project, () => deps.reader.knownProjects());
    if ('error' in p) return c.json(p.error, 404);
    const page: SessionPageView = deps.sessionList.page({ ...q.data, project: p.project });
    return c.json(page);
  });

  app.get('/api/search', async (c) => {
    const q = searchQuery.safeParse(c.req.query());
    if (!q.success) return c.json(badRequest(q.error), 400);
    const p = projectParam(q.data.project, () => deps.reader.knownProjects());
    if ('error' in p) return c.json(p.error, 404);
    q.data.project = p.project; // the project's id from here on
    const opts = { project: q.data.project, limit: q.data.limit + 1, offset: q.data.offset, prefix: true };
    const sessions = SearchIndex.sessionsFor(opts);
    const found = deps.sessions ? await deps.sessions.sessions(q.data.q, sessions) : deps.search.retrieval.sessions(q.data.q, sessions);
    // A message learn mode sent rewritten is quoted as the person typed it, the rewrite beside it.
    const hits = deps.search.consoleHits(found, opts);
    // Each hit says which session it is in, as a person knows it: its title, project and day.
    const labels = new Map<string, ReturnType<typeof deps.reader.sessionLabel>>();
    const label = (id: string) => (labels.has(id) ? labels.get(id) : (labels.set(id, deps.reader.sessionLabel(id)), labels.get(id)));
    const named = hits.slice(0, q.data.limit).map((h) => {
      const l = h.sessionId ? label(h.sessionId) : undefined;
      const shared = deps.sharedBy?.(h.docKind, h.refId);
      const hit = shared ? { ...h, sharedBy: shared } : h;
      return l ? { ...hit, sessionTitle: l.title, sessionStartedAt: l.startedAt, project: h.project ?? l.project, projectName: l.projectName } : hit;
    });
    const body: SearchResponseView = { query: q.data.q, words: queryWords(q.data.q), hits: named, more: hits.length > q.data.limit };
    return c.json(body);
  });

  app.get('/api/sessions/:id/export', (c) => {
    const q = exportQuery.safeParse(c.req.query());
    if (!q.success) return c.json(badRequest(q.error), 400);
    const session: SessionDetailView | undefined = deps.reader.getSession(c.req.param('id'));
    if (!session) return c.json(notFound, 404);
    const file = exportSession(session, q.data.format);
    // A download, never a page of kx's origin: the export is opened as a file, away from the token cookie.
    return c.body(file.body, 200, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"` });
  });
}
