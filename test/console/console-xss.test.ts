// Captured text is attacker-controlled (a tool can print anything, a web page can carry a prompt injection),
// and so is what the insight engine writes about it. Every view of the console and both exports must show it
// as text: hostile HTML, script, javascript: links and markdown with HTML in every field show literally,
// nothing runs, and no CSP violation fires.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../src/api/security-headers.js';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepCount, deepText, openWatchedPage, type WatchedPage } from '../support/console-browser.js';
import { startFakeConsoleApi, type FakeConsoleApi } from '../support/fake-console-api.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { rawRequest } from '../../harness/drivers/http-client.js';
import { codexHeaders, userMessage } from '../reliability/support.js';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=2">';
const SVG = '<svg onload=alert(document.domain)></svg>';
const JS_LINK = '[click me](javascript:window.__pwned=5)';
const MD_HTML = '**bold** <a href="javascript:window.__pwned=6">link</a> <iframe src="javascript:window.__pwned=7"></iframe>';
const HOSTILE = `${SCRIPT} ${IMG} ${SVG} ${JS_LINK} ${MD_HTML}`;
const SESSION = `xss-<img src=x onerror="window.__pwned=3">`;
const CLIENT = `<script>window.__pwned=4</script>`;

/** Elements hostile text would have become, had any view parsed it as HTML. */
const INJECTED = 'img, svg, iframe, a[href^="javascript:"], [onerror], [onload]';

async function expectNothingRan(w: WatchedPage, what: string): Promise<void> {
  const { page } = w;
  expect(await deepCount(page, INJECTED), `${what}: injected elements`).toBe(0);
  expect(await deepCount(page, 'script'), `${what}: scripts`).toBe(1); // the app's own bundle
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), what).toBeUndefined();
  expect(await w.violations(), what).toEqual([]);
  expect(w.dialogs, what).toEqual([]);
  expect(w.errors, what).toEqual([]);
}

async function shows(page: Page, selector: string, texts: string[]): Promise<void> {
  await expect.poll(async () => {
    const shown = await deepText(page.locator(selector));
    return texts.filter((t) => !shown.includes(t));
  }, { timeout: 10_000 }).toEqual([]);
}

describe('console with hostile captured text', () => {
  let h: Harness;
  let fake: FakeConsoleApi;
  let browser: Browser;
  let context: BrowserContext;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    h = await startHarness();
    const body = JSON.stringify({
      model: 'gpt-6.1-sol',
      stream: true,
      input: [
        userMessage(`please look at ${HOSTILE}`),
        { type: 'function_call', call_id: 'call_x', name: 'exec_command', arguments: JSON.stringify({ cmd: `echo '${SVG} ${JS_LINK}'` }) },
        { type: 'function_call_output', call_id: 'call_x', output: `page says pwned ${HOSTILE}` },
      ],
    });
    // The fake upstream answers a tool output by quoting it: the agent's message carries the payloads too.
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders(SESSION, { originator: CLIENT }), body });
    expect(res.events.at(-1)!.type).toBe('response.completed');
    await h.kx.settle();
    fake = await startFakeConsoleApi((label) => `${label} ${HOSTILE}`);
    browser = await launchBrowser();
    context = await consoleContext(browser);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await h?.close();
  });

  async function openKx(hash: string): Promise<WatchedPage> {
    await w?.close();
    w = await openWatchedPage(context);
    const res = await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    expect(res!.headers()['content-security-policy']).toBe(CSP);
    if (hash) await w.page.evaluate((hh) => (location.hash = hh), hash);
    return w;
  }

  async function openFake(hash: string): Promise<WatchedPage> {
    await w?.close();
    w = await openWatchedPage(context);
    await w.page.goto(`${fake.url}/ui/${hash}`);
    return w;
  }

  it('stored the payloads verbatim, so the pages really are given hostile text', () => {
    const s = h.kx.reader.getSession(SESSION)!;
    const texts = s.turns.flatMap((t) => t.items).map((i) => i.text ?? i.arguments ?? i.output ?? '').join('\n');
    for (const p of [SCRIPT, IMG, SVG, JS_LINK, MD_HTML]) expect(texts).toContain(p);
    expect(s.client).toBe(CLIENT);
  });

  it('shows hostile text literally in the session list', async () => {
    const page = (await openKx('')).page;
    await shows(page, 'kx-sessions-view', [CLIENT, `please look at ${SCRIPT}`]);
    await expectNothingRan(w!, 'sessions');
  });

  it('shows hostile text literally in every tab of the session', async () => {
    const id = encodeURIComponent(SESSION);
    const page = (await openKx(`#/sessions/${id}`)).page;
    await shows(page, 'kx-session-view', [SESSION, CLIENT, IMG, JS_LINK, MD_HTML, `page says pwned ${SCRIPT}`, SVG]);
    await expectNothingRan(w!, 'timeline');
    for (const tab of ['learnings', 'playbook', 'chart']) {
      await page.evaluate(([sid, t]) => (location.hash = `#/sessions/${sid}?tab=${t}`), [id, tab]);
      await page.locator('kx-session-view nav.tabs a[aria-current="page"]', { hasText: tab === 'chart' ? 'Tokens' : tab === 'learnings' ? 'Learnings' : 'Playbook' }).waitFor();
      await expectNothingRan(w!, tab);
    }
  });

  it('shows hostile text literally in search snippets', async () => {
    const page = (await openKx('#/search?q=pwned')).page;
    await page.locator('kx-search-view kx-snippet').first().waitFor();
    await shows(page, 'kx-search-view', ['pwned']);
    const snippets = await deepText(page.locator('kx-search-view ul'));
    expect(snippets).toMatch(/<script>|<img|onerror/);
    await expectNothingRan(w!, 'search');
  });

  it('escapes every field of the HTML export, which runs nothing when opened', async () => {
    const res = await fetch(`${h.kx.url}/api/sessions/${encodeURIComponent(SESSION)}/export?format=html`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const html = await res.text();
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(IMG);
    w = await openWatchedPage(context);
    await w.page.setContent(html);
    const text = await w.page.locator('body').innerText();
    for (const p of [SESSION, CLIENT, SCRIPT, IMG, SVG, JS_LINK, MD_HTML]) expect(text).toContain(p);
    expect(await deepCount(w.page, `${INJECTED}, script`)).toBe(0);
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(w.dialogs).toEqual([]);
  });

  it('fences every captured field of the markdown export, so no renderer reads it as markup', async () => {
    const res = await fetch(`${h.kx.url}/api/sessions/${encodeURIComponent(SESSION)}/export?format=md`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const md = await res.text();
    let fence: string | undefined;
    const outside: string[] = [];
    for (const line of md.split('\n')) {
      const m = /^(`{3,})(text)?$/.exec(line);
      if (m && (fence === undefined ? m[2] === 'text' : m[1] === fence && !m[2])) {
        fence = fence === undefined ? m[1] : undefined;
        continue;
      }
      if (fence === undefined) outside.push(line);
    }
    expect(fence).toBeUndefined();
    expect(outside.join('\n')).not.toMatch(/[<>]|javascript:|xss-/);
    for (const p of [SESSION, CLIENT, SCRIPT, IMG, JS_LINK, MD_HTML]) expect(md).toContain(p);
  });

  // Hostile text in every insight field, through the real engine: test/console/insight-views.test.ts. A project's
  // name is its working directory and approvals are learn mode's: those two still come from the stand-in.
  it('shows hostile text literally in project names and approvals', async () => {
    const views: Array<[string, string, string[]]> = [
      ['#/projects', 'kx-projects-view', [`project name ${HOSTILE}`]],
      ['#/projects/p-shop', 'kx-project-view', [`recurring topic ${HOSTILE}`, `project name ${HOSTILE}`]],
      ['#/approvals', 'kx-approvals-view', [`deleted part ${HOSTILE}`, `added part ${HOSTILE}`, `snippet text ${HOSTILE}`]],
    ];
    for (const [hash, selector, texts] of views) {
      const page = (await openFake(hash)).page;
      await page.locator(selector).waitFor();
      await shows(page, selector, texts);
      await expectNothingRan(w!, hash);
    }
  }, 90_000);

  it('sends the Content-Security-Policy on the page, its assets and the API', async () => {
    const html = await (await fetch(`${h.kx.url}/ui/`, { headers: { cookie: `kx_token_${h.kx.port}=${TEST_TOKEN}` } })).text();
    const asset = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    for (const p of ['/ui/', asset, '/api/sessions', '/api/health', '/api/search?q=x']) {
      const res = await fetch(`${h.kx.url}${p}`, { headers: { authorization: `Bearer ${TEST_TOKEN}`, cookie: `kx_token_${h.kx.port}=${TEST_TOKEN}` }, redirect: 'manual' });
      expect(res.headers.get('content-security-policy'), p).toBe(CSP);
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
  });
});
