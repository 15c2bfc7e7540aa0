// An answer kx could not decode shows in the console, on its turn, with the reason: never a silent gap.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { consoleContext, deepText, openWatchedPage, type WatchedPage } from '../support/console-browser.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

describe('console, an answer kx could not decode', () => {
  let h: Harness;
  let browser: Browser;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'http-error', status: 200, body: { id: 'resp_x' }, headers: { 'content-encoding': 'compress' } });
    await rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': 'undecodable-1' },
      body: responsesBody('what is in this folder?', { stream: false }),
    });
    await h.kx.settle();
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await h?.close();
  });

  it('says so on the turn, with the reason', async () => {
    w = await openWatchedPage(await consoleContext(browser));
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}#/sessions/undecodable-1`);
    const turn = w.page.locator('kx-turn[data-seq="1"]');
    await turn.waitFor();
    await expect.poll(() => deepText(turn)).toContain('undecodable (HTTP 200): kx could not decode this answer (unsupported content-encoding: compress)');
    expect(w.errors).toEqual([]);
  });
});
