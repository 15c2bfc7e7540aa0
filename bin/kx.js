#!/usr/bin/env node
// Runs kx's bundled JavaScript (dist/, built on install) when it is current with its sources; else
// the TypeScript sources through tsx, so a checkout edited since its build still runs what it holds.
// Bundled, start-up costs SQLite's time, not the compiler's.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jsBuildIsStale } from '../scripts/build-check.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.KX_FROM_SOURCE !== '1' && !jsBuildIsStale()) {
  await import(pathToFileURL(path.join(root, 'dist', 'main.js')).href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    // An install without the build tools (npm install --omit=dev) can only run what was built.
    process.stderr.write(`kx: dist/ is missing or older than src/, and tsx is not installed to run the sources; run npm install, then npm run build, in ${root}\n`);
    process.exit(1);
  }
  tsx.register();
  await import('../src/cli/main.ts');
}
