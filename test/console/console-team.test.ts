// The console's Team view against a real kx with team memory on (a throwaway PostgreSQL): the sync's
// state with the database's password masked, what leaves the machine and what never does, and a
// project's sharing switch that reaches the API.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { PG_PASSWORD, startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { insightSettings } from '../support/insight-harness.js';
import { teamIndexer } from '../../src/insight/team-index.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations } from '../support/console-browser.js';

describe('the console Team view', () => {
  let cluster: PgCluster;
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    cluster = await startPgCluster();
    h = await startHarness({ insight: insightSettings(), team: { databaseUrl: cluster.url, author: 'ana', pollMs: 100 } });
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('shop-aaaaaa', '/home/ana/shop', '2026-12-01T00:00:00Z')`).run();
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    cluster?.close();
  });

  it('says in search who shared a hit through team memory', async () => {
    const db = h.kx.store.db;
    const note = { summary: 'the staging certificate renews through certbot on the bastion', action: 'read the runbook', outcome: 'succeeded', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [] };
    expect(teamIndexer(h.kx.search)({ kind: 'note', localId: 't_bob1', sessionId: 's_bob', project: 'shop-aaaaaa', data: { output: note }, deleted: false })).toBeUndefined();
    db.prepare(`INSERT INTO team_received (machine_id, kind, local_id, team_key, project, author, session_id, data, changed_at, changed_by, received_at)
      VALUES ('m_bob', 'note', 't_bob1', 'github.com/acme/shop', 'shop-aaaaaa', 'bob', 's_bob', '{}', '2026-12-04T09:00:00Z', 'm_bob', '2026-12-04T09:00:01Z')`).run();
    const w = await openWatchedPage(context);
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.goto(`${h.kx.url}/ui/#/search`);
    await w.page.locator('kx-search-view input').fill('certbot bastion');
    const results = w.page.locator('kx-search-view').getByRole('list', { name: 'Search results' });
    await expect.poll(() => deepText(results), { timeout: 20_000 }).toContain('shared by bob through team memory');
    expect(w.errors).toEqual([]);
    await w.close();
  }, 60_000);

  it('shows the sync connected with the password masked, what is shared and kept, and switches a project off', async () => {
    const w = await openWatchedPage(context);
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.goto(`${h.kx.url}/ui/#/team`);
    const view = w.page.locator('kx-team-view');
    await expect.poll(() => deepText(view), { timeout: 20_000 }).toContain('connected');
    const text = await deepText(view);
    expect(text).toContain('postgres://kx:***@127.0.0.1');
    expect(text).not.toContain(PG_PASSWORD);
    expect(text).toContain('What leaves this machine');
    expect(text).toMatch(/raw turns/);
    await view.getByRole('checkbox').first().uncheck();
    await expect
      .poll(async () => {
        const res = await fetch(`${h.kx.url}/api/team`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
        return ((await res.json()) as { projects: Array<{ id: string; sharing: boolean }> }).projects.find((p) => p.id === 'shop-aaaaaa')?.sharing;
      })
      .toBe(false);
    await screenshot(w.page, 'team');
    expect(await seriousA11yViolations(w.page)).toEqual([]);
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  }, 60_000);
});
