// Team memory's routes: its status and what leaves the machine (GET /api/team), and a project's sharing
// switch (POST /api/team/projects/:id/sharing). Behind the token like every /api route.

import type { Hono } from 'hono';
import { sharingRequest, type TeamView } from '../contracts/team.js';
import { apiError, jsonBody } from './api-error.js';

export interface TeamApi {
  view(): TeamView;
  setSharing(project: string, on: boolean): boolean;
}

export function registerTeamRoutes(app: Hono, team: TeamApi): void {
  app.get('/api/team', (c) => c.json(team.view()));
  app.post('/api/team/projects/:id/sharing', jsonBody(sharingRequest, () => 'the body must be {"sharing": true | false}'), (c) => {
    const id = c.req.param('id');
    if (!team.setSharing(id, c.req.valid('json').sharing)) return c.json(apiError('not_found', 'no such project'), 404);
    return c.json(team.view().projects.find((p) => p.id === id));
  });
}
