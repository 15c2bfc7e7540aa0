// Learn mode's held turn on an open approvals page: from the moment the rewrite model answers to the
// moment the pending turn is on screen. kx in-process in front of the fake upstream, whose rewrite
// answer is released by the bench (t0); the page (headless Chromium) notes when the card appears (t1),
// both on the machine's clock. Also the share of it spent inside kx: t0 to the `approval` event.
// Reported, never asserted.

import { performance } from 'node:perf_hooks';
import { DEFAULT_LEARN } from '../src/config/config.js';
import { startFakeUpstream } from '../harness/fake-upstream/server.js';
import { InMemoryContextSource } from '../src/learn/context-source.js';
import { startKx } from '../src/kx.js';
import { launchBrowser } from '../harness/drivers/browser.js';
import { testConfig } from '../harness/drivers/throwaway-config.js';
import { rawRequest, userMessage } from '../harness/drivers/http-client.js';
import { pcts, type Pcts } from './stats.js';

export interface LearnPageBench {
  samples: number;
  /** Rewrite answer released → `approval` event published by kx. */
  toEvent: Pcts;
  /** Rewrite answer released → the pending card rendered in the open page. */
  toShown: Pcts;
}

const PROJECT = 'bench-project';
const now = (): number => performance.timeOrigin + performance.now();

/**
 * Page scripts as text: tsx would wrap named functions in a helper the page does not have.
 * CARD_SHOWN resolves, with the page's clock, when a pending card for `session` is in the approvals view.
 */
const VIEW = `document.querySelector('kx-app')?.shadowRoot?.querySelector('kx-approvals-view')?.shadowRoot`;
const cardShown = (session: string): string => `new Promise((resolve) => {
  const check = () => {
    const view = ${VIEW};
    const found = Array.from(view?.querySelectorAll('article.pending') ?? []).some((a) => a.textContent.includes(${JSON.stringify(`session ${session}`)}));
    if (found) resolve(performance.timeOrigin + performance.now());
    else requestAnimationFrame(check);
  };
  check();
})`;

export async function runLearnPage(samples: number, warmup: number): Promise<LearnPageBench> {
  const fake = await startFakeUpstream();
  const context = new InMemoryContextSource(PROJECT);
  context.gaps.push({ id: 'g_1', project: PROJECT, topic: 'test database', question: 'why do tests fail on a fresh checkout?', evidence: 'npm test failed', status: 'open' });
  const token = 'bench-token-0123456789abcdef';
  const kx = await startKx({ ...testConfig(fake.baseUrl), uiToken: token, learn: { ...DEFAULT_LEARN, mode: 'learn', inject: 'off' } }, undefined, {
    learnContext: context,
    modelAccess: () => ({ baseURL: fake.baseUrl, apiKey: 'sk-bench', defaultHeaders: {}, dialect: 'platform' }),
  });
  const browser = await launchBrowser();
  const toEvent: number[] = [];
  const toShown: number[] = [];
  try {
    // Page scripts are strings (see above), which the console's CSP would refuse: the bench's own context bypasses it.
    const page = await (await browser.newContext({ bypassCSP: true, locale: 'en-US' })).newPage();
    await page.goto(`${kx.url}/ui/?token=${token}`);
    await page.evaluate(() => (location.hash = '#/approvals'));
    await page.waitForFunction(`!!${VIEW}?.querySelector('h2')`);
    for (let i = 0; i < warmup + samples; i++) {
      const session = `s-bench-${i}`;
      let release!: () => void;
      fake.enqueue({ kind: 'rewrite-stall', ms: 60_000, release: new Promise<void>((r) => (release = r)) });
      fake.enqueue({ kind: 'rewrite', answer: { rewritten: `question ${i}, and migrate first`, added_anything: true, gap_ids: ['g_1'], snippet_refs: [], reason: 'bench' } });
      let evented = 0;
      let approvalId = '';
      const published = new Promise<void>((resolve) => {
        const off = kx.live.subscribe((e) => {
          if (e.type !== 'approval' || e.sessionId !== session || e.status !== 'pending') return;
          evented = now();
          approvalId = e.approvalId;
          off();
          resolve();
        });
      });
      const shown = page.evaluate(cardShown(session)) as Promise<number>;
      const answer = rawRequest(`${kx.url}/v1/responses`, {
        headers: { 'session-id': session, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(`question ${i}`)] }),
      });
      // The rewrite call is in the fake, stalled: release it and start the clock.
      while (fake.rewriteCalls.length <= i) await new Promise((r) => setTimeout(r, 2));
      const t0 = now();
      release();
      await published;
      const t1 = await shown;
      if (i >= warmup) {
        toEvent.push(evented - t0);
        toShown.push(t1 - t0);
      }
      await fetch(`${kx.url}/api/approvals/${approvalId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'reject' }),
      });
      await answer;
    }
  } finally {
    await browser.close();
    await kx.close();
    await fake.close();
  }
  return { samples, toEvent: pcts(toEvent), toShown: pcts(toShown) };
}

export function renderLearnPage(r: LearnPageBench): string {
  const f = (n: number) => n.toFixed(1);
  return [
    '## Learn mode: a held turn on an open approvals page',
    '',
    `${r.samples} turns, one at a time, headless Chromium on the same machine; from the rewrite model's answer (released by the bench) to:`,
    '',
    '| step | p50 | p90 | p99 | target |',
    '|---|---|---|---|---|',
    `| kx publishes the \`approval\` event | ${f(r.toEvent.p50)} ms | ${f(r.toEvent.p90)} ms | ${f(r.toEvent.p99)} ms | |`,
    `| the pending turn is on screen | ${f(r.toShown.p50)} ms | ${f(r.toShown.p90)} ms | ${f(r.toShown.p99)} ms | ≤ 300 ms: ${r.toShown.p90 <= 300 ? 'met' : 'missed'} (p90) |`,
    '',
  ].join('\n');
}
