// `kx …` as a person runs it: a child process with a clean environment, its output piped.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './recording.js';

export interface KxRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/kx.js with only PATH, HOME and `env` set, in `cwd` (a fresh folder by default); killed after 20 s. */
export function runKx(args: readonly string[], env: Record<string, string> = {}, cwd = tempDir('kx-cwd-')): Promise<KxRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/kx.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir('kx-home-'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
