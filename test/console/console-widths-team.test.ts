// The Team view with team memory on, at a phone's width (390 px), a laptop's (1,024 px) and a wide screen's
// (1,440 px), in headless Chromium against a real kx joined to a throwaway PostgreSQL: a teammate's notes, a
// gap and a session summary with its playbook have arrived, and the projects table holds a shared checkout
// (its team name a long git remote), one kept here, and one with a long path; search and the gaps say who
// shared what. Nothing wider than the viewport, no text drawn over other text, no table cut at its box's edge.
// Screenshots: test/artifacts/console/width-{team-on,search-team,gaps-team}-<px>.png.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';
import { projectIdOfCwd } from '../../src/capture/project.js';
import { enqueue } from '../../src/team/outbox.js';
import { setSharing } from '../../src/team/team-view.js';
import { insightSettings } from '../support/insight-harness.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { layoutReport } from '../support/console-layout.js';
import { checkout } from '../team/checkouts.js';
import { startMachine, type Machine } from '../team/sync-machine.js';

const REMOTE = 'git@github.com:acme-payments-platform/checkout-service-with-a-long-repository-name.git';
const TEAMMATE = 'bob.hernandez-from-the-platform-team';
const NOTE = 'fixed the flaky checkout integration test by pinning the zoneinfo database in the Docker image and retrying the sandbox call';
const SESSION = '019a7c2e-5b1f-7d22-9e31-4c6f0a8b2d17';

/** A teammate's session summary, with a playbook, as the insight engine queues it. */
function shareSummary(m: Machine, sessionId: string): void {
  const output = {
    title: 'Pinned the zoneinfo database so the checkout tests stop failing at midnight UTC in the sandbox',
    highlights: ['the sandbox clock drifts'],
    unresolved_questions: [],
    next_repetitions: [],
    playbook: [{ step: 'rebuild the test image', command: 'docker build --build-arg TZDATA_VERSION=2026a -t checkout-tests:latest -f docker/tests.Dockerfile .', why: null }],
  };
  m.db.transaction(() => enqueue(m.db, { kind: 'summary', localId: sessionId, project: m.project, sessionId, payload: { version: 1, output, at: new Date().toISOString() } }))();
  m.sync.wake();
}

/** What the layout report cannot see in the Team view: boxes that scroll sideways inside themselves (a table cut
 * at its box's edge), and the lines each project's team name takes (a squeezed column stacks it a few letters a line). */
function teamLayout(page: Page): Promise<{ scrollers: string[]; teamNameLines: number[] }> {
  return page.locator('kx-team-view').evaluate((view) => {
    const all = Array.from(view.shadowRoot!.querySelectorAll('*'));
    const scrollers = all
      .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> ${e.scrollWidth} px in ${e.clientWidth} px`);
    const teamNameLines = Array.from(view.shadowRoot!.querySelectorAll('td.key code')).map((code) => {
      const range = document.createRange();
      range.selectNodeContents(code);
      return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
    });
    return { scrollers, teamNameLines };
  });
}

describe('the Team view with team memory on at 390, 1,024 and 1,440 px', { timeout: 60_000 }, () => {
  let cluster: PgCluster;
  let h: Harness;
  let bob: Machine;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  /** Records that came from teammates, as kx's API lists them. */
  async function received(): Promise<number> {
    const res = await fetch(`${h.kx.url}/api/team`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    return ((await res.json()) as { recent: unknown[] }).recent.length;
  }

  beforeAll(async () => {
    cluster = await startPgCluster();
    const root = tempDir('kx-team-widths-');
    const mine = checkout(`${root}/ana/home/projects/client-work`, 'checkout-service', REMOTE);
    h = await startHarness({ insight: insightSettings(), team: { databaseUrl: cluster.url, author: 'ana', pollMs: 100 } });
    const add = h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, '2026-12-01T00:00:00Z')`);
    add.run(projectIdOfCwd(mine), mine);
    const kept = `${root}/ana/home/projects/a-rather-long-folder-name-for-a-private-experiment/notebooks-and-scratch`;
    add.run(projectIdOfCwd(kept), kept);
    setSharing(h.kx.store.db, projectIdOfCwd(kept), false);
    bob = startMachine(cluster.url, TEAMMATE, checkout(`${root}/bob/code`, 'checkout-service', REMOTE.replace('git@github.com:', 'https://github.com/')));
    bob.sync.start();
    bob.note('turn_b1', SESSION, NOTE);
    bob.note('turn_b2', SESSION, 'the payments sandbox key lives in vault under kv/checkout/sandbox; ask the platform team for read access');
    bob.openGap('g_b1', SESSION, 'payments sandbox key rotation', 'who rotates the sandbox key, and how does checkout pick up the new one?');
    shareSummary(bob, SESSION);
    for (const end = Date.now() + 30_000; (await received()) < 4; await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > end) throw new Error("timed out waiting for the teammate's records");
    }
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 120_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await bob?.close();
    await h?.close();
    cluster?.close();
  });

  async function open(hash: string, view: string, width: number, ready: string): Promise<Page> {
    await w?.close();
    w = await openWatchedPage(context, { width });
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}${hash}`);
    await expect.poll(() => deepText(w!.page.locator(view)), { timeout: 20_000 }).toContain(ready);
    return w.page;
  }

  async function expectSound(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    const r = await layoutReport(page);
    expect(r.overlaps.join('\n'), 'texts over each other').toBe('');
    expect(r.offscreen.join('\n'), 'texts past the edge').toBe('');
    expect(r.overflowPx, 'page scrolls sideways').toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(w!.errors).toEqual([]);
  }

  for (const width of [390, 1024, 1440]) {
    it(`shows the sync, the projects and what teammates shared at ${width} px`, async () => {
      const page = await open('#/team', 'kx-team-view', width, 'pinning the zoneinfo');
      const text = await deepText(page.locator('kx-team-view'));
      for (const shown of ['connected', 'github.com/acme-payments-platform', 'kept here', TEAMMATE, 'payments sandbox key rotation']) expect(text).toContain(shown);
      await expectSound(page, `width-team-on-${width}`);
      // Every column in view, the team names readable: a 78-character remote on at most three lines.
      const t = await teamLayout(page);
      expect(t.scrollers, 'boxes scrolling sideways').toEqual([]);
      expect(t.teamNameLines).toHaveLength(2);
      for (const lines of t.teamNameLines) expect(lines, 'lines of a team name').toBeLessThanOrEqual(3);
    });

    it(`shows a teammate's note in search, saying who shared it, at ${width} px`, async () => {
      const page = await open('#/search?q=zoneinfo%20sandbox', 'kx-search-view', width, `shared by ${TEAMMATE}`);
      await expectSound(page, `width-search-team-${width}`);
    });

    it(`shows a teammate's gap, saying who shared it, at ${width} px`, async () => {
      const page = await open('#/gaps', 'kx-gaps-view', width, `shared by ${TEAMMATE}`);
      await expectSound(page, `width-gaps-team-${width}`);
    });
  }
});
