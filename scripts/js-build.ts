// Compiles src/ into dist/ (tsconfig.build.json) when the build is missing or older than its sources.
// `npm install` runs it through `prepare`; `npm start` and `npm test` run it first, so bin/kx.js
// (and every kx a test spawns) runs the compiled code a user runs.
//   tsx scripts/js-build.ts            build if stale
//   tsx scripts/js-build.ts --force    build anyway

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JS_STAMP as STAMP, jsBuildIsStale, ROOT } from './build-check.mjs';

export function buildJs(): void {
  // A clean folder: a file deleted from src/ must not live on in dist/.
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('kx: compiling src/ into dist/ failed (see above)');
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

export function ensureJsBuilt(): void {
  if (jsBuildIsStale()) buildJs();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force')) buildJs();
  else ensureJsBuilt();
}
