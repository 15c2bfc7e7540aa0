// A kx command as typed, run in-process against a kx's API: what it prints, as one string.

import { commandNamed, runCommand } from '../../src/cli/commands.js';
import type { KxClient } from '../../src/cli/kx-client.js';

/** `api` is read when the command runs (the harness starts after the runner is made). */
export function commandRunner(api: () => KxClient): (words: string[], cwd?: string) => Promise<string> {
  return async (words, cwd = '/tmp') => {
    const lines: string[] = [];
    const [name, ...rest] = words;
    const ctx = { packageRoot: '/nonexistent', cwd, env: {}, out: (s: string) => lines.push(s), warn: () => {}, api, timeZone: 'UTC' };
    await runCommand(commandNamed(name!)!, rest, ctx);
    return lines.join('\n');
  };
}
