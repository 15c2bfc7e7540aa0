// GET /api/team says what team memory is doing and what leaves the machine; a project's sharing switch
// is POST /api/team/projects/:id/sharing. With team memory off, nothing is queued for the team.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamView } from '../../src/contracts/team.js';
import { enqueue } from '../../src/team/outbox.js';
import { setTeamEnabled } from '../../src/team/team-state.js';
// Insight off: no worker, so nothing but the test switches team memory's outbox on and off.
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

describe('the team routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('shop-aaaaaa', '/home/ana/shop', '2026-12-01T00:00:00Z')`).run();
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (route: string, body?: unknown) =>
    fetch(`${h.kx.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('say team memory is off, what would be shared and what never is, and list the projects', async () => {
    const view = teamView.parse(await (await call('/api/team')).json());
    expect(view).toMatchObject({ enabled: false, state: 'off', database: null, backlog: 0 });
    expect(view.shared.join(' ')).toMatch(/gaps/);
    expect(view.keptLocal.join(' ')).toMatch(/raw turns/);
    expect(view.projects.find((p) => p.id === 'shop-aaaaaa')).toMatchObject({ sharing: true });
    expect(await (await call('/api/health')).json()).not.toHaveProperty('team');
  });

  it('queue nothing while team memory is off', () => {
    const db = h.kx.store.db;
    enqueue(db, { kind: 'note', localId: 't_off', project: 'shop-aaaaaa', payload: {} });
    expect(db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get()).toBe(0);
  });

  it("turn a project's sharing off, dropping what of it waits, and on again", async () => {
    const db = h.kx.store.db;
    setTeamEnabled(db, true);
    enqueue(db, { kind: 'note', localId: 't_waits', project: 'shop-aaaaaa', payload: {} });
    expect(db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get()).toBe(1);
    const off = await call('/api/team/projects/shop-aaaaaa/sharing', { sharing: false });
    expect(await off.json()).toMatchObject({ id: 'shop-aaaaaa', sharing: false, waiting: 0, teamKey: 'folder:shop' });
    enqueue(db, { kind: 'note', localId: 't_after', project: 'shop-aaaaaa', payload: {} });
    expect(db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get()).toBe(0);
    expect(await (await call('/api/team/projects/shop-aaaaaa/sharing', { sharing: true })).json()).toMatchObject({ sharing: true });
    setTeamEnabled(db, false);
  });

  it('refuse an unknown project and a body of the wrong shape', async () => {
    expect((await call('/api/team/projects/nope/sharing', { sharing: false })).status).toBe(404);
    expect((await call('/api/team/projects/shop-aaaaaa/sharing', { sharing: 'no' })).status).toBe(400);
  });
});
