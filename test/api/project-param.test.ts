// `project=` on the routes that take one (/api/sessions, /api/search, /api/gaps): one resolver, so a project
// named by id, name or folder finds the same project everywhere, and one kx does not know is a 404 naming the
// known ones, never an empty answer that reads as "nothing was found".

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { projectIdOfCwd } from '../../src/capture/project.js';
import { searchResponseView, sessionPageView } from '../../src/contracts/console.js';
import { gapList } from '../../src/contracts/insight.js';
import { InsightDesk } from '../../src/insight/desk.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { SessionList } from '../../src/store/session-list.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, tempDir, type Recording } from '../support/recording.js';
import { checkout } from '../team/checkouts.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('project= on the console API', () => {
  let r: Recording;
  afterEach(() => r?.close());

  /** Three sessions: two in /home/ana/shop (a gap in it too), one in /home/ana/blog; every one mentions the webhook. */
  function appWithProjects(extra?: { id: string; name: string }) {
    r = openRecording();
    const db = r.store.db;
    seedSessions(db, { sessions: 3, turnsPerSession: 1, humanText: (s) => `the webhook of session ${s} fails` });
    const project = db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, '2026-01-01')`);
    project.run('shop-3f2a1b', '/home/ana/shop');
    project.run('blog-77aa01', '/home/ana/blog');
    if (extra) project.run(extra.id, extra.name);
    const place = db.prepare(`UPDATE sessions SET project = ?, cwd = ? WHERE id = ?`);
    place.run('shop-3f2a1b', '/home/ana/shop', 'seed-000000');
    place.run('shop-3f2a1b', '/home/ana/shop', 'seed-000001');
    place.run(extra?.id ?? 'blog-77aa01', extra?.name ?? '/home/ana/blog', 'seed-000002');
    db.prepare(
      `INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
         last_seen_session_id, last_seen_turn_id, last_seen_at) VALUES ('g_1', 'shop-3f2a1b', 'webhooks', 'q', 'e', 'open', 1, 'seed-000000', 't', '2026-01-01', 'seed-000000', 't', '2026-01-01')`,
    ).run();
    const search = new SearchIndex(db);
    search.catchUp();
    const insight = new InsightDesk({ db, settings: { mode: 'turn', idleMinutes: 30 }, live: new LiveEvents(), waitingReason: '', pagesChanged: () => {} });
    const app = createApp({ reader: r.reader, sessionList: new SessionList(db, r.reader), search, insight, live: new LiveEvents(), token: TOKEN, boundHost: '127.0.0.1', version: '9.9.9', health: () => ({}) });
    return async (route: string): Promise<{ status: number; body: unknown }> => {
      const res = await app.request(`http://127.0.0.1:8787${route}`, { headers: { host: '127.0.0.1:8787', authorization: `Bearer ${TOKEN}` } });
      return { status: res.status, body: await res.json() };
    };
  }
  const sessionsOf = (body: unknown) => sessionPageView.parse(body).sessions.map((s) => s.id).sort();
  const searchedSessions = (body: unknown) => [...new Set(searchResponseView.parse(body).hits.map((h) => h.sessionId))].sort();
  const shop = ['seed-000000', 'seed-000001'];
  const every = ['seed-000000', 'seed-000001', 'seed-000002'];

  it('names a project by its id, its name or its folder, in search and in the session list alike', async () => {
    const get = appWithProjects();
    for (const name of ['shop-3f2a1b', '/home/ana/shop', '/home/ana/shop/']) {
      const q = encodeURIComponent(name);
      expect(searchedSessions((await get(`/api/search?q=webhook&project=${q}`)).body), name).toEqual(shop);
      expect(sessionsOf((await get(`/api/sessions?project=${q}`)).body), name).toEqual(shop);
    }
  });

  it('a folder inside a project names that project, as the CLI and /api/gaps decide it', async () => {
    const get = appWithProjects();
    const inside = encodeURIComponent('/home/ana/shop/src/payments');
    expect(searchedSessions((await get(`/api/search?q=webhook&project=${inside}`)).body)).toEqual(shop);
    expect(sessionsOf((await get(`/api/sessions?project=${inside}`)).body)).toEqual(shop);
    expect(gapList.parse((await get(`/api/gaps?project=${inside}`)).body).gaps.map((g) => g.id)).toEqual(['g_1']);
  });

  it("a teammate's checkout of the same repository names the project of its git remote", async () => {
    const root = tempDir('kx-project-param-');
    const mine = checkout(path.join(root, 'ana'), 'shop', 'git@github.com:acme/shop.git');
    const theirs = checkout(path.join(root, 'bob', 'code'), 'shop', 'https://github.com/acme/shop');
    const get = appWithProjects({ id: projectIdOfCwd(mine), name: mine });
    const q = encodeURIComponent(theirs);
    expect(searchedSessions((await get(`/api/search?q=webhook&project=${q}`)).body)).toEqual(['seed-000002']);
    expect(sessionsOf((await get(`/api/sessions?project=${q}`)).body)).toEqual(['seed-000002']);
  });

  it('an unknown project is a 404 that names the known projects, on every route that takes one', async () => {
    const get = appWithProjects();
    for (const route of ['/api/search?q=webhook&project=nope', '/api/sessions?project=nope', '/api/gaps?project=nope', `/api/search?q=webhook&project=${encodeURIComponent('/srv/elsewhere')}`]) {
      const { status, body } = await get(route);
      expect(status, route).toBe(404);
      const message = (body as { error: { type: string; message: string } }).error.message;
      expect((body as { error: { type: string } }).error.type).toBe('not_found');
      expect(message, route).toMatch(/^no project "(nope|\/srv\/elsewhere)"/);
      expect(message, route).toContain('shop-3f2a1b (/home/ana/shop)');
      expect(message, route).toContain('blog-77aa01 (/home/ana/blog)');
    }
  });

  it('an empty project= or project=all is every project, as no project at all', async () => {
    const get = appWithProjects();
    for (const p of ['', 'all']) {
      expect(searchedSessions((await get(`/api/search?q=webhook&project=${p}`)).body), p).toEqual(every);
      expect(sessionsOf((await get(`/api/sessions?project=${p}`)).body), p).toEqual(every);
    }
  });
});
