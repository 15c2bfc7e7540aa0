// kx start | codex | help. Argument parsing only; the work lives in the stages.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, isLoopbackHost, loadConfig, readSettings } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import { startKx } from '../kx.js';
import { VERSION } from '../version.js';
import { approvalLink } from './approval-link.js';
import { codexCommandLine, codexOverrides, detectCodexAuthMode } from './codex-args.js';
import { upstreamLines } from './upstream-lines.js';
import { termLine } from './terminal-text.js';
import { IMPORT_USAGE, importCommand } from './import-command.js';
import { endCommand, gapsCommand, notesCommand, summaryCommand } from './insight-commands.js';
import { CliError, runningKx } from './kx-client.js';
import { insightNotices } from './insight-notices.js';
import { approveCommand, describeModes, modeCommand, terminalIo } from './learn-commands.js';

const HELP = `kx ${VERSION} — records coding-agent sessions through a local OpenAI proxy

Usage:
  kx start [--host H] [--port P] [--upstream URL] [--chatgpt-upstream URL|off] [--documents DIR] [--ui-token T]
           [--env-file F] [--allow-remote]
  kx codex [codex args...]     run Codex with its base URL pointed at kx
  ${IMPORT_USAGE}
                               record past Codex sessions from ~/.codex (or $CODEX_HOME)
  kx end [session]             end a session (default: the latest) and queue its summary
  kx gaps [--project ID] [--status open|resolved | --all]   the gaps kx noted
  kx summary [session]         the latest summary of a session
  kx notes [project]           the project's profile (default: the project of this folder)
  kx mode [learn|capture] [--project P | --session S]   show or switch the mode of the running kx
  kx approve [ID accept|reject|edit [TEXT]]             decide the turns learn mode holds (edit opens $EDITOR)
  kx --version | --help

Settings come from proxy.env (see proxy.env.example), then KX_* variables, then flags.`;

async function start(argv: string[]): Promise<void> {
  const config = loadConfig({ argv });
  const log = createLogger(config.logLevel);
  const kx = await startKx(config, log);
  const proxy = `${kx.url}/v1`;
  const out = (s: string) => process.stdout.write(s + '\n');
  if (!isLoopbackHost(config.host)) out(`WARNING: kx listens on ${config.host}, beyond loopback. Anyone who can reach it can use it as a proxy.`);
  out(`kx ${VERSION} recording to ${config.documentsDir}`);
  for (const line of upstreamLines(proxy, config)) out(line);
  out(`  console:  ${kx.url}/ui/?token=${config.uiToken}`);
  out(`  codex (API key):       ${codexCommandLine('apikey', proxy)}`);
  out(`  codex (ChatGPT login): ${codexCommandLine('chatgpt', proxy)}`);
  out(`  or simply:             kx codex [args]`);
  out(`  other OpenAI SDK agents: OPENAI_BASE_URL=${proxy}`);
  out(`  insight:  ${config.insight?.mode ?? 'off'}${config.insight && config.insight.mode !== 'off' ? ` (${config.insight.model}, ${config.insight.apiKey ? config.insight.baseUrl.href : 'the session’s own credentials'})` : ''}`);
  insightNotices(kx, out);
  out(`  mode:     ${describeModes(kx.modes.view()).replace(/\n/g, '; ')}   (kx mode learn|capture to switch)`);
  // One line per turn learn mode holds, so people in the terminal see it without the console.
  kx.live.subscribe((e) => {
    if (e.type === 'approval' && e.status === 'pending') out(`  waiting:  turn of session ${termLine(e.sessionId)}: ${approvalLink(kx.url, config.uiToken, e.approvalId)}   (or: kx approve)`);
    else if (e.type === 'approval' && e.status === 'failed') out(`  notice:   the rewrite failed for a turn of session ${termLine(e.sessionId)}; the original was sent`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    void kx.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function codexBinary(): string {
  const local = path.join(packageRoot, 'node_modules/.bin/codex');
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, 'codex')));
  return onPath ? 'codex' : local;
}

async function codex(argv: string[]): Promise<void> {
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
    process.stderr.write(`kx is not answering at ${proxy}; start it first with: npm start\n`);
    process.exit(1);
  }
  // Overrides go before the user's arguments so a subcommand such as `exec` still parses.
  const child = spawn(codexBinary(), [...codexOverrides(mode, proxy), ...argv], { stdio: 'inherit' });
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

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'start':
      return start(rest);
    case 'codex':
      return codex(rest);
    case 'import':
      process.exitCode = await importCommand(rest, { out: process.stdout, env: process.env, cwd: process.cwd() });
      return;
    case 'end':
      return endCommand(packageRoot, rest, out);
    case 'gaps':
      return gapsCommand(packageRoot, rest, out);
    case 'summary':
      return summaryCommand(packageRoot, rest, out);
    case 'notes':
      return notesCommand(packageRoot, rest, out);
    case 'mode':
      return modeCommand(rest, runningKx(packageRoot), (s) => process.stdout.write(s + '\n'));
    case 'approve':
      return approve(rest);
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
      process.stderr.write(`kx: unknown command ${cmd}\n\n${HELP}\n`);
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
