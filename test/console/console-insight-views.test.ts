// The console's insight and approval views against a stand-in API shaped as CONTRACTS.md says (the insight
// engine and learn mode land on their own branches): gaps resolve with a note, learnings and the playbook
// render from structured data, copy buttons copy, a project's profile charts its gaps, approvals show their
// count in the navigation and send a decision.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startFakeConsoleApi, type FakeConsoleApi } from '../support/fake-console-api.js';

describe('console insight and approval views', () => {
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

  it('resolves an open gap with a note', async () => {
    const { page } = await open('#/gaps');
    const card = page.locator('kx-gap-card').first();
    await card.waitFor();
    await expect.poll(() => deepText(card)).toContain('question g_1');
    expect(await deepText(card)).toContain('evidence g_1');
    expect(await deepText(card)).toContain('seen 2 times');
    await expectClean('gaps');
    await card.locator('textarea').fill('read the vite docs');
    await card.locator('button', { hasText: 'Resolve' }).click();
    await expect.poll(() => api.posts.at(-1)).toEqual({ path: '/api/gaps/g_1', body: { status: 'resolved', note: 'read the vite docs' } });
    await expect.poll(() => deepText(page.locator('kx-gaps-view'))).toContain('No open gaps');
  });

  it('reopens a resolved gap', async () => {
    const { page } = await open('#/gaps');
    await page.locator('kx-gaps-view select').first().selectOption('resolved');
    const card = page.locator('kx-gap-card', { has: page.locator('button', { hasText: 'Reopen' }) }).first();
    await card.waitFor();
    expect(await deepText(card)).toContain('Resolved by person');
    await card.locator('button', { hasText: 'Reopen' }).click();
    await expect.poll(() => api.posts.at(-1)?.body).toMatchObject({ status: 'open' });
  });

  it('shows the summary and per-turn learnings, and the insight tags beside the turn', async () => {
    const { page } = await open('#/sessions/s-fake-1?tab=learnings');
    const view = page.locator('kx-learnings');
    await expect.poll(() => deepText(view)).toContain('summary title');
    const text = await deepText(view);
    for (const s of ['highlight one', 'opened topic', 'resolved topic: resolved how', 'unresolved question', 'next repetition', 'turn summary', 'next time']) expect(text).toContain(s);
    await expectClean('learnings');
    await page.evaluate(() => (location.hash = '#/sessions/s-fake-1'));
    const turn = page.locator('kx-turn').first();
    await expect.poll(() => deepText(turn)).toContain('gap: turn gap');
    for (const tag of ['confusion: confusion', 'decision: decision', 'success: success', 'follow-up: follow-up']) expect(await deepText(turn)).toContain(tag);
    await expectClean('timeline-with-insights');
  });

  it('lists the playbook in order with copy buttons that copy the command', async () => {
    const { page } = await open('#/sessions/s-fake-1?tab=playbook');
    const view = page.locator('kx-playbook');
    await expect.poll(() => deepText(view)).toContain('install the deps');
    expect((await deepText(view)).indexOf('install the deps')).toBeLessThan((await deepText(view)).indexOf('run the tests'));
    await expectClean('playbook');
    await view.locator('kx-copy-button button', { hasText: /^Copy$/ }).first().click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('npm ci');
    await view.locator('kx-copy-button button', { hasText: 'Copy all steps' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('# 1. install the deps\nnpm ci\n\n# 2. run the tests\nnpx vitest run');
  });

  it("shows a project's profile with its gaps opened vs resolved chart", async () => {
    const { page } = await open('#/projects');
    await page.locator('kx-projects-view a', { hasText: 'project name' }).click();
    await page.locator('kx-project-view kx-chart canvas').waitFor();
    const text = await deepText(page.locator('kx-project-view'));
    expect(text).toContain('recurring topic');
    expect(text).toContain('summary title');
    await expectClean('project');
  });

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
