// The agent gets a token for its memory (/mcp) that can do nothing else: every command the agent
// runs sees its environment, so the console token must never be there.

import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { LearnApi } from '../../src/api/learn-routes.js';
import { codexEnv, MCP_TOKEN_ENV } from '../../src/mcp/codex-config.js';
import { InsightDesk } from '../../src/insight/desk.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { SessionList } from '../../src/store/session-list.js';
import { openRecording } from '../support/recording.js';

const CONSOLE_TOKEN = 'console-token-0123456789abcdef';

describe('the MCP token kx codex hands Codex', () => {
  it('is not the console token, and the console token is nowhere in the environment Codex gets', () => {
    const env = codexEnv({ PATH: '/usr/bin', HOME: '/home/ana', KX_UI_TOKEN: CONSOLE_TOKEN }, CONSOLE_TOKEN);
    expect(env[MCP_TOKEN_ENV]).toMatch(/^kxmcp_[0-9a-f]{64}$/);
    expect(Object.values(env).join('\n')).not.toContain(CONSOLE_TOKEN);
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/ana' });
  });

  it('is refused on every /api route, mode switching included, which the console token opens', async () => {
    const r = openRecording();
    const setMode: string[] = [];
    const learn: LearnApi = {
      list: () => [],
      decide: () => 'not_found',
      expiresAt: () => undefined,
      modes: () => ({ global: 'capture', projects: [], sessions: [] }) as never,
      setMode: (scope, target, mode) => void setMode.push(`${scope} ${target} ${mode}`),
      resolveProject: () => ({ error: 'no such project' }),
      resolveSession: (id) => ({ id }),
    };
    const insight = new InsightDesk({ db: r.store.db, settings: { mode: 'off', idleMinutes: 30 }, live: new LiveEvents(), waitingReason: '', pagesChanged: () => {} });
    try {
      const app = createApp({ reader: r.reader, sessionList: new SessionList(r.store.db, r.reader), search: new SearchIndex(r.store.db), live: new LiveEvents(), token: CONSOLE_TOKEN, boundHost: '127.0.0.1', version: '9.9.9', health: () => ({}), learn, insight });
      const mcpToken = codexEnv({}, CONSOLE_TOKEN)[MCP_TOKEN_ENV]!;
      const call = (method: string, path: string, token: string) =>
        app.request(`http://127.0.0.1:8787${path}`, {
          method,
          headers: { host: '127.0.0.1:8787', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: JSON.stringify({ mode: 'capture' }) }),
        });
      // Each handler of a route is listed: one entry per method and path.
      const routes = [...new Map(app.routes.filter((rt) => rt.path.startsWith('/api/') && rt.method !== 'ALL' && rt.path !== '/api/health').map((rt) => [`${rt.method} ${rt.path}`, rt])).values()];
      expect(routes.map((rt) => `${rt.method} ${rt.path}`)).toEqual(expect.arrayContaining(['POST /api/mode', 'POST /api/approvals/:id', 'POST /api/sessions/:id/end', 'GET /api/sessions/:id']));
      for (const rt of routes) {
        const path = rt.path.replace(/:[a-z]+/gi, 'x');
        expect({ route: `${rt.method} ${rt.path}`, status: (await call(rt.method, path, mcpToken)).status }).toEqual({ route: `${rt.method} ${rt.path}`, status: 401 });
        if (rt.path !== '/api/events') expect((await call(rt.method, path, CONSOLE_TOKEN)).status).not.toBe(401); // events would stream on
      }
      expect(setMode).toEqual(['global null capture']); // only the console token's call switched
    } finally {
      r.close();
    }
  });
});
