// What the real backend cannot easily show, against a stand-in API typed by src/contracts/: approvals
// (learn mode) with their count in the navigation and a decision sent, and the empty list a new user sees.
// The insight views are tested against a real kx in insight-views.test.ts.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startFakeConsoleApi, type FakeConsoleApi } from '../support/fake-console-api.js';

describe('console approvals and first-run views on a stand-in API', () => {
  let api: FakeConsoleApi;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    api = await startFakeConsoleApi();
    browser = await launchBrowser();
    context = await consoleContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function open(hash: string): Promise<WatchedPage> {
    await w?.close();
    w = await openWatchedPage(context);
    await w.page.goto(`${api.url}/ui/${hash}`);
    return w;
  }

  async function expectClean(name: string): Promise<void> {
    await screenshot(w!.page, name);
    expect(await seriousA11yViolations(w!.page), name).toEqual([]);
    expect(await w!.violations()).toEqual([]);
    expect(w!.errors).toEqual([]);
  }

  it('tells a new user what to do when there are no sessions yet', async () => {
    const empty = await startFakeConsoleApi(undefined, { noSessions: true });
    try {
      await w?.close();
      w = await openWatchedPage(context);
      await w.page.goto(`${empty.url}/ui/`);
      await expect.poll(() => deepText(w!.page.locator('kx-sessions-view'))).toContain('No sessions yet.');
      const text = await deepText(w.page.locator('kx-sessions-view'));
      expect(text).toContain('Point Codex at http://127.0.0.1:8787/v1');
      expect(text).toContain('run kx import codex to bring in past sessions');
      await expectClean('sessions-empty');
    } finally {
      await empty.close();
    }
  });

  it('shows the pending approvals count in the navigation and sends a decision', async () => {
    const { page } = await open('#/approvals');
    await expect.poll(() => deepText(page.locator('kx-app header nav'))).toContain('Approvals1');
    const card = page.locator('kx-approvals-view article').first();
    await card.waitFor();
    expect(await card.locator('del').textContent()).toBe('deleted part');
    expect(await card.locator('ins').textContent()).toBe('added part');
    await expectClean('approvals');
    await card.locator('button', { hasText: 'Accept rewrite' }).click();
    await expect.poll(() => api.posts.at(-1)).toEqual({ path: '/api/approvals/a_1', body: { decision: 'accept' } });
  });
});
