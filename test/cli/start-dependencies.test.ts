// `kx start` runs on package.json's dependencies alone: every package it loads, or even looks up, must be
// one a production install (npm install --omit=dev) brings. Build and test tools (esbuild, tsx, vite) are
// devDependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { tempDir } from '../support/recording.js';

/** Loader hooks that write every file kx resolves inside node_modules, from import and from require. */
const TRACE_REGISTER = `
import Module, { register } from 'node:module';
import fs from 'node:fs';
register(new URL('./hooks.mjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  if (file.includes('/node_modules/')) fs.appendFileSync(process.env.KX_TRACE, file + '\\n');
  return file;
};
`;
const TRACE_HOOKS = `
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/')) fs.appendFileSync(process.env.KX_TRACE, new URL(r.url).pathname + '\\n');
  return r;
}
`;

/** The packages (node_modules/<name> paths, as package-lock.json names them) a started kx resolved. */
async function packagesKxStartLoads(): Promise<string[]> {
  const dir = tempDir('kx-trace-');
  fs.writeFileSync(path.join(dir, 'register.mjs'), TRACE_REGISTER);
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), TRACE_HOOKS);
  const trace = path.join(dir, 'trace.txt');
  fs.writeFileSync(trace, '');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', path.join(dir, 'register.mjs'), path.resolve('bin/kx.js'), 'start', '--port', String(port), '--documents', tempDir('kx-docs-')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir('kx-home-'), KX_TRACE: trace, KX_UI_TOKEN: 'a-console-token-0123456789' },
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  try {
    await expect.poll(() => stdout, { timeout: 30_000 }).toContain('console:');
    // The insight engine's worker starts beside the server; let it load too.
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
  const root = path.resolve('node_modules');
  const names = fs
    .readFileSync(trace, 'utf8')
    .split('\n')
    .filter((f) => f.startsWith(root + path.sep))
    .map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*)/.exec(path.relative(path.dirname(root), f))?.[0] ?? f);
  return [...new Set(names)].sort();
}

describe('the packages kx start needs', () => {
  it('are dependencies: nothing it loads is a dev-only package', async () => {
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const loaded = await packagesKxStartLoads();
    // dist/ bundles the rest; the native binding stays a package of its own.
    expect(loaded).toContain('node_modules/better-sqlite3');
    expect(loaded.filter((p) => !lock.packages[p] || lock.packages[p].dev)).toEqual([]);
  }, 60_000);
});
