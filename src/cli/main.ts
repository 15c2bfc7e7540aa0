// The kx command: finds the command's row in the table (commands.ts) and runs it; says every mistake
// (ConfigError, CliError) in one plain line with exit code 2, and only kx's own failures with a stack trace.

import { ConfigError } from '../config/config-error.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { VERSION } from '../version.js';
import { apiOf, commandHelp, commandNamed, COMMANDS, runCommand, type CliContext } from './commands.js';
import { CliError } from './kx-client.js';
import { termLine } from './terminal-text.js';

/** A usage's forms, each a line of its own ("kx gaps resolve …"); a line that continues the one before is left out. */
const usageForms = (usage: string): string[] => usage.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kx '));

const HELP = `kx ${VERSION} — records coding-agent sessions through a local OpenAI proxy

Usage:
${COMMANDS.flatMap((c) => usageForms(c.usage)).map((l) => '  ' + l).join('\n')}
  kx --version | --help
  kx help <command>            what a command does and its options (or kx <command> --help)

Settings come from kx's own proxy.env (see proxy.env.example), then KX_* variables, then flags;
every command uses the same documents folder. The commands that talk to kx find it through that
folder: for a kx started with --documents DIR or --port P, give them the same flag.`;

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
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest[0] === undefined)) return out(HELP);
  // `kx help sessions` is `kx sessions --help`.
  const asked = name === 'help' ? rest[0]! : name;
  const command = commandNamed(asked);
  if (!command) {
    process.stderr.write(`kx: unknown command ${termLine(asked)}\n\n${HELP}\n`);
    process.exit(2);
  }
  if (name === 'help') return out(commandHelp(command));
  const warn = warnOnce();
  const cwd = process.cwd();
  const ctx: CliContext = { packageRoot: PACKAGE_ROOT, cwd, env: process.env, out, warn, api: apiOf(PACKAGE_ROOT, { cwd, env: process.env, warn }) };
  const code = await runCommand(command, rest, ctx);
  if (typeof code === 'number') process.exitCode = code;
}

let outputClosed = false;

/**
 * A reader that went away (`kx gaps | head -1`) ends kx quietly with exit 0, as it ends other Unix tools;
 * `kx start` stops gracefully then, as when its terminal closes. Other write errors are kx's.
 */
function endQuietlyOnClosedOutput(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    if (outputClosed) return;
    outputClosed = true;
    if (process.listenerCount('SIGHUP') > 0) process.emit('SIGHUP', 'SIGHUP');
    else process.exit(0);
  });
}
endQuietlyOnClosedOutput(process.stdout);
endQuietlyOnClosedOutput(process.stderr);

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CliError) {
    const mistakes = err instanceof ConfigError ? err.mistakes : [err.message];
    // One "kx: " each, whoever wrote the message.
    process.stderr.write(mistakes.map((m) => `kx: ${m.replace(/^kx: /, '')}\n`).join(''));
    process.exit(2);
  }
  process.stderr.write(`kx: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
