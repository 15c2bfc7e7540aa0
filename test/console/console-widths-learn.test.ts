// Learn mode's hold page at a phone's width (390 px), a laptop's (1,024 px) and a wide screen's (1,440 px): a
// long message held with its rewrite, the gaps and snippets it used, and the decision buttons, in headless
// Chromium against a real kx. Nothing wider than the viewport, no text drawn over other text. Keyboard hints
// (<kbd>a</kbd> accept…) show only where there is a keyboard to press them: not on a phone's or a tablet's
// touch screen. Screenshots: test/artifacts/console/.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../src/contracts/learn.js';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { layoutReport } from '../support/console-layout.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';

const SESSION = '019a7c2e-5b1f-7d22-9e31-4c6f0a8b2d17';
const ASKED =
  'run the integration tests of packages/api against the docker compose database and tell me which ones break, ' +
  'with the first line of each failure; then look at src/db/migrations/20261128_add_orders_index.sql and say whether it is the cause';

/** The keyboard hints a person sees anywhere on the page (the shell's "Press ? for keys", the approvals view): visible <kbd> elements. */
function visibleKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const keys: string[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const k of Array.from(root.querySelectorAll('kbd'))) if (k.checkVisibility({ opacityProperty: true, visibilityProperty: true })) keys.push(k.textContent ?? '');
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return keys;
  });
}

/** The one context of a browser kept for touch: no hover, a coarse pointer, as Chromium's device mode sets them for a phone. */
async function touchContext(browser: Browser): Promise<BrowserContext> {
  return browser.contexts()[0] ?? browser.newContext({ locale: 'en-US', hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
}

describe("learn mode's hold page at 390, 1,024 and 1,440 px", () => {
  let h: LearnHarness;
  let browser: Browser;
  let context: BrowserContext;
  /** For a touch screen: a browser of its own (the packaged Chromium holds one context; see consoleContext). */
  let touchBrowser: Browser | undefined;
  let w: WatchedPage | undefined;
  let held: ApprovalView;
  let answer: Promise<unknown>;

  beforeAll(async () => {
    h = await startLearnHarness('every session');
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ASKED) });
    const pending = h.nextPending();
    answer = rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'session-id': SESSION, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(ASKED)], prompt_cache_key: SESSION }),
    });
    held = await pending;
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 90_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await touchBrowser?.close();
    if (held) await h.decide(held.id, { decision: 'reject' });
    await answer;
    await h?.close();
  });

  /** The held turn's page; `touch`: on a touch screen. */
  async function openHeld(width: number, { touch = false } = {}): Promise<Page> {
    await w?.close();
    if (touch && !touchBrowser) touchBrowser = await launchBrowser();
    w = await openWatchedPage(touch ? await touchContext(touchBrowser!) : context, { width });
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}#/approvals/${held.id}`);
    expect(await w.page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches), 'a touch screen').toBe(touch);
    await expect.poll(() => deepText(w!.page.locator('kx-approvals-view article.pending')), { timeout: 10_000 }).toContain('db:migrate');
    return w.page;
  }

  for (const width of [390, 1024, 1440]) {
    it(`shows a held turn, its rewrite and the buttons at ${width} px`, async () => {
      await openHeld(width);
      const card = w!.page.locator('kx-approvals-view article.pending');
      await screenshot(w!.page, `width-hold-${width}`);
      const r = await layoutReport(w!.page);
      expect(r.overlaps.join('\n'), 'texts over each other').toBe('');
      expect(r.offscreen.join('\n'), 'texts past the edge').toBe('');
      expect(r.overflowPx, 'page scrolls sideways').toBe(0);
      expect(await seriousA11yViolations(w!.page)).toEqual([]);
      for (const button of ['Accept rewrite', 'Edit', 'Reject']) await expect(card.locator('button', { hasText: button }).first().isVisible()).resolves.toBe(true);
      expect(w!.errors).toEqual([]);
    });
  }

  it('offers the keys (?, a, e, r, j/k) on a wide screen with a mouse', async () => {
    const page = await openHeld(1440);
    expect(await visibleKeys(page)).toEqual(expect.arrayContaining(['?', 'a', 'e', 'r', 'j', 'k']));
  });

  // A phone, and a tablet held sideways: as wide as a laptop, but nothing to press.
  for (const width of [390, 1024]) {
    it(`shows no keyboard hints on a touch screen at ${width} px, and the buttons still say what they do`, async () => {
      const page = await openHeld(width, { touch: true });
      await screenshot(page, `width-hold-${width}-touch`);
      expect(await visibleKeys(page)).toEqual([]);
      const card = page.locator('kx-approvals-view article.pending');
      for (const button of ['Accept rewrite', 'Edit', 'Reject, send my original']) await expect(card.locator('button', { hasText: button }).first().isVisible()).resolves.toBe(true);
      await card.locator('button', { hasText: 'Edit' }).first().click();
      await expect.poll(() => card.locator('textarea').isVisible()).toBe(true);
      expect(await visibleKeys(page), 'the edit box names no keys either').toEqual([]);
      expect((await layoutReport(page)).overflowPx).toBe(0);
      expect(w!.errors).toEqual([]);
    });
  }
});
