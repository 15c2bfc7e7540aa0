// The one way browser tests get a headless Chromium: a system one when present (KX_CHROMIUM, or
// /usr/bin/chromium), else the build that the @sparticuz/chromium npm package ships inside its
// tarball, one of the test tools (test-tools.ts), so `npm test` needs no apt and no download on a fresh machine.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ensureTestTools, TEST_TOOLS_DIR } from './test-tools.js';

/** The part of @sparticuz/chromium's class kx uses. */
interface PackagedChromium {
  setGraphicsMode: boolean;
  readonly args: string[];
  executablePath(): Promise<string>;
}

async function packagedChromium(): Promise<PackagedChromium> {
  ensureTestTools(); // the bench and scripts have no test setup to install it
  const entry = createRequire(path.join(TEST_TOOLS_DIR, 'package.json')).resolve('@sparticuz/chromium');
  return ((await import(pathToFileURL(entry).href)) as { default: PackagedChromium }).default;
}

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function executable(): Promise<{ path: string; args: string[] }> {
  const fromEnv = process.env.KX_CHROMIUM;
  if (fromEnv) return { path: fromEnv, args: ['--no-sandbox'] };
  const system = SYSTEM_CANDIDATES.find((p) => fs.existsSync(p));
  if (system) return { path: system, args: ['--no-sandbox'] };
  // Unpacks its brotli'd build into the temp folder once, then reuses it.
  const packaged = await packagedChromium();
  packaged.setGraphicsMode = false;
  // Its serverless defaults include --disable-web-security: the console's tests must see the same-origin
  // and CSP rules a person's browser applies.
  const args = packaged.args.filter((a) => !a.startsWith('--disable-web-security'));
  return { path: await packaged.executablePath(), args };
}

export async function launchBrowser(): Promise<Browser> {
  const { path, args } = await executable();
  return chromium.launch({ executablePath: path, headless: true, args });
}
