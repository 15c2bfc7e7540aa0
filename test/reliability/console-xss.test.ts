// Captured text is attacker-controlled (a tool can print anything, a web page can carry a prompt
// injection). The console must show it as text: a real browser opens a session whose messages,
// tool call, tool output, session id and client name are HTML/JS payloads; nothing may run.

import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../src/api/security-headers.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { rawRequest } from '../support/sse-client.js';
import { codexHeaders, userMessage } from './support.js';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=2">';
const SVG = '<svg onload=alert(document.domain)></svg>';
const SESSION = `xss-<img src=x onerror="window.__pwned=3">`;
const CLIENT = `<script>window.__pwned=4</script>`;

describe('console page with hostile captured text', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness();
    const body = JSON.stringify({
      model: 'gpt-6.1-sol',
      stream: true,
      input: [
        userMessage(`please look at ${IMG}`),
        { type: 'function_call', call_id: 'call_x', name: 'exec_command', arguments: JSON.stringify({ cmd: `echo '${SVG}'` }) },
        { type: 'function_call_output', call_id: 'call_x', output: `page says ${SCRIPT}` },
      ],
    });
    // The fake upstream answers a tool output by quoting it: the assistant's text carries the payload too.
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders(SESSION, { originator: CLIENT }), body });
    expect(res.events.at(-1)!.type).toBe('response.completed');
    await h.kx.settle();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('stored the payloads verbatim, so the page really is given hostile text', () => {
    const s = h.kx.reader.getSession(SESSION)!;
    const texts = s.turns.flatMap((t) => t.items).map((i) => i.text ?? i.arguments ?? i.output ?? '');
    expect(texts.join('\n')).toContain(SCRIPT);
    expect(texts.join('\n')).toContain(IMG);
    expect(texts.join('\n')).toContain(SVG);
    expect(s.client).toBe(CLIENT);
  });

  it('shows the session and its items as literal text and runs none of it', async () => {
    const page = await browser.newPage();
    try {
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      // Any attempt to run inline script or an inline handler is a CSP violation; count them.
      await page.addInitScript(() => {
        const w = window as unknown as { __violations: string[] };
        w.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(e.violatedDirective));
      });

      const response = await page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
      expect(response!.status()).toBe(200);
      expect(response!.headers()['content-security-policy']).toBe(CSP);

      const link = page.locator('#sessions a'); // the only session
      await link.waitFor();
      expect(await link.textContent()).toContain(`${SESSION} (${CLIENT}, `);
      await link.click();
      await page.waitForFunction(() => document.getElementById('detail')!.hasChildNodes());
      const detail = page.locator('#detail');

      const shown = (await detail.textContent()) ?? '';
      for (const payload of [SCRIPT, IMG, SVG, 'The command printed:']) expect(shown).toContain(payload);
      expect(await page.locator('#detail *, #sessions img, #sessions script, #sessions svg').count()).toBe(0);
      expect(await page.locator('img, svg').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1); // console.js itself

      const state = await page.evaluate(() => {
        const w = window as unknown as { __pwned?: unknown; __violations: string[] };
        return { pwned: w.__pwned, violations: w.__violations };
      });
      expect(state.pwned).toBeUndefined();
      expect(state.violations).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('sends the Content-Security-Policy on the page, its script and the API', async () => {
    for (const p of ['/ui/', '/ui/console.js', '/api/sessions', '/api/health']) {
      const res = await fetch(`${h.kx.url}${p}`, { headers: { authorization: `Bearer ${TEST_TOKEN}`, cookie: `kx_ui=${TEST_TOKEN}` }, redirect: 'manual' });
      expect(res.headers.get('content-security-policy'), p).toBe(CSP);
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
  });
});
