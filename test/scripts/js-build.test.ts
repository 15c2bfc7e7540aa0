// dist/ built mid-edit: a source saved while the compiler runs may not reach dist/, so the build
// must stay stale afterwards, for the build script and for bin/kx.js, which then runs the sources.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsBuildIsStale } from '../../scripts/build-check.mjs';
import { buildJs } from '../../scripts/js-build.js';
import { tempDir } from '../support/recording.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A package like kx's: bin/kx.js and the build check it asks, src/cli/main.ts, the files the build reads, node_modules for tsx. */
function miniPackage(): string {
  const root = tempDir('kx-build-');
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'kx.js'), path.join(root, 'bin', 'kx.js'));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'build-check.mjs'), path.join(root, 'scripts', 'build-check.mjs'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  for (const f of ['tsconfig.json', 'package.json']) fs.writeFileSync(path.join(root, f), '{}');
  fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), "console.log('old source');\n");
  return root;
}

/** A compile that writes dist/ from the sources as they were, while a person saves a new version. */
const compileDuringAnEdit = (root: string): void => {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'main.js'), "console.log('old source');\n");
  const later = new Date(Date.now() + 2_000); // a save during the build, without waiting for the clock
  fs.writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), "console.log('new source');\n");
  fs.utimesSync(path.join(root, 'src', 'cli', 'main.ts'), later, later);
};

describe('a build during an edit', () => {
  it('leaves dist/ stale when a source is saved while it compiles, and bin/kx.js runs the sources', () => {
    const root = miniPackage();
    buildJs(root, compileDuringAnEdit);
    const stamp = path.join(root, 'dist', '.built');
    const end = new Date(Date.now() + 4_000); // the build ends after the save
    fs.utimesSync(stamp, end, end);
    expect(jsBuildIsStale(root)).toBe(true);
    const run = spawnSync(process.execPath, [path.join(root, 'bin', 'kx.js')], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('new source');
  });

  it('is current after a build with no edit, and bin/kx.js runs dist/', () => {
    const root = miniPackage();
    buildJs(root, (r) => {
      fs.mkdirSync(path.join(r, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(r, 'dist', 'main.js'), "console.log('compiled');\n");
    });
    expect(jsBuildIsStale(root)).toBe(false);
    expect(spawnSync(process.execPath, [path.join(root, 'bin', 'kx.js')], { encoding: 'utf8' }).stdout.trim()).toBe('compiled');
  });
});
