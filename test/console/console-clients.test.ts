// The console on a session of a client from the per-client table (opencode, replayed from its captured
// requests through a real kx): the session shows the client by name, and its background call (the
// title opencode asks for) is visible below the turns, in a section of its own, never in a turn.

import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations } from '../support/console-browser.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { rawRequest } from '../../harness/drivers/http-client.js';

const DIR = 'test/fixtures/opencode-1.18.33';
const DROP = new Set(['host', 'content-length', 'connection', 'authorization', 'accept-encoding']);

describe('console: a session of a known client', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness();
    // The first conversation: the title call, the turn with its tool call, and the follow-up.
    for (const f of ['01', '02', '03', '04']) {
      const c = JSON.parse(fs.readFileSync(path.join(DIR, `${f}-request.json`), 'utf8')) as { url: string; headers: Record<string, string>; body: unknown };
      const headers = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !DROP.has(k)));
      await rawRequest(`${h.kx.url}${c.url}`, { headers, body: JSON.stringify(c.body) });
    }
    await h.kx.settle();
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('names the client and sets its background call apart from the turns', async () => {
    const [session] = h.kx.reader.listSessions(10);
    expect(session!.client).toBe('opencode');
    const w = await openWatchedPage(await consoleContext(browser));
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((id) => (location.hash = `#/sessions/${id}`), session!.id);
    const background = w.page.locator('section.background');
    await background.waitFor();
    expect(await deepText(w.page.locator('kx-session-view p.muted').first())).toContain('opencode');
    expect(await w.page.locator('kx-turn').count()).toBe(2);
    await background.locator('summary').first().click();
    expect(await deepText(background)).toContain('Background calls');
    expect(await deepText(background)).toContain('You said: list the files in this folder');
    for (const turn of await w.page.locator('kx-turn').all()) expect(await deepText(turn)).not.toContain('You said: list the files in this folder');
    await screenshot(w.page, 'client-background-calls');
    expect(await seriousA11yViolations(w.page)).toEqual([]);
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  });
});
