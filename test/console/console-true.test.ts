// The console stays true to what kx knows, in headless Chromium against a real kx with the insight engine on:
// the tab names the view, a session's header says where it ran and whether it is over (and can end it), a long
// timeline has a jump list, search hits name their session and quote what the person typed (not learn mode's
// rewrite, which is shown apart as what kx sent), and a project's page follows its gaps live.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { importCodexRollouts } from '../../src/import/codex-import.js';
import { ROLLOUT_DIR, writeRollout } from '../support/rollouts.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';

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

  it('quotes in search what the person typed for a message learn mode sent rewritten, and the rewrite the match is in apart, as what kx sent', async () => {
    h = await startInsightHarness({ mode: 'off' });
    const typed = 'how do I test the webhook locally on my laptop?';
    const sent = 'REWRITE-4: test the stripe webhook locally with the stripe CLI, as past sessions did';
    const db = h.kx.store.db;
    seedSessions(db, { sessions: 1, turnsPerSession: 2, idPrefix: 'hook', humanText: (_s, t) => (t === 2 ? sent : 'where is the zanzibar script that ships it?') });
    // Turn 2 went upstream as learn mode's rewrite, accepted; turn 1 as the person's own edit of it. What was
    // typed is kept beside each.
    const rewritten = db.prepare(`UPDATE items SET detail = ? WHERE turn_id = ? AND kind = 'human_message'`);
    rewritten.run(JSON.stringify({ originalText: typed, approvalId: 'ap_1' }), 't_hook-000000_2');
    rewritten.run(JSON.stringify({ originalText: 'where is the ship script?', approvalId: 'ap_2' }), 't_hook-000000_1');
    db.prepare(`INSERT INTO approvals (id, session_id, turn_key, ordinal, original_hash, transport, original, decision, created_at)
      VALUES ('ap_2', 'hook-000000', 'k', 1, 'h', 'http', 'where is the ship script?', 'edited', '2026-01-01T00:00:00Z')`).run();
    h.kx.search.catchUp();
    const { page } = await open('#/search?q=REWRITE');
    const hit = page.locator('kx-search-view li').filter({ hasText: 'turn 2 of' });
    await expect.poll(() => hit.count()).toBe(1);
    expect(await deepText(hit)).toContain('human message, sent rewritten by learn mode');
    const said = hit.locator('.said');
    const rewrite = hit.locator('.sent');
    expect(await deepText(said.locator('.label'))).toBe('human said');
    expect(await deepText(said.locator('kx-snippet'))).toBe(typed);
    expect(await said.locator('mark').count()).toBe(0);
    expect(await deepText(rewrite.locator('.label'))).toBe('kx sent, rewritten by learn mode');
    expect(await deepText(rewrite.locator('kx-snippet'))).toBe(sent);
    expect(await rewrite.locator('mark').allTextContents()).toEqual(['REWRITE']);
    await screenshot(page, 'search-rewritten');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // A word only the person typed finds the message, marked in what they typed; no rewrite is quoted.
    await page.evaluate(() => (location.hash = '#/search?q=laptop'));
    await expect.poll(() => hit.locator('.said mark').allTextContents()).toEqual(['laptop']);
    expect(await hit.locator('.sent').count()).toBe(0);
    // What the person edited before it went is theirs, not kx's rewrite.
    await page.evaluate(() => (location.hash = '#/search?q=zanzibar'));
    const edited = page.locator('kx-search-view li').filter({ hasText: 'turn 1 of' });
    await expect.poll(() => edited.count()).toBe(1);
    expect(await deepText(edited)).toContain('human message, edited in learn mode before it was sent');
    expect(await deepText(edited.locator('.said kx-snippet'))).toBe('where is the ship script?');
    expect(await deepText(edited.locator('.sent .label'))).toBe('sent as edited by the person');
    expect(await edited.locator('.sent mark').allTextContents()).toEqual(['zanzibar']);
  }, 60_000);

  it('reads an older rollout as people read it: command lines, unescaped output, emphasis, and no "no output yet" once it is over', async () => {
    h = await startInsightHarness({ mode: 'off' });
    const at = (s: number) => `2025-10-03T08:00:${String(s).padStart(2, '0')}.000Z`;
    const line = (s: number, type: string, payload: Record<string, unknown>) => ({ timestamp: at(s), type, payload });
    const folder = writeRollout(
      [
        line(0, 'session_meta', { id: '0199aaaa-0000-7000-8000-000000000001', timestamp: at(0), cwd: SHOP, originator: 'codex_cli_rs', cli_version: '0.46.0' }),
        line(1, 'turn_context', { cwd: SHOP, model: 'gpt-5-codex' }),
        line(2, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list the files' }] }),
        line(3, 'response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Listing the files** in the shop' }], content: null, encrypted_content: null }),
        line(4, 'response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', 'ls -la'], workdir: SHOP }), call_id: 'call_1' }),
        line(5, 'response_item', { type: 'function_call_output', call_id: 'call_1', output: JSON.stringify({ output: 'a.txt\nb.txt\n', metadata: { exit_code: 0, duration_seconds: 0.1 } }) }),
        line(6, 'response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['git', 'status'] }), call_id: 'call_2' }),
      ],
      'my-copy.jsonl',
    );
    await importCodexRollouts({ paths: [folder], store: h.kx.store, queueInsights: false });
    const { page } = await open('#/sessions/0199aaaa-0000-7000-8000-000000000001');
    const timeline = page.locator('kx-session-view section[aria-label="Timeline"]');
    await timeline.waitFor();
    const commands = page.locator('kx-item pre.command');
    await expect.poll(() => commands.allTextContents()).toEqual(['$ ls -la', '$ git status']);
    const output = await deepText(page.locator('kx-item .tool').first().locator('kx-long-text'));
    expect(output).toContain('a.txt\nb.txt');
    expect(output).not.toContain('\\n');
    expect(await page.locator('kx-item .reasoning strong').textContent()).toBe('Listing the files');
    const text = await deepText(timeline);
    expect(text).toContain('no output recorded');
    expect(text).not.toContain('no output yet');
    await screenshot(page, 'older-rollout-shapes');
  }, 60_000);

  it('keeps dates on one line and every pill inside its cell at 1,440 px', async () => {
    h = await startInsightHarness();
    await importCodexRollouts({ paths: [ROLLOUT_DIR], store: h.kx.store, queueInsights: false });
    await h.turn('s-wide', 'what is useEffect?', { cwd: SHOP });
    const { page } = await open('#/sessions', 1440);
    const rows = page.locator('kx-sessions-view tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => deepText(page.locator('kx-sessions-view tbody'))).toContain('imported');
    const layout = await page.locator('kx-sessions-view').evaluate((view) => {
      const root = view.shadowRoot!;
      // Lines a date's text takes: one client rect per line box.
      const dates = Array.from(root.querySelectorAll('td.when')).map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
      });
      const overflow = Array.from(root.querySelectorAll('td .chip')).filter((chip) => {
        const cell = chip.closest('td')!.getBoundingClientRect();
        const box = chip.getBoundingClientRect();
        return box.right > cell.right + 0.5 || box.left < cell.left - 0.5;
      }).length;
      return { dates, overflow };
    });
    expect(layout.dates).toEqual([1, 1]);
    expect(layout.overflow).toBe(0);
    await screenshot(page, 'sessions-1440');
  }, 60_000);

  it("puts the latency axis's ticks on the token axis's grid lines: one grid", async () => {
    h = await startInsightHarness({ mode: 'off' });
    for (let i = 1; i <= 3; i++) await h.turn('s-chart', `question number ${i}`, { cwd: SHOP });
    const { page } = await open('#/sessions/s-chart?tab=chart');
    const chart = page.locator('kx-session-view kx-chart');
    await chart.locator('canvas').first().waitFor();
    const axes = await chart.evaluate((el) => {
      const u = (el as unknown as { plot: { axes: Array<{ _splits?: number[]; grid?: { show?: boolean } }>; valToPos(v: number, scale: string): number } }).plot;
      const left = u.axes[1]!._splits!.map((v) => Math.round(u.valToPos(v, 'y')));
      const right = u.axes[2]!._splits!.map((v) => Math.round(u.valToPos(v, 'y2')));
      return { left, right, rightGrid: u.axes[2]!.grid?.show };
    });
    expect(axes.left.length).toBeGreaterThan(1);
    expect(axes.right).toEqual(axes.left);
    expect(axes.rightGrid).toBe(false);
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
