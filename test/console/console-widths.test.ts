// Every console view at a phone's width (390 px), a laptop's or a landscape tablet's (1,024 px) and a wide
// screen's (1,440 px), in headless Chromium against
// a kx with the insight engine on and realistic data: long titles, long project paths, a many-turn session,
// an idle one, an answer kx could not decode. Nothing wider than the viewport, no text drawn over other text,
// titles readable: the sessions list gives its titles a fair share of the table. Screenshots land in test/artifacts/console/ (width-<view>-<px>.png).

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { ARTIFACTS, consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { layoutReport, visibleWidth } from '../support/console-layout.js';
import { titleFit } from './title-fit.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';

const SHOP = '019a7c2e-5b1f-7d22-9e31-4c6f0a8b2d17';
const SHOP_DIR = '/home/ana/projects/client-work/a-rather-long-folder-name-for-a-client/shop-frontend-monorepo';
const TITLE = 'how do I configure vite for a monorepo with two packages that share one tsconfig, and why does the dev server ignore the alias?';
const BLOG = '019a7c2e-77aa-7b10-8c55-1d2e3f405162';
const SIXTY = '019a7c2e-8b3c-7a21-9d44-2e3f40516273';
const SIXTY_TITLE = 'why does vite ignore the alias from packages/shared in tests';
const UNDECODABLE = '019a7c2e-9c0d-7e3f-a1b2-c3d4e5f60718';
const IDLE = 'width-idle';
const TURNS = 9;
const WIDTHS = [390, 1024, 1440];

const note = (n: number) => ({
  summary: `Asked how vite resolves the shared tsconfig paths across both packages (step ${n})`,
  action: 'Read vite.config.ts, tsconfig.base.json and packages/web/tsconfig.json, then explained how the paths map.',
  outcome: 'succeeded',
  gaps: [{ topic: `vite config ${n}`, question: 'where does vite read its config in a monorepo with a shared tsconfig?', evidence: 'you asked twice', confidence: 0.9, existing_gap_id: null }],
  confusion: [{ what: 'mixed up vite-tsconfig-paths and the resolve.alias option', evidence: 'the alias is ignored' }],
  decisions: [{ choice: 'keep one tsconfig.base.json at the root', why: 'both packages extend it' }],
  successes: ['npm run dev --workspace=packages/web started'],
  follow_ups: ['pin the node version in .nvmrc'],
  resolved_gaps: [],
  next_time: 'Open vite.config.ts and tsconfig.base.json first.',
  playbook_steps: [{ step: 'install the workspace', command: 'npm ci --workspaces --include-workspace-root --no-audit --no-fund' }],
  search_terms: ['vite', 'tsconfig'],
});
const summary = {
  title: 'Configuring vite for the shop monorepo with a shared tsconfig.base.json',
  highlights: ['Found where vite reads its config when two packages share one tsconfig'],
  unresolved_questions: ['which node version does the project need on the build server?'],
  next_repetitions: ['Set up vite-tsconfig-paths without the agent'],
  playbook: [
    { step: 'install the workspace', command: 'npm ci --workspaces --include-workspace-root --no-audit --no-fund', why: 'the lockfile pins versions' },
    { step: 'start the dev server of the web package', command: 'npm run dev --workspace=packages/web -- --host 0.0.0.0 --port 5173', why: null },
  ],
};

// A real browser beside the whole suite on two cores: a page can take many seconds to settle there.
describe('the console at 390, 1,024 and 1,440 px', { timeout: 60_000 }, () => {
  let h: InsightHarness;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;
  let projectId = '';

  beforeAll(async () => {
    // The idle session must stay open (idle, not ended) however long the file runs: the engine ends a session quiet
    // for 30 minutes at its next look, once a minute by default.
    h = await startInsightHarness({}, { insightEngine: { idleCheckMs: 3_600_000 } });
    for (let n = 1; n <= TURNS; n++) {
      h.fake.enqueueInsight({ kind: 'answer', output: note(n) });
      await h.turn(SHOP, n === 1 ? TITLE : `and step ${n}: what about the alias in packages/web when it imports from packages/shared/src/index.ts?`, { cwd: SHOP_DIR });
    }
    await h.waitFor('the notes', () => h.kx.insight.engine.reader.turnInsights(SHOP).filter((t) => t.state === 'done').length === TURNS, 60_000);
    h.fake.enqueueInsight({ kind: 'answer', output: summary });
    await fetch(`${h.kx.url}/api/sessions/${SHOP}/end`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    await h.waitFor('the summary', () => h.kx.insight.engine.reader.summary(SHOP) !== null);
    h.fake.enqueueInsight({ kind: 'answer', output: { ...note(0), gaps: [] } });
    await h.turn(BLOG, 'what is a deploy key?', { cwd: '/home/ana/blog' });
    h.fake.enqueueInsight({ kind: 'answer', output: { ...note(0), gaps: [] } });
    await h.turn(SIXTY, SIXTY_TITLE, { cwd: SHOP_DIR });
    h.fake.enqueue({ kind: 'http-error', status: 200, body: { id: 'resp_x' }, headers: { 'content-encoding': 'compress' } });
    await rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': UNDECODABLE },
      body: responsesBody('what is in this folder? list every file with its size and the last commit that touched it', { stream: false }),
    });
    // Quiet for weeks and never ended, with a long duration and a long date: idle, "1 min 15 s", "Nov 28, 2026, 10:58 PM".
    seedSessions(h.kx.store.db, { sessions: 1, turnsPerSession: 75, idPrefix: IDLE, start: new Date('2026-11-28T22:58:00Z') });
    await h.kx.settle();
    projectId = h.kx.insight.engine.reader.gaps().find((g) => g.topic.startsWith('vite config'))?.project ?? '';
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 120_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await h?.close();
  });

  async function open(hash: string, width: number, ready: string): Promise<Page> {
    await w?.close();
    w = await openWatchedPage(context, { width });
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((hh) => (location.hash = hh), hash);
    // What the page showed instead, when it never got there: test/artifacts/console/width-not-ready-<px>.png.
    await expect.poll(() => deepText(w!.page.locator('kx-app')), { timeout: 30_000 }).toContain(ready).catch(async (e: unknown) => {
      await screenshot(w!.page, `width-not-ready-${width}`);
      throw e;
    });
    return w.page;
  }

  /** `long`: a page so long (75 turns) that a full-page screenshot and the accessibility scan alone take seconds: its first screen only, no axe. */
  async function expectSound(page: Page, name: string, { long = false } = {}): Promise<void> {
    if (long) await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    else await screenshot(page, name);
    const r = await layoutReport(page);
    expect(r.overlaps.join('\n'), `${name}: texts over each other`).toBe('');
    expect(r.offscreen.join('\n'), `${name}: texts past the edge`).toBe('');
    expect(r.overflowPx, `${name}: page scrolls sideways`).toBe(0);
    if (!long) expect(await seriousA11yViolations(page), name).toEqual([]);
    expect(w!.errors).toEqual([]);
  }

  // And at 1,366 px, the commonest laptop's width, just above where the client and project columns come back.
  for (const width of [...WIDTHS, 1366]) {
    it(`shows the sessions list with readable titles at ${width} px`, async () => {
      const page = await open('#/sessions', width, 'how do I configure vite');
      await expect.poll(() => deepText(page.locator('kx-sessions-view'))).toContain('idle');
      await expectSound(page, `width-sessions-${width}`);
      // At least half of a phone's width, and a third of a wide screen's, shows the title.
      expect(await visibleWidth(page, 'kx-sessions-view', '.title a')).toBeGreaterThan(width < 600 ? width / 2 : width / 3);
      // A 60-character title reads whole, on at most two lines; in a table the titles get at least 35 % of its width.
      const fit = await titleFit(page, SIXTY_TITLE);
      expect(fit, `the title "${SIXTY_TITLE}"`).toMatchObject({ cut: false });
      expect(fit.lines).toBeLessThanOrEqual(2);
      if (width > 900) expect(fit.share, 'the title column\'s share of the table').toBeGreaterThanOrEqual(0.35);
    });
  }

  for (const width of WIDTHS) {
    it(`shows a many-turn session's timeline at ${width} px`, async () => {
      const page = await open(`#/sessions/${SHOP}`, width, 'resolves the shared tsconfig paths across both packages (step 9)');
      await expectSound(page, `width-session-${width}`);
    });

    it(`shows a turn's own link at ${width} px`, async () => {
      const page = await open(`#/sessions/${SHOP}/turns/4`, width, '(step 4)');
      await expectSound(page, `width-turn-${width}`);
    });

    for (const [tab, ready] of [['learnings', 'Configuring vite for the shop monorepo'], ['playbook', 'start the dev server of the web package'], ['chart', 'Tokens (left axis)']] as const) {
      it(`shows a session's ${tab} at ${width} px`, async () => {
        const page = await open(`#/sessions/${SHOP}?tab=${tab}`, width, ready);
        await expectSound(page, `width-${tab}-${width}`);
        // The open tab shows whole, even when the row of tabs scrolls.
        const whole = await page.locator('kx-session-view nav.tabs a[aria-current="page"]').evaluate((a) => {
          const [row, box] = [a.parentElement!.getBoundingClientRect(), a.getBoundingClientRect()];
          return box.left >= row.left - 1 && box.right <= row.right + 1;
        });
        expect(whole, `the ${tab} tab is cut`).toBe(true);
      });
    }

    it(`shows an answer kx could not decode plainly at ${width} px`, async () => {
      const page = await open(`#/sessions/${UNDECODABLE}`, width, 'kx could not decode this answer');
      await expectSound(page, `width-undecodable-${width}`);
    });

    it(`shows an idle session as idle at ${width} px`, async () => {
      const page = await open(`#/sessions/${IDLE}-000000`, width, 'question 75');
      expect(await page.locator('kx-session-view .chip.idle').textContent()).toBe('idle');
      expect(await page.locator('kx-session-view .chip.idle').getAttribute('title')).toContain('still open');
      await expectSound(page, `width-idle-${width}`, { long: true });
    });

    it(`shows the projects with every column at ${width} px`, async () => {
      const page = await open('#/projects', width, 'shop-frontend-monorepo');
      await expectSound(page, `width-projects-${width}`);
      const text = await deepText(page.locator('kx-projects-view'));
      for (const col of ['Sessions', 'Open gaps', 'Resolved gaps', 'Last activity']) expect(text).toContain(col);
    });

    it(`shows a project at ${width} px`, async () => {
      const page = await open(`#/projects/${encodeURIComponent(projectId)}`, width, 'vite config 9');
      await expectSound(page, `width-project-${width}`);
    });

    it(`shows the gaps at ${width} px`, async () => {
      const page = await open('#/gaps', width, 'vite config 9');
      await expectSound(page, `width-gaps-${width}`);
    });

    it(`shows search results at ${width} px`, async () => {
      const page = await open('#/search?q=vite%20alias', width, 'Search');
      await expect.poll(() => page.locator('kx-search-view li').count()).toBeGreaterThan(1);
      await expectSound(page, `width-search-${width}`);
    });

    it(`shows the approvals page at ${width} px`, async () => {
      const page = await open('#/approvals', width, 'Approvals');
      await expectSound(page, `width-approvals-${width}`);
    });

    it(`shows the team page at ${width} px`, async () => {
      const page = await open('#/team', width, 'Team');
      await expectSound(page, `width-team-${width}`);
    });
  }
});
