// Builds the console (ui/ → ui/dist) when the build is missing or older than its sources. `npm start` and
// `npm test` run this first, so a fresh clone needs nothing but `npm install`.
//   tsx scripts/ui-build.ts            build if stale
//   tsx scripts/ui-build.ts --force    build anyway

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, uiBuildIsStale } from './build-check.mjs';

const UI = path.join(ROOT, 'ui');

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
