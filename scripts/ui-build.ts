// Builds the console (ui/ → ui/dist) when the build is missing or older than its sources. `npm start` and
// `npm test` run this first, so a fresh clone needs nothing but `npm install`.
//   tsx scripts/ui-build.ts            build if stale
//   tsx scripts/ui-build.ts --force    build anyway

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UI = path.join(ROOT, 'ui');
const BUILT = path.join(UI, 'dist', 'index.html');
/** Sources outside ui/ that the build reads. */
const EXTRA_SOURCES = [path.join(ROOT, 'package.json'), path.join(ROOT, 'src', 'learn', 'visible-text.ts'), path.join(ROOT, 'src', 'protocol', 'json-guards.ts')];
/** The wire contracts the console's schemas import. */
const CONTRACTS = path.join(ROOT, 'src', 'contracts');
const SKIPPED = new Set(['dist', 'node_modules']);


export function uiBuildIsStale(): boolean {
  if (!fs.existsSync(BUILT)) return true;
  const sources = Math.max(newestMtime(UI, SKIPPED), newestMtime(CONTRACTS), ...EXTRA_SOURCES.map((f) => fs.statSync(f).mtimeMs));
  return sources > fs.statSync(BUILT).mtimeMs;
}

export function buildUi(): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', path.join(UI, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // Under vitest NODE_ENV is 'test', which would make Vite pick Lit's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) throw new Error(`building the console failed (vite exited ${res.status}); run npm run build:ui to see why`);
}

export function ensureUiBuilt(): boolean {
  if (!uiBuildIsStale()) return false;
  buildUi();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (process.argv.includes('--force')) buildUi();
  else if (ensureUiBuilt()) console.log('kx: console built into ui/dist');
}
