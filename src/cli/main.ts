// kx start | codex | help. Argument parsing only; the work lives in the stages.

import { FolderInUseError } from '../store/documents-lock.js';
import { shutdownOnSignals, STOP_GRACE_MS } from './shutdown.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { maskUrl } from '../team/team-url.js';
import { ConfigError, DEFAULT_LEARN, isLoopbackHost, loadConfig, readSettings } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import type { Kx } from '../kx.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { VERSION } from '../version.js';
import { codexCommandLine, codexOverrides, detectCodexAuthMode } from './codex-args.js';
import { upstreamLines } from './upstream-lines.js';
import { termLine } from './terminal-text.js';
import { IMPORT_USAGE } from './import-usage.js';
import { endCommand, gapsCommand, notesCommand, sessionsCommand, summaryCommand, USAGE } from './insight-commands.js';
import { startStory } from './start-story.js';
import { TEAM_USAGE, teamJoin, teamLeave, teamShare, teamStatus } from './team-command.js';
import { CliError, kxAddress, runningKx } from './kx-client.js';
import { mcpCommand } from './mcp-command.js';
import { codexEnv, codexMcpOverrides, mcpUrl } from '../mcp/codex-config.js';
import { mcpTokenOf } from '../api/auth.js';
import { insightNotices } from './insight-notices.js';
import { approveCommand, describeModes, modeCommand, terminalIo } from './learn-commands.js';

// Each command loads what it needs when it runs (the proxy, the importer, the MCP SDK), so `kx codex`
// and the small commands start at once.
const packageRoot = PACKAGE_ROOT;

const START_USAGE = `kx start [--host H] [--port P] [--upstream URL] [--chatgpt-upstream URL|off] [--documents DIR]
         [--ui-token T] [--log-level debug|info|warn|error] [--env-file F] [--allow-remote]`;

/** Each command's usage, for `kx <command> --help` and for its errors. */
const USAGES: Record<string, string> = {
  start: `${START_USAGE}\n  run the proxy and the console; settings from kx's own proxy.env, then KX_* variables, then flags`,
  codex: 'kx codex [codex args...]\n  run Codex with its base URL pointed at the running kx and kx\'s memory tools (MCP) wired in (Codex\'s own options: codex --help)',
  mcp: 'kx mcp\n  kx\'s memory tools as a stdio MCP server that talks to the running kx, for clients that only start those',
  import: `${IMPORT_USAGE}\n  record past Codex sessions from ~/.codex (or $CODEX_HOME), or from the files and folders given`,
  sessions: `${USAGE.sessions}\n  the recent sessions: id, title, project, last activity, turns, open gaps`,
  end: `${USAGE.end}\n  end a session (default: the latest; an id prefix will do) and queue its summary`,
  gaps: `${USAGE.gaps}\n  the gaps kx noted, of this folder's project by default; resolve or reopen one`,
  summary: `${USAGE.summary}\n  the latest summary of a session (default: the latest)`,
  notes: `${USAGE.notes}\n  the project's profile (default: the project of this folder)`,
  mode: 'kx mode [learn|capture] [--project P | --session S]\n  show or switch the mode of the running kx',
  approve: 'kx approve [ID accept|reject|edit [TEXT]]\n  decide the turns learn mode holds (edit opens $EDITOR)',
  team: `${TEAM_USAGE}\n  team memory on PostgreSQL (docs/team.md): join or leave a team, see what leaves this machine, turn a project's sharing on or off`,
};

const HELP = `kx ${VERSION} — records coding-agent sessions through a local OpenAI proxy

Usage:
${Object.values(USAGES)
  .map((u) => '  ' + u.split('\n')[0])
  .join('\n')}
  kx --version | --help
  kx <command> --help          what a command does and its options

Settings come from kx's own proxy.env (see proxy.env.example), then KX_* variables, then flags;
every command uses the same documents folder.`;

/** The lines kx start prints for people that a JSON log line would only repeat. */
const TOLD_ON_SCREEN = new Set(['turn waiting for approval']);

async function start(argv: string[]): Promise<void> {
  // kx's own folder, wherever it is run from: the same proxy.env and documents as every other command.
  const config = loadConfig({ argv, cwd: packageRoot, flagsCwd: process.cwd() });
  const json = createLogger(config.logLevel);
  const log: typeof json = (line) => {
    if (!TOLD_ON_SCREEN.has(String(line.msg))) json(line);
  };
  const { startKx } = await import('../kx.js');
  let kx: Kx;
  try {
    kx = await startKx(config, log);
  } catch (err) {
    if (err instanceof FolderInUseError) throw new ConfigError(err.message);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`port ${config.port} on ${config.host} is in use (another kx?). Choose another with --port N, or KX_PORT=N in ${config.envFile ?? path.join(packageRoot, 'proxy.env')}`);
    }
    throw err;
  }
  const proxy = `${kx.url}/v1`;
  const out = (s: string) => process.stdout.write(s + '\n');
  if (!isLoopbackHost(config.host)) out(`WARNING: kx listens on ${config.host}, beyond loopback. Anyone who can reach it can use it as a proxy.`);
  out(`kx ${VERSION} recording to ${config.documentsDir}`);
  out(`  settings: ${config.envFile ?? `no proxy.env in ${packageRoot}`}${config.uiTokenSource === 'env' ? '' : `, console token in ${path.join(config.documentsDir, 'ui-token')}`}`);
  for (const line of upstreamLines(proxy, config)) out(line);
  out(`  console:  ${kx.url}/ui/?token=${config.uiToken}`);
  out(`  codex (API key):       ${codexCommandLine('apikey', proxy)}`);
  out(`  codex (ChatGPT login): ${codexCommandLine('chatgpt', proxy)}`);
  out(`  or simply:             kx codex [args]`);
  out(`  memory (MCP):          ${mcpUrl(kx.url)}  (Authorization: Bearer ${mcpTokenOf(config.uiToken)}: read-only; kx codex wires it in)`);
  out(`  other OpenAI SDK agents: OPENAI_BASE_URL=${proxy}`);
  out(`  insight:  ${config.insight?.mode ?? 'off'}${config.insight && config.insight.mode !== 'off' ? ` (${config.insight.model}, ${config.insight.apiKey ? config.insight.baseUrl.href : 'the session’s own credentials'})` : ''}`);
  insightNotices(kx, out);
  if (config.team) out(`  team:     ${maskUrl(config.team.databaseUrl)} as ${config.team.author}   (docs/team.md; kx team status)`);
  out(`  mode:     ${describeModes(kx.modes.view()).replace(/\n/g, '; ')}   (kx mode learn|capture to switch)`);
  // What happens while kx runs, one line each: modes, held turns and their decisions, imported jobs.
  startStory(kx, { url: kx.url, uiToken: config.uiToken, approvalTimeoutMs: (config.learn ?? DEFAULT_LEARN).approvalTimeoutMs }, out);
  const stop = shutdownOnSignals({ close: () => kx.close(), log, exit: (code) => process.exit(code), graceMs: STOP_GRACE_MS });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Closing kx's terminal: a graceful stop too, so running jobs go back to the queue.
  process.on('SIGHUP', () => stop('SIGHUP'));
}

/** The user's own Codex: kx installs none (the tests' pinned one lives in .cache/test-tools/). */
function codexOnPath(): string {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'codex')));
  if (!onPath) throw new CliError('kx codex runs the codex on your PATH, and there is none. Install Codex (npm install -g @openai/codex), then try again');
  return 'codex';
}

async function codex(argv: string[]): Promise<void> {
  const codexBinary = codexOnPath();
  // The same proxy.env `npm start` reads (kx's own folder), so `kx codex` finds kx from any project folder;
  // nothing is written here, unlike `kx start`, which makes the console token.
  const { settings } = readSettings({ cwd: packageRoot });
  const host = settings.KX_HOST === '0.0.0.0' || settings.KX_HOST === '::' ? '127.0.0.1' : settings.KX_HOST;
  const proxy = `http://${host.includes(':') ? `[${host}]` : host}:${settings.KX_PORT}/v1`;
  const mode = detectCodexAuthMode(process.env);
  try {
    const res = await fetch(`${proxy.replace(/\/v1$/, '')}/api/health`);
    if (!res.ok) throw new Error(String(res.status));
  } catch {
    process.stderr.write(`kx is not answering at ${proxy}; start it first with: kx start (or npm start in kx's folder)\n`);
    process.exit(1);
  }
  // kx's memory tools (src/mcp/): the MCP token travels in the environment, never in argv, and never the
  // console token. Without a token, Codex runs without them.
  let memory: { args: string[]; token?: string } = { args: [] };
  try {
    memory = { args: codexMcpOverrides(proxy.replace(/\/v1$/, '')), token: kxAddress(packageRoot).token };
  } catch (err) {
    process.stderr.write(`kx: ${(err as Error).message}; Codex runs without kx's memory tools\n`);
  }
  // Overrides go before the user's arguments so a subcommand such as `exec` still parses.
  const child = spawn(codexBinary, [...codexOverrides(mode, proxy), ...memory.args, ...argv], { stdio: 'inherit', env: codexEnv(process.env, memory.token) });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function approve(argv: string[]): Promise<void> {
  const io = terminalIo();
  try {
    await approveCommand(argv, runningKx(packageRoot), io);
  } finally {
    io.close();
  }
}

async function team([sub, ...rest]: string[]): Promise<void> {
  const envFile = path.join(packageRoot, 'proxy.env');
  if (sub === 'join') return teamJoin(rest, envFile, out);
  if (sub === 'leave') return teamLeave(envFile, out);
  if (sub === 'status') return teamStatus(runningKx(packageRoot), out);
  if (sub === 'share') return teamShare(runningKx(packageRoot), rest, out);
  throw new CliError(`Usage: ${TEAM_USAGE}`);
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  // `kx <command> --help`: that command's usage (for codex, only as its first argument: the rest is Codex's).
  if (cmd && USAGES[cmd] && (cmd === 'codex' ? rest[0] === '--help' : rest.some((a) => a === '--help' || a === '-h'))) {
    process.stdout.write(`Usage: ${USAGES[cmd]}\n`);
    return;
  }
  switch (cmd) {
    case 'start':
      return start(rest);
    case 'codex':
      return codex(rest);
    case 'mcp':
      return mcpCommand(packageRoot);
    case 'import':
      const { importCommand } = await import('./import-command.js');
      process.exitCode = await importCommand(rest, { out: process.stdout, env: process.env, cwd: process.cwd(), kxRoot: packageRoot });
      return;
    case 'sessions':
      return sessionsCommand(runningKx(packageRoot), rest, out);
    case 'end':
      return endCommand(runningKx(packageRoot), rest, out);
    case 'gaps':
      return gapsCommand(runningKx(packageRoot), rest, out);
    case 'summary':
      return summaryCommand(runningKx(packageRoot), rest, out);
    case 'notes':
      return notesCommand(runningKx(packageRoot), rest, out);
    case 'mode':
      return modeCommand(rest, runningKx(packageRoot), (s) => process.stdout.write(s + '\n'));
    case 'approve':
      return approve(rest);
    case 'team':
      return team(rest);
    case '--version':
    case '-v':
      process.stdout.write(VERSION + '\n');
      return;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP + '\n');
      return;
    default:
      process.stderr.write(`kx: unknown command ${termLine(cmd)}\n\n${HELP}\n`);
      process.exit(2);
  }
}

const out = (s: string) => process.stdout.write(s + '\n');

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CliError) {
    process.stderr.write(`kx: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`kx: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
