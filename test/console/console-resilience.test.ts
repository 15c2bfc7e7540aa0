// The console survives an unlucky browser and unlucky data: a locale tag Intl rejects, a row kx sent in
// a shape the console cannot read, an error thrown while a view runs. Against the stand-in API.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, type WatchedPage } from '../support/console-browser.js';
import { startFakeConsoleApi, type FakeConsoleApi } from '../support/fake-console-api.js';

describe('a console that stays up', () => {
  let api: FakeConsoleApi;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    api = await startFakeConsoleApi(undefined, { badSessionRow: true });
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 60_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await api?.close();
  });

  it('renders in a browser whose locale tag Intl rejects (en-US@posix, headless Chromium under LANG=C.UTF-8)', async () => {
    w = await openWatchedPage(context);
    await w.page.addInitScript(() => {
      Object.defineProperty(navigator, 'language', { configurable: true, get: () => 'en-US@posix' });
      Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['en-US@posix'] });
    });
    await w.page.goto(`${api.url}/ui/`);
    await expect.poll(() => deepText(w!.page.locator('kx-sessions-view'))).toContain('bad row');
    expect(w.errors).toEqual([]);
    await w.close();
    w = undefined;
  });

  it('shows the other sessions when one row does not fit, and marks that row', async () => {
    w = await openWatchedPage(context);
    await w.page.goto(`${api.url}/ui/`);
    const view = w.page.locator('kx-sessions-view');
    await expect.poll(() => view.locator('tbody tr').count()).toBe(2);
    const rows = await view.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/unreadable.*durationMs/s);
    expect(rows[1]).not.toContain('unreadable');
    expect(await deepText(view)).not.toContain('unexpected shape');
    await w.close();
    w = undefined;
  });

  it('says what failed in a view and keeps the navigation working', async () => {
    w = await openWatchedPage(context);
    await w.page.goto(`${api.url}/ui/`);
    await w.page.locator('kx-sessions-view tbody tr').first().waitFor();
    await w.page.evaluate(() => void Promise.reject(new Error('the view broke')));
    const app = w.page.locator('kx-app');
    await expect.poll(() => deepText(app.locator('[role=alert]'))).toContain('Error: the view broke');
    await app.locator('nav a', { hasText: 'Gaps' }).click();
    await expect.poll(() => w!.page.evaluate(() => location.hash)).toContain('gaps');
    await w.page.locator('kx-gaps-view').waitFor();
    expect(await app.locator('[role=alert]').count()).toBe(0);
  });
});
