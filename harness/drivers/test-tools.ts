// The heavy tools that only the tests, the bench and the fixture script run: the agent CLIs (Codex,
// opencode, Qwen Code, pi) and the Chromium build. A user's `npm install` never pays for them (about
// 1.6 GB); the first test run installs them into .cache/test-tools/ from the list in test/tools/
// (exact versions, with its own lock), and every later run finds them there in a millisecond.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-paths.js';

const LIST = path.join(PACKAGE_ROOT, 'test', 'tools');
const LIST_FILES = ['package.json', 'package-lock.json'];
export const TEST_TOOLS_DIR = path.join(PACKAGE_ROOT, '.cache', 'test-tools');
const STAMP = '.installed';

/** What the install must match: the list, its lock, and the platform the binaries are for. */
function wanted(): string {
  const hash = crypto.createHash('sha256').update(`${process.platform}-${process.arch}\n`);
  for (const f of LIST_FILES) hash.update(fs.readFileSync(path.join(LIST, f)));
  return hash.digest('hex');
}

function installed(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Installs the tools unless the installed ones match the list. It installs into a folder of its own and
 * renames it into place, so a run that is stopped half-way, or two runs at once, never leave a broken set.
 */
export function ensureTestTools(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): void {
  const want = wanted();
  if (installed(TEST_TOOLS_DIR) === want) return;
  log(`kx: installing the test tools (agent CLIs, Chromium) from test/tools/ into ${path.relative(process.cwd(), TEST_TOOLS_DIR) || '.'}; once, about a minute`);
  const staging = `${TEST_TOOLS_DIR}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  for (const f of LIST_FILES) fs.copyFileSync(path.join(LIST, f), path.join(staging, f));
  // npm install, not npm ci: npm 11 locks no entries for other platforms' builds of opencode's optional
  // binaries, so npm ci refuses the lock; npm install installs the locked versions all the same.
  const npm = spawnSync('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (npm.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`installing the test tools failed (npm exited ${npm.status ?? npm.signal}); run npm install --prefix ${staging} to see why`);
  }
  fs.writeFileSync(path.join(staging, STAMP), want);
  if (installed(TEST_TOOLS_DIR) === want) {
    fs.rmSync(staging, { recursive: true, force: true }); // another run finished first
    return;
  }
  fs.rmSync(TEST_TOOLS_DIR, { recursive: true, force: true });
  fs.renameSync(staging, TEST_TOOLS_DIR);
}

/** An executable a tool installs (node_modules/.bin/<name>). */
export const toolBin = (name: string): string => path.join(TEST_TOOLS_DIR, 'node_modules', '.bin', name);

/** Where a tool package is installed, by its name in test/tools/package.json (an alias is a name too). */
export const toolPackageDir = (name: string): string => path.join(TEST_TOOLS_DIR, 'node_modules', name);
