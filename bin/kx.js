#!/usr/bin/env node
// Runs kx's bundled JavaScript (dist/, built on install by `npm run build:js`) when it is newer than
// every source file; else the TypeScript sources through tsx, so a checkout edited since its build
// still runs what it holds. Compiled, start-up costs SQLite's time, not the compiler's.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// scripts/newest-mtime.ts does the same for the build; this file is plain JavaScript that runs before
// anything is compiled or tsx is loaded, so it cannot import it.
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  try {
    return fs.statSync(path.join(root, 'dist', '.built')).mtimeMs >= newestSource(path.join(root, 'src'));
  } catch {
    return false;
  }
}

if (process.env.KX_FROM_SOURCE !== '1' && builtIsCurrent()) {
  await import(pathToFileURL(path.join(root, 'dist', 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
