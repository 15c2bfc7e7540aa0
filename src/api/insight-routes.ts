// The insight routes: turn insights and summaries of a session, ending a session, gaps, projects
// and the queue's status. Behind the token like every /api route; POSTs pass the same-origin guard.

import path from 'node:path';
import type { Hono } from 'hono';
import { projectOfFolder } from '../capture/project.js';
import type { InsightDesk } from '../insight/desk.js';
import { gapStatus, gapUpdate, type ProjectProfileView, type SessionSummaryResponse } from '../contracts/insight.js';
import { apiError, jsonBody } from './api-error.js';

const notFound = (what: string) => apiError('not_found', `no such ${what}`);
const badRequest = (message: string) => apiError('invalid_request_error', message);

const Status = gapStatus.optional();

/** A project by id, or by a folder the way the CLI names one (capture/project.ts): inside it, or a checkout of its git remote. */
function projectNamed(reader: InsightDesk['reader'], asked: string): string | undefined {
  return path.isAbsolute(asked) ? projectOfFolder(reader.projects(), asked)?.id : reader.projectId(asked);
}

/** A session's summary; a teammate's session is not stored here, and its shared summary (team memory, with `sharedBy`) is all there is. */
function summaryOf(reader: InsightDesk['reader'], id: string, version: number | undefined): SessionSummaryResponse | undefined {
  if (reader.session(id)) return { summary: reader.summary(id, version), versions: reader.summaryVersions(id) };
  const shared = reader.summary(id);
  if (!shared) return undefined;
  return { summary: version === undefined || version === shared.version ? shared : null, versions: [{ version: shared.version, createdAt: shared.createdAt }] };
}

export function registerInsightRoutes(app: Hono, engine: InsightDesk): void {
  const reader = engine.reader;

  app.get('/api/sessions/:id/insights', (c) => {
    const id = c.req.param('id');
    if (!reader.session(id)) return c.json(notFound('session'), 404);
    return c.json({ sessionId: id, insights: reader.turnInsights(id) });
  });

  app.get('/api/sessions/:id/summary', (c) => {
    const id = c.req.param('id');
    const v = c.req.query('version');
    const version = v === undefined ? undefined : Number(v);
    if (version !== undefined && !Number.isInteger(version)) return c.json(badRequest('version must be an integer'), 400);
    const answer = summaryOf(reader, id, version);
    return answer ? c.json(answer) : c.json(notFound('session'), 404);
  });

  app.get('/api/shared-summaries', (c) => c.json({ summaries: reader.sharedSessions(c.req.query('start') ?? '') }));

  app.post('/api/sessions/:id/end', (c) => {
    const ended = engine.endSession(c.req.param('id'));
    return ended ? c.json(ended) : c.json(notFound('session'), 404);
  });

  app.get('/api/gaps', (c) => {
    const status = Status.safeParse(c.req.query('status') || undefined);
    if (!status.success) return c.json(badRequest('status must be open or resolved'), 400);
    // `all` (or none) is every project, as in `kx gaps --project all` and MCP; a project is named by id or folder.
    const asked = c.req.query('project') || 'all';
    const project = asked === 'all' ? undefined : projectNamed(reader, asked);
    if (asked !== 'all' && !project) return c.json(apiError('not_found', `no project ${JSON.stringify(asked)}: GET /api/projects lists them, or project=all for every project`), 404);
    return c.json({ gaps: reader.gaps({ ...(status.data ? { status: status.data } : {}), ...(project ? { project } : {}) }) });
  });

  app.post('/api/gaps/:id', jsonBody(gapUpdate, () => 'the body must be {"status": "open" | "resolved", "note"?: string}'), (c) => {
    const update = c.req.valid('json');
    const id = c.req.param('id');
    if (!engine.setGapStatus(id, update.status, update.note)) return c.json(notFound('gap'), 404);
    return c.json(reader.gap(id)!);
  });

  app.get('/api/projects', (c) => c.json({ projects: reader.projects() }));

  app.get('/api/projects/:id/profile', (c) => {
    const profile = engine.profile(c.req.param('id'));
    if (!profile) return c.json(notFound('project'), 404);
    const view: ProjectProfileView = profile;
    return c.json(view);
  });

  app.get('/api/insight/status', (c) => c.json(engine.status()));
}
