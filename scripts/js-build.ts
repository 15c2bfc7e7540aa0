// Bundles src/ into dist/ with esbuild when the build is missing or older than its sources: two entries
// (the command line and the insight worker), the modules loaded later (import, MCP, the OpenAI SDK) split
// into their own files. A start-up then reads a handful of files instead of ~250 modules, about
// 100 ms sooner (bench: startup). Types are checked by `npm run typecheck`, not here.
// `npm install` runs it through `prepare`; `npm start` and `npm test` run it first, so bin/kx.js
// (and every kx a test spawns) runs the bundled code a user runs.
//   tsx scripts/js-build.ts            build if stale
//   tsx scripts/js-build.ts --force    build anyway

import fs from 'node:fs';
import { buildSync } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsBuildIsStale, jsSourcesMtime as sourcesMtime, ROOT } from './build-check.mjs';

function bundle(root: string): void {
  const res = buildSync({
    absWorkingDir: root,
    // Flat in dist/: package-paths.ts finds the package root one level up, and the engine host finds
    // engine-worker.js beside itself.
    entryPoints: { main: 'src/cli/main.ts', 'engine-worker': 'src/insight/engine-worker.ts', 'search-worker': 'src/store/search-worker.ts', 'checkpoint-worker': 'src/store/checkpoint-worker.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    sourcemap: true,
    // The native SQLite binding, and ws's optional native helpers, stay where npm put them.
    external: ['better-sqlite3', 'sqlite-vec', 'bufferutil', 'utf-8-validate', 'pg-native'],
    // Bundled CommonJS packages (ws) call require; ESM has none of its own.
    banner: { js: "import { createRequire as __kxRequire } from 'node:module'; const require = __kxRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  if (res.errors.length) throw new Error('kx: bundling src/ into dist/ failed (see above)');
}

export function buildJs(root = ROOT, compile: (root: string) => void = bundle): void {
  const from = sourcesMtime(root);
  // A clean folder: a file deleted from src/ must not live on in dist/.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  compile(root);
  fs.writeFileSync(path.join(root, 'dist', '.built'), `${JSON.stringify({ builtAt: new Date().toISOString(), sourcesMtime: from })}\n`);
}

export function ensureJsBuilt(root = ROOT): void {
  if (jsBuildIsStale(root)) buildJs(root);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force')) buildJs();
  else ensureJsBuilt();
}
