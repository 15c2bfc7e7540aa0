// kx start: the proxy, the API and the console, and what the person reads on the terminal.

import path from 'node:path';
import { DEFAULT_LEARN, isLoopbackHost, loadConfig, readSettings, type Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { takeBackOnFailure } from '../config/private-dir.js';
import { createLogger } from '../config/logger.js';
import { mcpTokenOf } from '../api/auth.js';
import type { Kx } from '../kx.js';
import { describeInsightAccess } from '../insight/model-access.js';
import { mcpUrl } from '../mcp/codex-config.js';
import { FolderInUseError } from '../store/documents-lock.js';
import { maskUrl } from '../team/team-url.js';
import { VERSION } from '../version.js';
import { codexCommandLine } from './codex-args.js';
import type { CliContext } from './commands.js';
import { insightNotices } from './insight-notices.js';
import { describeModes } from './learn-commands.js';
import { shutdownOnSignals, STOP_GRACE_MS } from './shutdown.js';
import { startStory } from './start-story.js';
import { upstreamLines } from './upstream-lines.js';

/** The lines kx start prints for people that a log line would only repeat. */
const TOLD_ON_SCREEN = new Set(['turn waiting for approval']);

async function startOrSay(config: Config, log: ReturnType<typeof createLogger>, packageRoot: string): Promise<Kx> {
  const { startKx } = await import('../kx.js');
  try {
    return await startKx(config, log);
  } catch (err) {
    if (err instanceof FolderInUseError) throw new ConfigError(err.message);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`port ${config.port} on ${config.host} is in use (another kx?). Choose another with --port N, or KX_PORT=N in ${config.envFile ?? path.join(packageRoot, 'proxy.env')}`);
    }
    throw err;
  }
}

/** True when the other commands, given no flag, would look for kx on another documents folder than this kx's. */
function offDefaultFolder(ctx: CliContext, documentsDir: string): boolean {
  try {
    return path.resolve(ctx.packageRoot, readSettings({ cwd: ctx.packageRoot, env: ctx.env }).settings.KX_DOCUMENTS_DIR) !== documentsDir;
  } catch {
    return false; // a setting only a flag of this start put right: the commands will say so themselves
  }
}

function tellWhereThingsAre(kx: Kx, config: Config, packageRoot: string, out: (s: string) => void, offDefault: boolean): void {
  const proxy = `${kx.url}/v1`;
  if (!isLoopbackHost(config.host)) out(`WARNING: kx listens on ${config.host}, beyond loopback. Anyone who can reach it can use it as a proxy.`);
  out(`kx ${VERSION} recording to ${config.documentsDir}`);
  out(`  settings: ${config.envFile ?? `no proxy.env in ${packageRoot}`}${config.uiTokenSource === 'env' ? '' : `, console token in ${path.join(config.documentsDir, 'ui-token')}`}`);
  if (offDefault) out(`  commands: this kx is not on the default documents folder; give kx sessions, end, notes… --documents ${config.documentsDir}`);
  for (const line of upstreamLines(proxy, config)) out(line);
  out(`  console:  ${kx.url}/ui/?token=${config.uiToken}`);
  out(`  codex (API key):       ${codexCommandLine('apikey', proxy)}`);
  out(`  codex (ChatGPT login): ${codexCommandLine('chatgpt', proxy)}`);
  out(`  or simply:             kx codex [args]`);
  out(`  memory (MCP):          ${mcpUrl(kx.url)}  (Authorization: Bearer ${mcpTokenOf(config.uiToken)}: read-only; kx codex wires it in)`);
  out(`  other OpenAI SDK agents: OPENAI_BASE_URL=${proxy}`);
  const insight = config.insight;
  out(`  insight:  ${insight?.mode ?? 'off'}${insight && insight.mode !== 'off' ? ` (${insight.model} at ${describeInsightAccess(insight)})` : ''}`);
  insightNotices(kx, out);
  if (config.team) out(`  team:     ${maskUrl(config.team.databaseUrl)} as ${config.team.author}   (docs/team.md; kx team status)`);
  out(`  mode:     ${describeModes(kx.modes.view()).replace(/\n/g, '; ')}   (kx mode learn|capture to switch)`);
}

/** The settings and a started kx; a start that fails before it listens leaves no files in a documents folder that held no data. */
async function startOrTakeBack(argv: readonly string[], ctx: CliContext): Promise<{ kx: Kx; config: Config; log: ReturnType<typeof createLogger> }> {
  let takeBack = (): void => {};
  try {
    // kx's own folder, wherever it is run from: the same proxy.env and documents as every other command.
    const config = loadConfig({ argv, cwd: ctx.packageRoot, flagsCwd: ctx.cwd, warn: ctx.warn, usage: 'kx start [options] (see kx start --help)', beforeWrite: (dir) => (takeBack = takeBackOnFailure(dir)) });
    const logger = createLogger({ level: config.logLevel, format: config.logFormat ?? 'text', file: config.logFile });
    const log: typeof logger = (line) => {
      if (!TOLD_ON_SCREEN.has(String(line.msg))) logger(line);
    };
    return { kx: await startOrSay(config, log, ctx.packageRoot), config, log };
  } catch (err) {
    takeBack();
    throw err;
  }
}

export async function startCommand(argv: readonly string[], ctx: CliContext): Promise<void> {
  const { kx, config, log } = await startOrTakeBack(argv, ctx);
  tellWhereThingsAre(kx, config, ctx.packageRoot, ctx.out, offDefaultFolder(ctx, config.documentsDir));
  // What happens while kx runs, one line each: modes, held turns and their decisions, imported jobs.
  startStory(kx, { url: kx.url, uiToken: config.uiToken, approvalTimeoutMs: (config.learn ?? DEFAULT_LEARN).approvalTimeoutMs }, ctx.out);
  const stop = shutdownOnSignals({ close: () => kx.close(), log, exit: (code) => process.exit(code), graceMs: STOP_GRACE_MS });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Closing kx's terminal: a graceful stop too, so running jobs go back to the queue.
  process.on('SIGHUP', () => stop('SIGHUP'));
}
