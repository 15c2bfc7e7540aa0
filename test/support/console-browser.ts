// Shared pieces of the console's browser tests: a page that records CSP violations, dialogs and uncaught
// errors from its first script on, screenshots kept under test/artifacts/console/, and the axe check.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts/console');

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  dialogs: string[];
  errors: string[];
  /** CSP violations seen so far, read from the page. */
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

/** One context per browser: the packaged Chromium runs single-process, and closing a context can take it down. */
export async function consoleContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-US', acceptDownloads: true, viewport: { width: 1024, height: 800 } });
}

export async function openWatchedPage(context: BrowserContext, opts: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<WatchedPage> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: opts.colorScheme ?? 'light' });
  await page.setViewportSize({ width: opts.width ?? 1024, height: 800 });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    page,
    context,
    dialogs,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    close: () => page.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Serious and critical accessibility violations on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The text a person sees in an element, shadow roots included (textContent stops at a custom element's shadow). */
export function deepText(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    const parts: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      const el = node as Element;
      if (el.shadowRoot) walk(el.shadowRoot);
      for (const child of Array.from(node.childNodes)) walk(child);
    };
    walk(root);
    return parts.join('');
  });
}

/** Elements matching a selector anywhere in the page, shadow roots included. */
export function deepCount(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    let n = 0;
    const walk = (root: Document | ShadowRoot): void => {
      n += root.querySelectorAll(sel).length;
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return n;
  }, selector);
}
