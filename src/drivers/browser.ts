// The one way browser tests get a headless Chromium: a system one when present (KX_CHROMIUM, or
// /usr/bin/chromium), else the build that the @sparticuz/chromium npm package ships inside its
// tarball, so `npm install && npm test` needs no apt and no download on a fresh machine.

import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function executable(): Promise<{ path: string; args: string[] }> {
  const fromEnv = process.env.KX_CHROMIUM;
  if (fromEnv) return { path: fromEnv, args: ['--no-sandbox'] };
  const system = SYSTEM_CANDIDATES.find((p) => fs.existsSync(p));
  if (system) return { path: system, args: ['--no-sandbox'] };
  // Unpacks its brotli'd build into the temp folder once, then reuses it.
  const packaged = (await import('@sparticuz/chromium')).default;
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
