// Hono routes for /api and /ui. Reads the store, never the proxy.

import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { LiveEvents } from '../store/live-events.js';
import type { SessionReader } from '../store/session-reader.js';
import { apiError } from './api-error.js';
import { cookieName, requireToken, tokenMatches } from './auth.js';
import { hostAllowed } from './host-check.js';
import { sameOriginOnly } from './same-origin.js';
import { securityHeaders } from './security-headers.js';
import { consoleAsset, consolePage } from './console-page.js';
import { registerConsoleRoutes, type ConsoleDeps } from './console-routes.js';
import { eventsRoute } from './events-route.js';
import type { InsightDesk } from '../insight/desk.js';
import { registerInsightRoutes } from './insight-routes.js';
import { registerLearnRoutes, type LearnApi } from './learn-routes.js';
import { registerTeamRoutes, type TeamApi } from './team-routes.js';
import type { HealthFacts, HealthView } from '../contracts/health.js';

export interface ApiDeps extends ConsoleDeps {
  reader: SessionReader;
  /** What changed in the store, streamed to pages by GET /api/events. */
  live: LiveEvents;
  token: string;
  boundHost: string;
  version: string;
  /** Facts merged into GET /api/health; an `ok: false` here overrides the default `ok: true`. */
  health: () => HealthFacts;
  /** The insight engine, for the insight routes. */
  insight?: InsightDesk;
  /** Learn mode's approvals and modes (src/api/learn-routes.ts). */
  learn?: LearnApi;
  /** Team memory's status and sharing switches (src/api/team-routes.ts). */
  team?: TeamApi;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    if (!hostAllowed(c.req.header('host'), deps.boundHost)) {
      return c.json(apiError('forbidden_host', 'kx: Host header not allowed'), 403);
    }
    return next();
  });
  app.use('*', sameOriginOnly());

  app.get('/api/health', (c) => c.json({ ok: true, version: deps.version, ...deps.health() } satisfies HealthView));

  // Opening the printed console URL trades the query token for an HttpOnly cookie.
  // The root is where a person types kx's address by hand: it is the console (a token in the query goes along).
  app.get('/', (c) => c.redirect(`/ui/${new URL(c.req.url).search}`));
  app.get('/ui', (c) => c.redirect('/ui/'));
  app.get('/ui/', (c) => {
    const q = c.req.query('token');
    if (q !== undefined) {
      if (!tokenMatches(q, deps.token)) return c.text('kx: wrong token', 401);
      setCookie(c, cookieName(c.req.header('host')), deps.token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
      return c.redirect('/ui/');
    }
    if (!tokenMatches(getCookie(c, cookieName(c.req.header('host'))), deps.token)) {
      return c.text('kx: open the console URL kx printed at start (it carries the token)', 401);
    }
    return c.html(consolePage());
  });
  app.get('/ui/assets/:file', requireToken(deps.token), consoleAsset());

  app.use('/api/*', requireToken(deps.token));
  app.get('/api/events', eventsRoute(deps.live));
  registerConsoleRoutes(app, deps);
  if (deps.insight) registerInsightRoutes(app, deps.insight);
  app.get('/api/sessions/:id', (c) => {
    const s = deps.reader.getSession(c.req.param('id'));
    return s ? c.json(s) : c.json(apiError('not_found', 'no such session'), 404);
  });

  if (deps.learn) registerLearnRoutes(app, deps.learn);
  if (deps.team) registerTeamRoutes(app, deps.team);

  app.notFound((c) => c.json(apiError('not_found', `kx: no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    // Hono's body validator throws a 400 for a body that is not JSON (api-error.ts jsonBody): the client's mistake.
    if (err instanceof HTTPException && err.status === 400) return c.json(apiError('invalid_request_error', `kx: ${err.message}`), 400);
    return c.json(apiError('internal_error', `kx: ${err.message}`), 500);
  });
  return app;
}
