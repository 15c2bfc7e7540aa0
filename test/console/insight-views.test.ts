// The console's insight views in headless Chromium against a real kx with the insight engine on: sessions go
// through kx to the fake upstream, which answers the engine's calls with scripted notes and summaries. The
// timeline tags each turn, the learnings tab shows the summary after the session ends, the playbook copies,
// gaps resolve and reopen through the page, a project charts its gaps, new notes arrive live, search finds
// notes, and hostile text in every insight field shows literally. Screenshots land in test/artifacts/console/.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapView } from '../../src/contracts/insight.js';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepCount, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';

const SHOP = '/home/ana/shop';
const EVIL_DIR = '/home/ana/evil';
const SESSION = 'ui-shop';
const EVIL = 'ui-evil';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=2">';
const JS_LINK = '[click me](javascript:window.__pwned=5)';
const MD_HTML = '**bold** <a href="javascript:window.__pwned=6">link</a> <iframe src="javascript:window.__pwned=7"></iframe>';
const HOSTILE = `${SCRIPT} ${IMG} ${JS_LINK} ${MD_HTML}`;
const bad = (label: string) => `${label} ${HOSTILE}`;
/** Elements hostile text would have become, had any view parsed it as HTML. */
const INJECTED = 'img, svg, iframe, a[href^="javascript:"], [onerror], [onload]';

type Note = Record<string, unknown>;
const note = (over: Note = {}): Note => ({
  summary: 'Asked how vite is configured', action: 'Read vite.config.ts and explained it.', outcome: 'succeeded',
  gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [], search_terms: [], ...over,
});
const gap = (topic: string, question: string) => ({ topic, question, evidence: `you asked: ${question}`, confidence: 0.9, existing_gap_id: null });

describe('console insight views against kx with the insight engine on', () => {
  let h: InsightHarness;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const noted = (sessionId: string, turns: number) =>
    h.waitFor(`${turns} insights of ${sessionId}`, () => {
      const all = h.kx.insight.engine.reader.turnInsights(sessionId);
      return all.length === turns && all.every((t) => t.state === 'done');
    });
  /** One human turn whose note the fake answers with `output` (once `release` settles, if given); returns once the note is stored. */
  const turnWithNote = async (sessionId: string, text: string, cwd: string, output: Note, turns: number, release?: Promise<unknown>) => {
    h.fake.enqueueInsight(release ? { kind: 'stall', ms: 30_000, release, output } : { kind: 'answer', output });
    await h.turn(sessionId, text, { cwd });
    await noted(sessionId, turns);
  };
  /** Ends the session; the fake answers the summary call with `output` once `release` settles (at once without it). */
  const endWithSummary = async (sessionId: string, output: Note, version: number, release?: Promise<unknown>) => {
    h.fake.enqueueInsight(release ? { kind: 'stall', ms: 30_000, release, output } : { kind: 'answer', output });
    await api(`/api/sessions/${sessionId}/end`, { method: 'POST' });
    await h.waitFor(`summary v${version} of ${sessionId}`, () => h.kx.insight.engine.reader.summary(sessionId)?.version === version);
  };

  beforeAll(async () => {
    h = await startInsightHarness();
    await turnWithNote(SESSION, 'how do I configure vite? I mixed it up with vitest', SHOP, note({
      gaps: [gap('vite config', 'where does vite read its config?')],
      confusion: [{ what: 'mixed up vite and vitest', evidence: 'I mixed it up with vitest' }],
      decisions: [{ choice: 'keep vite 8', why: 'the plugins need it' }],
      successes: ['npm ci installed cleanly'],
      follow_ups: ['pin the node version'],
      next_time: 'Open vite.config.ts first.',
      playbook_steps: [{ step: 'install the deps', command: 'npm ci' }],
    }), 1);
    const [viteGap] = h.kx.insight.engine.reader.gaps();
    await turnWithNote(SESSION, 'got it. and which node version?', SHOP, note({
      summary: 'Settled the vite question and asked about node',
      gaps: [gap('node version', 'which node version does the project need?')],
      resolved_gaps: [{ gap_id: viteGap!.id, how: 'vite.config.ts at the root, explained by the agent' }],
    }), 2);
    const hostile = note({
      summary: bad('summary'), action: bad('action'), outcome: 'partly',
      gaps: [{ ...gap(bad('topic'), bad('question')), evidence: bad('evidence') }],
      confusion: [{ what: bad('confusion'), evidence: bad('confusion evidence') }],
      decisions: [{ choice: bad('decision'), why: bad('why') }],
      successes: [bad('success')], follow_ups: [bad('follow-up')], next_time: bad('next time'),
      playbook_steps: [{ step: bad('step'), command: bad('command') }],
    });
    await turnWithNote(EVIL, 'hello', EVIL_DIR, hostile, 1);
    await endWithSummary(EVIL, {
      title: bad('title'), highlights: [bad('highlight')], unresolved_questions: [bad('unresolved')], next_repetitions: [bad('repetition')],
      playbook: [{ step: bad('summary step'), command: bad('summary command'), why: bad('summary why') }],
    }, 1);
    browser = await launchBrowser();
    context = await consoleContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.kx.url });
  }, 90_000);

  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await h?.close();
  });

  async function open(hash: string): Promise<Page> {
    await w?.close();
    w = await openWatchedPage(context);
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((hh) => (location.hash = hh), hash);
    return w.page;
  }

  async function expectClean(name: string): Promise<void> {
    await screenshot(w!.page, name);
    expect(await seriousA11yViolations(w!.page), name).toEqual([]);
    expect(await w!.violations(), name).toEqual([]);
    expect(w!.errors, name).toEqual([]);
  }

  it('tags each turn with its gaps, confusion, decisions, successes and follow-ups', async () => {
    const page = await open(`#/sessions/${SESSION}`);
    const turn1 = page.locator('kx-turn[data-seq="1"]');
    await expect.poll(() => deepText(turn1)).toContain('gap: vite config');
    const text = await deepText(turn1);
    for (const tag of ['Asked how vite is configured', 'confusion: mixed up vite and vitest', 'decision: keep vite 8', 'success: npm ci installed cleanly', 'follow-up: pin the node version']) {
      expect(text).toContain(tag);
    }
    const turn2 = await deepText(page.locator('kx-turn[data-seq="2"]'));
    expect(turn2).toContain('gap: node version');
    expect(turn2).not.toContain('gap: vite config');
    expect(turn2).toContain('gap resolved: vite.config.ts at the root, explained by the agent');
    await expectClean('insight-timeline');
  });

  it('lists the sessions with their open gaps, insight tokens and a project filter from /api/projects', async () => {
    const page = await open('#/sessions');
    const row = page.locator('kx-sessions-view tbody tr', { hasText: 'how do I configure vite?' });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.join('|')).toMatch(/\|1\|/); // one open gap: node version (vite config was resolved)
    expect(await row.locator('a.chip.gap').textContent()).toBe('1');
    const tokens = h.kx.reader.listSessions().find((s) => s.id === SESSION)!.insightTokens;
    expect(tokens.input + tokens.output).toBeGreaterThan(0);
    expect(await row.textContent()).toMatch(/\+\d[\d,.]*k? insight/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await expectClean('insight-sessions');
    const projects = (await api<{ projects: Array<{ id: string; name: string }> }>('/api/projects')).projects;
    const select = page.locator('kx-sessions-view select').nth(1);
    expect((await select.locator('option').allTextContents()).slice(1).sort()).toEqual(projects.map((p) => p.name).sort());
    await select.selectOption({ label: EVIL_DIR });
    await expect.poll(() => page.locator('kx-sessions-view tbody tr').count()).toBe(1);
    expect(await page.locator('kx-sessions-view tbody tr').textContent()).toContain('hello');
  });

  it('shows the summary and the per-turn learnings once the session is ended, without a reload', async () => {
    const page = await open(`#/sessions/${SESSION}?tab=learnings`);
    const view = page.locator('kx-learnings');
    await expect.poll(() => deepText(view)).toContain('No summary yet');
    await page.evaluate(() => ((window as unknown as { __same: number }).__same = 1));
    // The summary lands well after the session's end event, so only the summary job's own event can show it.
    const release = new Promise((resolve) => setTimeout(resolve, 1_000));
    await endWithSummary(SESSION, {
      title: 'Configuring vite for the shop',
      highlights: ['Found where vite reads its config'],
      unresolved_questions: ['which node version does the project need?'],
      next_repetitions: ['Set up vite without the agent'],
      playbook: [{ step: 'install the deps', command: 'npm ci', why: 'the lockfile pins versions' }, { step: 'run the tests', command: 'npx vitest run', why: null }],
    }, 1, release);
    await expect.poll(() => deepText(view)).toContain('Configuring vite for the shop');
    expect(await page.evaluate(() => (window as unknown as { __same?: number }).__same)).toBe(1);
    const text = await deepText(view);
    for (const s of ['Found where vite reads its config', 'Gaps opened', 'node version', 'Gaps resolved', 'vite config: vite.config.ts at the root, explained by the agent',
      'which node version does the project need?', 'Set up vite without the agent', 'Turn 1', 'Open vite.config.ts first.', 'keep vite 8 (the plugins need it)']) {
      expect(text).toContain(s);
    }
    await expectClean('insight-learnings');
  });

  it('lists the playbook in order with copy buttons that copy the command', async () => {
    const page = await open(`#/sessions/${SESSION}?tab=playbook`);
    const view = page.locator('kx-playbook');
    await expect.poll(() => deepText(view)).toContain('run the tests');
    const text = await deepText(view);
    expect(text.indexOf('install the deps')).toBeLessThan(text.indexOf('run the tests'));
    expect(text).toContain('the lockfile pins versions');
    await expectClean('insight-playbook');
    await view.locator('kx-copy-button button', { hasText: /^Copy$/ }).nth(1).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('npx vitest run');
    await view.locator('kx-copy-button button', { hasText: 'Copy all steps' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('# 1. install the deps\nnpm ci\n\n# 2. run the tests\nnpx vitest run');
  });

  it('resolves an open gap with a note and reopens it through the page', async () => {
    const gapOf = async (topic: string) => (await api<{ gaps: GapView[] }>('/api/gaps')).gaps.find((g) => g.topic === topic)!;
    const page = await open('#/gaps');
    const card = page.locator('kx-gap-card', { hasText: 'node version' });
    await expect.poll(() => deepText(card)).toContain('which node version does the project need?');
    expect(await deepText(card)).toContain(`in ${SHOP}`);
    expect(await deepText(page.locator('kx-gaps-view'))).not.toContain('where does vite read its config?'); // resolved, so not listed as open
    await expectClean('insight-gaps');
    await card.locator('textarea').fill('use the version in .nvmrc');
    await card.locator('button', { hasText: 'Resolve' }).click();
    await expect.poll(() => gapOf('node version')).toMatchObject({ status: 'resolved', resolved: { by: 'person', note: 'use the version in .nvmrc' } });
    await expect.poll(() => page.locator('kx-gap-card', { hasText: 'node version' }).count()).toBe(0);

    await page.locator('kx-gaps-view select').first().selectOption('resolved');
    const resolved = page.locator('kx-gap-card', { hasText: 'node version' });
    await expect.poll(() => deepText(resolved)).toContain('Note: use the version in .nvmrc');
    expect(await deepText(page.locator('kx-gap-card', { hasText: 'vite config' }))).toContain('Resolved by model');
    await expectClean('insight-gaps-resolved');
    await resolved.locator('button', { hasText: 'Reopen' }).click();
    await expect.poll(() => gapOf('node version')).toMatchObject({ status: 'open', resolved: null });
  });

  it("shows a project's profile with its gaps opened vs resolved chart", async () => {
    const page = await open('#/projects');
    const row = page.locator('kx-projects-view tr', { hasText: SHOP });
    await row.waitFor();
    await expectClean('insight-projects');
    await row.locator('a').click();
    const view = page.locator('kx-project-view');
    await view.locator('kx-chart canvas').waitFor();
    const text = (await deepText(view)).replace(/\s+/g, ' ');
    expect(text).toContain('Gaps opened and resolved over time');
    expect(text).toContain('which node version does the project need?'); // open
    expect(text).toContain('Configuring vite for the shop'); // recent summary
    expect(text).toContain('1 session · 1 open gap · 1 resolved');
    expect(text).toContain('vite config: where does vite read its config? (resolved by model: vite.config.ts at the root');
    await expectClean('insight-project');
  });

  it('shows a new turn note in an open timeline as it arrives, without a reload', async () => {
    const page = await open(`#/sessions/${SESSION}`);
    await page.locator('kx-turn[data-seq="2"]').waitFor();
    await page.evaluate(() => ((window as unknown as { __same: number }).__same = 1));
    await turnWithNote(SESSION, 'one last question', SHOP, note({ summary: 'A note that arrived live', follow_ups: ['write the README'] }), 3);
    const turn3 = page.locator('kx-turn[data-seq="3"]');
    await expect.poll(() => deepText(turn3)).toContain('follow-up: write the README');
    expect(await deepText(turn3)).toContain('A note that arrived live');
    expect(await page.evaluate(() => (window as unknown as { __same?: number }).__same)).toBe(1);
    await screenshot(page, 'insight-timeline-live');
  });

  it("updates a session's open gaps in an open list as a new note opens one", async () => {
    const page = await open('#/sessions');
    const gaps = page.locator('kx-sessions-view tbody tr', { hasText: 'how do I configure vite?' }).locator('a.chip.gap');
    await expect.poll(() => gaps.textContent()).toBe('1');
    await page.evaluate(() => ((window as unknown as { __same: number }).__same = 1));
    // The note lands well after the turn's own events, so only the gap's event can update the count.
    const release = new Promise((resolve) => setTimeout(resolve, 1_500));
    await turnWithNote(SESSION, 'where do we deploy?', SHOP, note({ gaps: [gap('deploy target', 'where does the shop deploy to?')] }), 4, release);
    await expect.poll(() => gaps.textContent()).toBe('2');
    expect(await page.evaluate(() => (window as unknown as { __same?: number }).__same)).toBe(1);
  });

  it("finds a turn's note in search and opens its turn", async () => {
    const page = await open('#/search?q=vitest');
    const hit = page.locator('kx-search-view li', { hasText: 'insight' }).first();
    await hit.waitFor();
    expect(await deepText(hit)).toContain('mixed up vite and vitest');
    await hit.locator('a').click();
    await page.waitForFunction((id) => location.hash === `#/sessions/${id}/turns/1`, SESSION);
    await page.locator('kx-turn[data-seq="1"][selected]').waitFor();
  });

  it('shows hostile text in every insight field literally, and runs none of it', async () => {
    const views: Array<[string, string, string[]]> = [
      [`#/sessions/${EVIL}`, 'kx-session-view', [bad('summary'), `gap: ${bad('topic')}`, `confusion: ${bad('confusion')}`, `decision: ${bad('decision')}`, `success: ${bad('success')}`, `follow-up: ${bad('follow-up')}`]],
      [`#/sessions/${EVIL}?tab=learnings`, 'kx-learnings', [bad('title'), bad('highlight'), bad('unresolved'), bad('repetition'), bad('next time'), bad('topic')]],
      [`#/sessions/${EVIL}?tab=playbook`, 'kx-playbook', [bad('summary step'), bad('summary command'), bad('summary why')]],
      ['#/gaps', 'kx-gaps-view', [bad('topic'), bad('question'), bad('evidence')]],
    ];
    for (const [hash, selector, texts] of views) {
      const page = await open(hash);
      await expect.poll(async () => {
        const shown = await deepText(page.locator(selector));
        return texts.filter((t) => !shown.includes(t));
      }, { timeout: 10_000 }).toEqual([]);
      expect(await deepCount(page, INJECTED), hash).toBe(0);
      expect(await deepCount(page, 'script'), hash).toBe(1); // the app's own bundle
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), hash).toBeUndefined();
      expect(w!.dialogs, hash).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${hash}: long notes wrap`).toBeLessThanOrEqual(1024);
      await expectClean(`insight-hostile-${hash.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`);
    }
  }, 90_000);
});
