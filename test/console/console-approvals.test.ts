// The approvals page and the mode toggle against a real kx in learn mode (fake upstream, raw requests):
// turns of several sessions decided independently, a notice when a rewrite failed, the mode switch in the
// header and per session on its turns, and the original under a rewritten human message in the timeline.

import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, screenshot, seriousA11yViolations, type WatchedPage } from '../support/console-browser.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import type { RewriteAnswer } from '../../harness/fake-upstream/rewrite.js';

const send = (h: LearnHarness, session: string, text: string) =>
  rawRequest(`${h.proxyBase}/responses`, {
    headers: { 'session-id': session, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(text)], prompt_cache_key: session }),
  });

describe('approvals page and mode toggle', () => {
  let h: LearnHarness;
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
  });
  afterAll(async () => browser?.close());

  async function open(hash: string): Promise<WatchedPage> {
    w = await openWatchedPage(context);
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    await w.page.evaluate((hh) => (location.hash = hh), hash);
    return w;
  }
  const cardOf = (session: string) => w!.page.locator('kx-approvals-view article.pending', { hasText: `session ${session}` });

  it('decides the turns of two sessions independently', async () => {
    h = await startLearnHarness('every session');
    const { page } = await open('#/approvals');
    await page.locator('kx-approvals-view h2', { hasText: 'Nothing waits for you' }).waitFor();
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('first session asks') });
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('second session asks') });
    const a = send(h, 's-one', 'first session asks');
    await cardOf('s-one').waitFor();
    const b = send(h, 's-two', 'second session asks');
    await cardOf('s-two').waitFor();
    await expect.poll(() => page.title()).toMatch(/^\(2\) /);
    await screenshot(page, 'approvals-two-sessions');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await cardOf('s-two').locator('button', { hasText: 'Reject' }).click();
    expect((await b).status).toBe(200);
    await expect.poll(() => cardOf('s-two').count()).toBe(0);
    expect(await cardOf('s-one').count()).toBe(1);
    expect(h.fake.requests).toHaveLength(1);

    await cardOf('s-one').locator('button', { hasText: 'Accept rewrite' }).click();
    expect((await a).status).toBe(200);
    expect(h.fake.requests.map((r) => (r.body as { prompt_cache_key: string }).prompt_cache_key)).toEqual(['s-two', 's-one']);
    expect(JSON.stringify(h.fake.requests[1]!.body)).toContain(JSON.stringify(migrateAnswer('first session asks').rewritten));
    await expect.poll(() => page.title()).not.toMatch(/^\(\d+\) /);
  }, 60_000);

  it('says, when nothing waits in capture mode, that learn mode is off and how to turn it on', async () => {
    h = await startLearnHarness('every session', { mode: 'capture' });
    const { page } = await open('#/approvals');
    const empty = page.locator('kx-approvals-view .empty');
    await expect.poll(() => deepText(empty)).toContain('Learn mode is off');
    expect(await deepText(empty)).toContain('kx mode learn');
    await page.locator('kx-app header kx-mode-toggle input[role="switch"]').check();
    await expect.poll(() => deepText(empty)).not.toContain('Learn mode is off');
  }, 60_000);

  it('counts down to the timeout while a turn waits, and confirms that the text was sent once it is decided', async () => {
    h = await startLearnHarness('every session');
    const { page } = await open('#/approvals');
    await page.locator('kx-approvals-view h2', { hasText: 'Nothing waits for you' }).waitFor();
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('run the tests') });
    const sent = send(h, 's-sent', 'run the tests');
    await cardOf('s-sent').waitFor();
    // The default KX_APPROVAL_TIMEOUT_SECONDS is 600: the card counts down from ten minutes.
    await expect.poll(() => deepText(cardOf('s-sent').locator('.countdown'))).toMatch(/^Times out in (10 min 00|9 min \d\d) s; then your original is sent unchanged\.$/);
    await cardOf('s-sent').locator('button', { hasText: 'Accept rewrite' }).click();
    expect((await sent).status).toBe(200);
    await expect.poll(() => deepText(page.locator('kx-approvals-view .sent-note'))).toBe('The rewrite was sent to the agent for session s-sent.');
  }, 60_000);

  it('lists a, e and r in the ? help', async () => {
    h = await startLearnHarness('every session');
    const { page } = await open('#/approvals');
    await page.locator('kx-approvals-view h2').waitFor();
    await page.keyboard.press('?');
    const help = page.locator('kx-help dialog');
    await help.waitFor();
    const text = await deepText(help);
    expect(text).toContain('accept the selected rewrite');
    expect(text).toContain('edit it');
    expect(text).toContain('reject it and send your original');
  }, 60_000);

  it('says so when a rewrite failed and the original was sent', async () => {
    h = await startLearnHarness('every session');
    const { page } = await open('#/approvals');
    await page.locator('kx-approvals-view h2', { hasText: 'Nothing waits for you' }).waitFor();
    h.fake.enqueue({ kind: 'rewrite-fail', status: 503, message: 'the model is overloaded' });
    expect((await send(h, 's-failed', 'please run the tests')).status).toBe(200);
    const notice = page.locator('kx-approvals-view .notice');
    await notice.waitFor();
    const text = await deepText(notice);
    expect(text).toContain('failed, so your original was sent unchanged');
    expect(text).toContain('the model is overloaded');
    expect(text).toContain('s-failed');
    await screenshot(page, 'approvals-failed-notice');
  }, 60_000);

  it('switches the global mode from the header and a session’s mode from its turn on the approvals page', async () => {
    h = await startLearnHarness('every session');
    expect((await send(h, 's-mode', 'hello')).status).toBe(200);
    await h.kx.settle();
    const { page } = await open('#/approvals');
    const header = page.locator('kx-app header kx-mode-toggle');
    await expect.poll(() => header.locator('[data-mode]').textContent()).toBe('learn');
    await header.locator('input[role="switch"]').uncheck();
    await expect.poll(() => h.kx.modes.view().global).toBe('capture');
    await expect.poll(() => header.locator('[data-mode]').textContent()).toBe('capture');

    await page.locator('kx-approvals-view label', { hasText: 'show decided turns too' }).locator('input').check();
    const own = page.locator('kx-approvals-view article', { hasText: 'session s-mode' }).locator('kx-mode-toggle');
    await expect.poll(async () => deepText(own)).toContain('(from the global setting)');
    await own.locator('input[role="switch"]').check();
    await expect.poll(() => h.kx.modes.view().sessions['s-mode']).toBe('learn');
    await expect.poll(async () => deepText(own)).not.toContain('(from the global setting)');
    // The header still shows the global mode, unchanged by the session's.
    expect(await header.locator('[data-mode]').textContent()).toBe('capture');
    expect(await seriousA11yViolations(page)).toEqual([]);
  }, 60_000);

  it('shows in the timeline the message as sent and, linked to its decision, the original', async () => {
    h = await startLearnHarness('every session');
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('run the tests <img src=x onerror=alert(1)>') });
    const pending = h.nextPending();
    const res = send(h, 's-timeline', 'run the tests <img src=x onerror=alert(1)>');
    const approval = await pending;
    await h.decide(approval.id, { decision: 'accept' });
    await res;
    await h.kx.settle();
    const { page } = await open('#/sessions/s-timeline');
    const human = page.locator('kx-item .human').first();
    await human.locator('details.learned').waitFor();
    expect(await human.locator('.body').textContent()).toBe(migrateAnswer('run the tests <img src=x onerror=alert(1)>').rewritten);
    await human.locator('details.learned summary').click();
    expect(await human.locator('details.learned pre').textContent()).toBe('run the tests <img src=x onerror=alert(1)>');
    expect(await human.locator('details.learned a').getAttribute('href')).toBe(`#/approvals/${approval.id}`);
    expect(await page.locator('kx-item img').count()).toBe(0);
    await screenshot(page, 'timeline-learned-turn');
  }, 60_000);

  it('keeps a waiting turn in its list with "show decided" ticked, behind more than 200 newer decided turns', async () => {
    h = await startLearnHarness('every session', { approvalTimeoutMs: 60_000 });
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer('still waiting here') });
    const pending = h.nextPending();
    const res = send(h, 's-waiting', 'still waiting here');
    const held = await pending;
    const insert = h.kx.store.db.prepare(
      `INSERT INTO approvals (id, session_id, turn_key, ordinal, original_hash, transport, original, decision, created_at, decided_at)
       VALUES (?, 's-old', ?, 0, 'h', 'http', 'old', 'nothing_to_add', ?, ?)`,
    );
    for (let i = 0; i < 210; i++) insert.run(`a_old_${i}`, `k${i}`, `2999-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`, '2999-01-01T00:01:00.000Z');
    const { page } = await open('#/approvals');
    await cardOf('s-waiting').waitFor();
    await page.locator('kx-approvals-view label', { hasText: 'show decided turns too' }).locator('input').check();
    await page.locator('kx-approvals-view article:not(.pending)').first().waitFor();
    expect(await deepText(page.locator('kx-approvals-view h2'))).toBe('1 turn waiting');
    expect(await cardOf('s-waiting').count()).toBe(1);
    await h.decide(held.id, { decision: 'reject' });
    await res;
  }, 60_000);

  /** `session`'s "run the tests" held with `answer` as the rewrite, and its card on the approvals page. */
  async function holdOnPage(session: string, answer: RewriteAnswer) {
    h.fake.enqueue({ kind: 'rewrite', answer });
    const pending = h.nextPending();
    const res = send(h, session, 'run the tests');
    const held = await pending;
    const { page } = await open('#/approvals');
    const card = cardOf(session);
    await card.waitFor();
    return { res, held, page, card };
  }

  it('words a turn held only for its context as kx approve does: no rewrite to accept, no empty "What changed"', async () => {
    h = await startLearnHarness('every session', { inject: 'first-turn' });
    const { res, held, page, card } = await holdOnPage('s-context-only', { ...migrateAnswer('run the tests'), rewritten: 'run the tests', added_anything: false, gap_ids: [], snippet_refs: [] });
    const text = await deepText(card);
    expect(text).toContain('your message as you typed it, with context sent before it');
    expect(text).not.toContain('What changed');
    expect(text).not.toContain('Accept rewrite');
    expect(await card.locator('button.primary').innerText()).toMatch(/^Accept: send it with the context/);
    expect(await deepText(card.locator('pre.context'))).toContain('npm run db:migrate');
    await screenshot(page, 'approvals-context-only');
    await h.decide(held.id, { decision: 'reject' });
    await res;
  }, 60_000);

  it('shows invisible and direction-changing characters of a rewrite, and the context sent with it', async () => {
    h = await startLearnHarness('every session', { inject: 'first-turn' });
    const hidden = `run the tests\u200B\u202Eevil\u202C ${String.fromCodePoint(0xe0041, 0xe0042)}done`;
    const { res, held, page, card } = await holdOnPage('s-hidden', { ...migrateAnswer('run the tests'), rewritten: hidden });
    const rewrite = await deepText(card.locator('pre.rewrite'));
    expect(rewrite).toBe('run the tests⟨U+200B⟩⟨U+202E⟩evil⟨U+202C⟩ ⟨U+E0041⟩⟨U+E0042⟩done');
    expect(await card.locator('pre.rewrite mark.hidden-char').count()).toBe(5);
    expect(await deepText(card.locator('pre.context'))).toContain('npm run db:migrate');
    await screenshot(page, 'approvals-hidden-characters');
    await h.decide(held.id, { decision: 'reject' });
    await res;
  }, 60_000);
});
