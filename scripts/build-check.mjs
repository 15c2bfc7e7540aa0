// Whether kx's two builds are current: dist/ (src/ bundled) and ui/dist (the console). Plain JavaScript,
// so `npm start` and bin/kx.js can ask without loading tsx or a bundler: the check costs a walk of
// the source folders, about as much as starting Node; through tsx it cost 0.4 s. The builders are
// scripts/js-build.ts and scripts/ui-build.ts.
//   node scripts/build-check.mjs     builds what is stale (through tsx scripts/build.ts), else nothing

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const JS_STAMP = path.join(ROOT, 'dist', '.built');
export const UI_BUILT = path.join(ROOT, 'ui', 'dist', 'index.html');

/** The newest modification time of any file below `dir`, skipping folders named in `skip`. */
export function newestMtime(dir, skip = new Set()) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p, skip) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const mtime = (file) => fs.statSync(file).mtimeMs;
const isOlderThan = (built, sources) => !fs.existsSync(built) || sources() > mtime(built);

/** When the sources dist/ is built from last changed: src/ and the files that steer the bundler. */
export function jsSourcesMtime(root = ROOT) {
  return Math.max(newestMtime(path.join(root, 'src')), ...['tsconfig.json', 'package.json'].map((f) => mtime(path.join(root, f))));
}

/**
 * dist/.built records the sources' time as read BEFORE bundling (scripts/js-build.ts): a file saved while
 * the build ran may not be in dist/, and is newer than that, so dist/ stays stale.
 */
export function jsBuildIsStale(root = ROOT) {
  let built;
  try {
    built = JSON.parse(fs.readFileSync(path.join(root, 'dist', '.built'), 'utf8')).sourcesMtime;
  } catch {
    return true; // missing, or a stamp from before it said what it was built from
  }
  return typeof built !== 'number' || jsSourcesMtime(root) > built;
}

/** Sources outside ui/ that the console's build reads: the wire contracts and two shared modules. */
const UI_EXTRA_FILES = ['package.json', 'src/learn/visible-text.ts', 'src/protocol/json-guards.ts'];

export function uiBuildIsStale() {
  return isOlderThan(UI_BUILT, () =>
    Math.max(newestMtime(path.join(ROOT, 'ui'), new Set(['dist', 'node_modules'])), newestMtime(path.join(ROOT, 'src', 'contracts')), ...UI_EXTRA_FILES.map((f) => mtime(path.join(ROOT, f)))),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && (uiBuildIsStale() || jsBuildIsStale())) {
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const res = spawnSync(process.execPath, [tsx, path.join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, stdio: 'inherit' });
  process.exit(res.status ?? 1);
}
