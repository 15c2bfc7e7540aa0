// Compiles src/ into dist/ (tsconfig.build.json) when the build is missing or older than its sources.
// `npm install` runs it through `prepare`; `npm start` and `npm test` run it first, so bin/kx.js
// (and every kx a test spawns) runs the compiled code a user runs.
//   tsx scripts/js-build.ts            build if stale
//   tsx scripts/js-build.ts --force    build anyway

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampOf = (root: string) => path.join(root, 'dist', '.built');

/** When the sources dist/ is built from last changed: src/ and the files that steer the compiler. */
function sourcesMtime(root: string): number {
  return Math.max(newestMtime(path.join(root, 'src')), ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
}

/**
 * The stamp records the sources' time as read BEFORE compiling (bin/kx.js reads it too): a file saved
 * while tsc runs may not be in dist/, and is newer than that, so dist/ stays stale. The stamp file's
 * own time is when the build ended, which would hide such an edit.
 */
function builtFrom(root: string): number | undefined {
  try {
    const n = (JSON.parse(fs.readFileSync(stampOf(root), 'utf8')) as { sourcesMtime?: unknown }).sourcesMtime;
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined; // missing, or a stamp from before it said what it was built from
  }
}

export function jsBuildIsStale(root = ROOT): boolean {
  const built = builtFrom(root);
  return built === undefined || sourcesMtime(root) > built;
}

const tsc = (root: string): void => {
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('kx: compiling src/ into dist/ failed (see above)');
};

export function buildJs(root = ROOT, compile: (root: string) => void = tsc): void {
  const from = sourcesMtime(root);
  // A clean folder: a file deleted from src/ must not live on in dist/.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  compile(root);
  fs.writeFileSync(stampOf(root), `${JSON.stringify({ builtAt: new Date().toISOString(), sourcesMtime: from })}\n`);
}

export function ensureJsBuilt(root = ROOT): void {
  if (jsBuildIsStale(root)) buildJs(root);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force')) buildJs();
  else ensureJsBuilt();
}
