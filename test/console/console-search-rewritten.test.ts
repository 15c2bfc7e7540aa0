// The console's search, in headless Chromium, on a message learn mode sent rewritten: the hit quotes what the
// person typed as the human's words, and where the match is in the rewrite, shows it apart as what kx sent.
// Screenshots: test/artifacts/console/search-rewritten-*.png.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

const TYPED = 'how do I test the webhook locally on my laptop?';
const SENT = 'REWRITE-4: test the stripe webhook locally with the stripe CLI, as past sessions did';

describe('console search over a message learn mode sent rewritten', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    h = await startHarness();
    const db = h.kx.store.db;
    seedSessions(db, { sessions: 1, turnsPerSession: 2, idPrefix: 'hook', humanText: (_s, t) => (t === 2 ? SENT : 'where is the deploy script?') });
    // Turn 2 went upstream as learn mode's rewrite, accepted; what was typed is kept beside it.
    db.prepare(`UPDATE items SET detail = ? WHERE turn_id = 't_hook-000000_2' AND kind = 'human_message'`).run(JSON.stringify({ originalText: TYPED, approvalId: 'ap_1' }));
    h.kx.search.catchUp();
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 90_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await h?.close();
  });

  async function search(q: string) {
    await w?.close();
    w = await openWatchedPage(context);
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((hh) => (location.hash = hh), `#/search?q=${encodeURIComponent(q)}`);
    const hit = w.page.locator('kx-search-view li').filter({ hasText: 'turn 2 of' });
    await expect.poll(() => hit.count()).toBe(1);
    return { page: w.page, hit };
  }

  it('quotes what the person typed as the human\'s words, and the rewrite the match is in as what kx sent', async () => {
    const { page, hit } = await search('REWRITE');
    expect(await deepText(hit)).toContain('sent rewritten by learn mode');
    const said = hit.locator('.said');
    expect(await deepText(said.locator('.label'))).toBe('human said');
    expect(await deepText(said.locator('kx-snippet'))).toBe(TYPED);
    const sent = hit.locator('.sent');
    expect(await deepText(sent.locator('.label'))).toBe("kx sent, rewritten by learn mode");
    expect(await deepText(sent.locator('kx-snippet'))).toBe(SENT);
    expect(await sent.locator('mark').allTextContents()).toEqual(['REWRITE']);
    expect(await said.locator('mark').count()).toBe(0);
    await screenshot(page, 'search-rewritten-sent');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await w!.violations()).toEqual([]);
    expect(w!.errors).toEqual([]);
  }, 60_000);

  it('marks a word only the person typed in what they typed, and quotes no rewrite it is not in', async () => {
    const { page, hit } = await search('laptop');
    expect(await hit.locator('.said mark').allTextContents()).toEqual(['laptop']);
    expect(await hit.locator('.sent').count()).toBe(0);
    expect(await deepText(hit)).toContain('sent rewritten by learn mode');
    await screenshot(page, 'search-rewritten-typed');
  }, 60_000);
});
