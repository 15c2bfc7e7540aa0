// The kx command: finds the command's row in the table (commands.ts) and runs it; says every mistake
// (ConfigError, CliError) in one plain line with exit code 2, and only kx's own failures with a stack trace.

import { ConfigError } from '../config/config-error.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { VERSION } from '../version.js';
import { apiOf, commandNamed, COMMANDS, runCommand, type CliContext } from './commands.js';
import { CliError } from './kx-client.js';
import { termLine } from './terminal-text.js';

const HELP = `kx ${VERSION} — records coding-agent sessions through a local OpenAI proxy

Usage:
${COMMANDS.map((c) => '  ' + c.usage.split('\n')[0]).join('\n')}
  kx --version | --help
  kx <command> --help          what a command does and its options

Settings come from kx's own proxy.env (see proxy.env.example), then KX_* variables, then flags;
every command uses the same documents folder.`;

/** Each warning once, however many times the settings are read. */
function warnOnce(): (line: string) => void {
  const said = new Set<string>();
  return (line) => {
    if (said.has(line)) return;
    said.add(line);
    process.stderr.write(`kx: warning: ${line}\n`);
  };
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const out = (s: string): void => void process.stdout.write(s + '\n');
  if (name === '--version' || name === '-v') return out(VERSION);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return out(HELP);
  const command = commandNamed(name);
  if (!command) {
    process.stderr.write(`kx: unknown command ${termLine(name)}\n\n${HELP}\n`);
    process.exit(2);
  }
  const warn = warnOnce();
  const ctx: CliContext = { packageRoot: PACKAGE_ROOT, cwd: process.cwd(), env: process.env, out, warn, api: apiOf(PACKAGE_ROOT, warn) };
  const code = await runCommand(command, rest, ctx);
  if (typeof code === 'number') process.exitCode = code;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CliError) {
    const mistakes = err instanceof ConfigError ? err.mistakes : [err.message];
    process.stderr.write(mistakes.map((m) => `kx: ${m}\n`).join(''));
    process.exit(2);
  }
  process.stderr.write(`kx: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
