// The real Codex CLI in learn mode, decided by a person on the console's approvals page in headless
// Chromium: one Codex session, three turns (accept with `a`, edit with `e` and Ctrl+Enter, reject with
// `r`), over HTTP+SSE or WebSocket. The fake upstream must get exactly the approved text, never the
// original, and every later turn must carry the texts approved before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { approvalLink } from '../../src/cli/approval-link.js';
import { demoProject } from '../helpers/codex-cli.js';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { migrateAnswer, startLearnHarness, type LearnHarness, teach } from '../support/learn-harness.js';
import { projectSlug } from '../../src/capture/project.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { codexTurn, FIRST_PROMPT, FOLLOW_UP, IDLE_MS, learnProvider, modelCalls, newCodexHome, REWRITE, upstreamTexts } from './codex-learn.js';

const EDITED = `${FOLLOW_UP} Answer with the file name only.`;
const HOSTILE_PROMPT = 'what does <script>window.__xss=1</script> do? <img src=x onerror="window.__xss=2">';
const HOSTILE_REWRITE = `${HOSTILE_PROMPT} Last time <b>bold</b> <img src=y onerror="window.__xss=3"> was the answer.`;

/** The page records the desktop notifications it would show (headless Chromium shows none). */
function recordNotifications(): void {
  const w = window as unknown as { __notes: string[]; Notification: unknown };
  w.__notes = [];
  w.Notification = class {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: unknown = null;
    constructor(title: string) {
      w.__notes.push(title);
    }
    close(): void {}
  };
}

export function learnInTheBrowser(transport: 'http' | 'ws'): void {
  const provider = learnProvider(transport);
  const name = (s: string) => `learn-${transport}-${s}`;

  describe(`Codex CLI over ${transport === 'http' ? 'HTTP+SSE' : 'WebSocket'} in learn mode, decided on the approvals page`, () => {
    let h: LearnHarness;
    let browser: Browser;
    let context: BrowserContext;
    let w: WatchedPage;
    let home: string;
    const project = demoProject();

    beforeAll(async () => {
      h = await startLearnHarness('every session', { keepaliveMs: IDLE_MS / 3 });
      // The project Codex's working directory names has the learnings (the project rule, src/capture/project.ts).
      teach(h.context, projectSlug(project));
      home = await newCodexHome();
      browser = await launchBrowser();
      context = await consoleContext(browser);
      w = await openWatchedPage(context);
      await w.page.addInitScript(recordNotifications);
      expect((await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`))!.status()).toBe(200);
      await w.page.evaluate(() => (location.hash = '#/approvals'));
      await w.page.locator('kx-approvals-view').waitFor();
    }, 90_000);

    afterAll(async () => {
      await w?.close();
      await browser?.close();
      await h?.close();
    });

    const card = () => w.page.locator('kx-approvals-view article.pending').first();
    const bodies = () => upstreamTexts(h.fake.requests);

    it('shows the held turn live on an open page, and `a` sends exactly the rewrite', async () => {
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(FIRST_PROMPT) });
      const turn = codexTurn(home, project, provider(h.proxyBase), FIRST_PROMPT, false);
      // The page was open before the turn began: the card comes from the `approval` event, not a reload.
      await card().waitFor({ timeout: 30_000 });
      expect(await card().locator('pre.original').textContent()).toBe(FIRST_PROMPT);
      expect(await card().locator('pre.rewrite').textContent()).toBe(REWRITE);
      expect((await card().locator('ins').allTextContents()).join('')).toContain('`npm run db:migrate` ran');
      expect(await deepText(card())).toContain('test database');
      expect(await deepText(card())).toContain('Ran npm run db:migrate before the tests');
      await expect.poll(() => w.page.title()).toMatch(/^\(1\) /);
      expect(await w.page.evaluate(() => (window as unknown as { __notes: string[] }).__notes)).toEqual(['kx: a turn waits for your approval']);
      expect(modelCalls(h.fake.requests)).toHaveLength(0);
      await screenshot(w.page, name('pending'));
      expect(await seriousA11yViolations(w.page)).toEqual([]);

      await w.page.keyboard.press('a');
      const run = await turn;
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
      expect(bodies()[0]).toContain(JSON.stringify(REWRITE));
      expect(bodies().every((b) => !b.includes(JSON.stringify(FIRST_PROMPT)))).toBe(true);
      await expect.poll(() => w.page.title()).not.toMatch(/^\(\d+\) /);
    }, 90_000);

    it('opens the link kx start prints, and `e` then Ctrl+Enter sends the edit; the thread still carries turn 1’s rewrite', async () => {
      h.fake.enqueue({ kind: 'rewrite', answer: { ...migrateAnswer(FOLLOW_UP), gap_ids: [], snippet_refs: [] } });
      const pending = h.nextPending();
      const turn = codexTurn(home, project, provider(h.proxyBase), FOLLOW_UP, true);
      const approval = await pending;
      // The link kx start prints, in a browser that has no console cookie yet.
      await w.close();
      await context.clearCookies();
      w = await openWatchedPage(context);
      await w.page.addInitScript(recordNotifications);
      await w.page.goto(approvalLink(h.kx.url, TEST_TOKEN, approval.id));
      expect(w.page.url()).toBe(`${h.kx.url}/ui/#/approvals/${approval.id}`);
      const selected = w.page.locator(`kx-approvals-view article.selected[data-approval="${approval.id}"]`);
      await selected.waitFor();
      await w.page.keyboard.press('e');
      const box = selected.locator('textarea');
      await expect.poll(() => box.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await box.fill(EDITED);
      await screenshot(w.page, name('editing'));
      await box.press('Control+Enter');
      const run = await turn;
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(`You said: ${EDITED}`);
      const last = bodies().at(-1)!;
      expect(last).toContain(JSON.stringify(EDITED));
      expect(last).toContain(JSON.stringify(REWRITE));
      expect(bodies().every((b) => !b.includes(JSON.stringify(FOLLOW_UP)) && !b.includes(JSON.stringify(FIRST_PROMPT)))).toBe(true);
    }, 90_000);

    it('shows hostile text literally, and `r` sends the original; earlier approved texts stay', async () => {
      h.fake.enqueue({ kind: 'rewrite', answer: { ...migrateAnswer(HOSTILE_PROMPT), rewritten: HOSTILE_REWRITE } });
      const turn = codexTurn(home, project, provider(h.proxyBase), HOSTILE_PROMPT, true);
      // The card of this turn, not the last one's while the page catches up with its decision.
      await card().filter({ hasText: '__xss=1' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => w.page.locator('kx-approvals-view article.pending').count()).toBe(1);
      expect(await card().locator('pre.original').textContent()).toBe(HOSTILE_PROMPT);
      expect(await card().locator('pre.rewrite').textContent()).toBe(HOSTILE_REWRITE);
      expect(await card().locator('img, script, b').count()).toBe(0);
      await screenshot(w.page, name('hostile'));
      await w.page.keyboard.press('r');
      const run = await turn;
      expect(run.code).toBe(0);
      const last = bodies().at(-1)!;
      expect(last).toContain(JSON.stringify(HOSTILE_PROMPT));
      expect(last).not.toContain('was the answer');
      expect(last).toContain(JSON.stringify(EDITED));
      expect(last).toContain(JSON.stringify(REWRITE));
      expect(await w.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(w.dialogs).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(await w.violations()).toEqual([]);
      expect((await h.approvals('all')).map((a) => a.status).sort()).toEqual(['accepted', 'edited', 'rejected']);
    }, 90_000);
  });
}
