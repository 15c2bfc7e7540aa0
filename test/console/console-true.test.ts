// The console stays true to what kx knows, in headless Chromium against a real kx with the insight engine on:
// the tab names the view, a session's header says where it ran and whether it is over (and can end it), a long
// timeline has a jump list, search hits name their session, and a project's page follows its gaps live.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';

const SHOP = '/home/ana/shop';

describe('a console that stays true', () => {
  let h: InsightHarness | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 60_000);
  afterEach(async () => {
    await w?.close();
    w = undefined;
    await h?.close();
    h = undefined;
  });
  afterAll(async () => browser?.close());

  async function open(hash: string, width = 1024): Promise<WatchedPage> {
    w = await openWatchedPage(context, { width });
    await w.page.goto(`${h!.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((hh) => (location.hash = hh), hash);
    return w;
  }

  const insightsDone = (sessionId: string, turns: number) =>
    h!.waitFor(`${turns} insights of ${sessionId}`, () => {
      const all = h!.kx.insight.engine.reader.turnInsights(sessionId);
      return all.length === turns && all.every((t) => t.state === 'done');
    });

  it('names the view in the tab title', async () => {
    h = await startInsightHarness();
    const { page } = await open('#/sessions');
    await expect.poll(() => page.title()).toBe('Sessions · kx');
    await page.evaluate(() => (location.hash = '#/gaps'));
    await expect.poll(() => page.title()).toBe('Gaps · kx');
    await page.evaluate(() => (location.hash = '#/search?q=cart'));
    await expect.poll(() => page.title()).toBe('Search: cart · kx');
  }, 60_000);

  it("shows in a session's header its project and status, and ends it with a button", async () => {
    h = await startInsightHarness();
    await h.turn('s-head', 'hello there', { cwd: SHOP });
    const { page } = await open('#/sessions/s-head');
    const facts = page.locator('kx-session-view .facts');
    await facts.waitFor();
    await expect.poll(() => deepText(facts)).toContain(`Project ${SHOP}`);
    expect(await deepText(facts)).toContain('live');
    await facts.locator('button', { hasText: 'End session' }).click();
    await expect.poll(() => deepText(facts)).toMatch(/ended .*\d/);
    expect(await facts.locator('button', { hasText: 'End session' }).count()).toBe(0);
    expect(h.kx.insight.engine.reader.session('s-head')!.endedAt).not.toBeNull();
    expect(await seriousA11yViolations(page)).toEqual([]);
  }, 60_000);

  it('gives a long timeline a jump list of its turns, by what the human asked', async () => {
    h = await startInsightHarness({ mode: 'off' });
    for (let i = 1; i <= 5; i++) await h.turn('s-long', `question number ${i}`, { cwd: SHOP });
    const { page } = await open('#/sessions/s-long');
    const outline = page.locator('kx-session-view details.outline');
    await outline.locator('summary', { hasText: 'Jump to a turn (5)' }).click();
    const fourth = outline.locator('a', { hasText: 'question number 4' });
    await fourth.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/sessions/s-long/turns/4');
    await screenshot(page, 'session-outline');
  }, 60_000);

  it('shows on each search hit its session title, project and date, filters by project, and lets j/k move after Enter', async () => {
    h = await startInsightHarness({ mode: 'off' });
    await h.turn('s-find', 'why does the cart badge render twice', { cwd: SHOP });
    await h.turn('s-blog', 'the cart of the blog theme', { cwd: '/home/ana/blog' });
    const { page } = await open('#/search');
    const input = page.locator('kx-search-view input[type="search"]');
    await input.fill('cart');
    await input.press('Enter');
    const hits = page.locator('kx-search-view li');
    await expect.poll(() => hits.count()).toBeGreaterThanOrEqual(2);
    const shopHit = hits.filter({ hasText: 'why does the cart badge render twice' }).first();
    const text = await deepText(shopHit);
    expect(text).toContain('“why does the cart badge render twice”');
    expect(text).toContain(SHOP);
    expect(text).toMatch(/\d{4}|\d{1,2}:\d{2}/);
    // Focus left the box: j selects the first hit.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.tagName ?? null)).not.toBe('INPUT');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('kx-search-view li.selected').count()).toBe(1);
    await page.locator('kx-search-view select').selectOption({ label: '/home/ana/blog' });
    await expect.poll(async () => (await deepText(page.locator('kx-search-view ul'))).includes('cart badge')).toBe(false);
    expect(await deepText(page.locator('kx-search-view ul'))).toContain('the cart of the blog theme');
  }, 60_000);

  it("updates a project's counts, chart and lists live when a gap is resolved", async () => {
    h = await startInsightHarness();
    await h.turn('s-gap', 'what is useEffect?', { cwd: SHOP });
    await insightsDone('s-gap', 1);
    const project = h.kx.insight.engine.reader.session('s-gap')!.project!;
    const gap = h.kx.insight.engine.reader.gaps({ status: 'open', project })[0]!;
    const { page } = await open(`#/projects/${project}`);
    const view = page.locator('kx-project-view');
    await expect.poll(() => deepText(view)).toContain('1 open gap · 0 resolved');
    h.kx.insight.engine.setGapStatus(gap.id, 'resolved', 'read the React docs');
    await expect.poll(() => deepText(view)).toContain('0 open gaps · 1 resolved');
    expect(await deepText(view)).toContain('Resolved gaps');
    expect(await deepText(view)).toContain('None open.');
  }, 60_000);
});
