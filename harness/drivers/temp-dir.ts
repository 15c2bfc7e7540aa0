// Throwaway folders for whatever drives a kx (tests, the bench, the demo): all under one root per
// process, removed when the process exits.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let root: string | undefined;

/** A fresh folder under one per-process root that is removed when the process exits. */
export function tempDir(prefix = 'kx-test-'): string {
  if (!root) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-tests-'));
    root = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(root, prefix));
}
