// Every kx command in one table: its name, usage, what it does, its options with their types and
// ranges, and its handler. One parser (config/flags.ts) reads every command's arguments, so every
// mistake is said the same plain way. Handlers load what they need when they run (the proxy, the
// importer, the MCP SDK), so the small commands start at once.

import path from 'node:path';
import { SETTINGS_OPTIONS } from '../config/config.js';
import { parseFlags, type OptionSpecs, type ParsedFlags } from '../config/flags.js';
import { IMPORT_OPTIONS, IMPORT_USAGE } from './import-usage.js';
import { FIND_KX_HELP, FIND_KX_OPTIONS, runningKx, type FindKxFlags } from './find-kx.js';
import { endCommand, gapDecision, gapsCommand, notesCommand, sessionsCommand, summaryCommand } from './insight-commands.js';
import { CliError, type KxClient } from './kx-client.js';
import { approveCommand, modeCommand, terminalIo } from './learn-commands.js';
import { modeTarget, resolveApproval } from './names.js';
import { TEAM_USAGE, teamJoin, teamLeave, teamShare, teamStatus } from './team-command.js';

/** What a handler is given besides its arguments: where it runs, and where it prints. */
export interface CliContext {
  /** kx's own folder: its proxy.env and documents, wherever the command runs. */
  packageRoot: string;
  /** Where the person runs the command: paths they give are relative to it. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  /** A warning on standard error (an unknown key in proxy.env), said once. */
  warn: (line: string) => void;
  /** The running kx's API: the one these flags (those of kx start that say where it is) and the settings name. */
  api: (flags?: FindKxFlags) => KxClient;
  /** Times are printed in this zone (tests); the machine's by default. */
  timeZone?: string;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** The synopsis (more lines for sub-commands). */
  usage: string;
  /** What the command does, for its --help. */
  help: string;
  options: O;
  /** Words besides the options (ids, paths); default none. */
  maxPositionals?: number;
  /** It talks to the running kx, and takes the flags that find it (find-kx.ts). */
  findsKx?: boolean;
  /** The handler takes the words as typed: Codex's own options (codex), or a handler that parses with `options` itself once loaded (import). */
  rawArgs?: boolean;
  run: (args: ParsedFlags<O>, ctx: CliContext, argv: readonly string[]) => Promise<number | void>;
}

const command = <O extends OptionSpecs>(c: Command<O>): Command => c as unknown as Command;

/** The running kx, found with the flags among `values` that say where it is. */
function api(ctx: CliContext, values: FindKxFlags): KxClient {
  const { documents, port, host, 'env-file': envFile } = values;
  return ctx.api({ documents, port, host, 'env-file': envFile });
}
const finding = (values: FindKxFlags): boolean => Object.keys(FIND_KX_OPTIONS).some((k) => values[k as keyof FindKxFlags] !== undefined);
const envFile = (ctx: CliContext): string => path.join(ctx.packageRoot, 'proxy.env');
const usageError = (usage: string, why: string): CliError => new CliError(`${why}\nUsage: ${usage}`);

const START_USAGE = `kx start [--host H] [--port P] [--upstream URL] [--chatgpt-upstream URL|off] [--documents DIR]
         [--ui-token T] [--log-level debug|info|warn|error] [--env-file F] [--allow-remote]`;
const GAPS_USAGE = 'kx gaps [--project P|all] [--status open|resolved | --all]\n       kx gaps resolve GAP [--note TEXT]\n       kx gaps reopen GAP';

export const COMMANDS: readonly Command[] = [
  command({
    name: 'start',
    usage: START_USAGE,
    help: "run the proxy and the console; settings from kx's own proxy.env, then KX_* variables, then flags",
    options: SETTINGS_OPTIONS,
    rawArgs: true,
    run: async (_, ctx, argv) => (await import('./start-command.js')).startCommand(argv, ctx),
  }),
  command({
    name: 'codex',
    usage: 'kx codex [codex args...]',
    help: "run Codex with its base URL pointed at the running kx and kx's memory tools (MCP) wired in (Codex's own options: codex --help)",
    options: {},
    rawArgs: true,
    run: async (_, ctx, argv) => (await import('./codex-command.js')).codexCommand(argv, ctx),
  }),
  command({
    name: 'mcp',
    usage: 'kx mcp [--documents DIR] [--port P]',
    help: "kx's memory tools as a stdio MCP server that talks to the running kx, for clients that only start those. The client starts it in your project's folder: give it the --documents DIR kx start was given, if any",
    options: FIND_KX_OPTIONS,
    findsKx: true,
    run: async ({ values }, ctx) => (await import('./mcp-command.js')).mcpCommand(values, { packageRoot: ctx.packageRoot, cwd: ctx.cwd, env: ctx.env, warn: ctx.warn }),
  }),
  command({
    name: 'import',
    usage: IMPORT_USAGE,
    help: 'record past Codex sessions from ~/.codex (or $CODEX_HOME), or from the files and folders given',
    options: IMPORT_OPTIONS,
    rawArgs: true,
    run: async (_, ctx, argv) => {
      const { importCommand } = await import('./import-command.js');
      return importCommand(argv, { out: process.stdout, env: ctx.env, cwd: ctx.cwd, kxRoot: ctx.packageRoot, warn: ctx.warn });
    },
  }),
  command({
    name: 'sessions',
    usage: 'kx sessions [--project P] [--limit N]',
    help: 'the recent sessions: id, title, project, last activity, turns, open gaps',
    options: { project: { type: 'string', value: 'P' }, limit: { type: 'integer', value: 'N', min: 1, max: 100 }, ...FIND_KX_OPTIONS },
    findsKx: true,
    run: ({ values }, ctx) => sessionsCommand(api(ctx, values), values, ctx.out, ctx.timeZone),
  }),
  command({
    name: 'end',
    usage: 'kx end [SESSION]',
    help: 'end a session (default: the latest; an id prefix will do) and queue its summary',
    options: FIND_KX_OPTIONS,
    findsKx: true,
    maxPositionals: 1,
    run: ({ values, positionals }, ctx) => endCommand(api(ctx, values), positionals[0], ctx.out),
  }),
  command({
    name: 'gaps',
    usage: GAPS_USAGE,
    help: "the gaps kx noted, of this folder's project by default; resolve or reopen one",
    options: { project: { type: 'string', value: 'P|all' }, status: { type: 'string', value: 'open|resolved', choices: ['open', 'resolved'] }, all: { type: 'boolean' }, note: { type: 'string', value: 'TEXT' }, ...FIND_KX_OPTIONS },
    findsKx: true,
    maxPositionals: 2,
    run: ({ values, positionals: [verb, id] }, ctx) => {
      if (verb === undefined) {
        if (values.note !== undefined) throw usageError(GAPS_USAGE, '--note goes with kx gaps resolve GAP');
        return gapsCommand(api(ctx, values), values, ctx.out, ctx.cwd);
      }
      if (verb !== 'resolve' && verb !== 'reopen') throw usageError(GAPS_USAGE, `kx gaps resolve or reopen, got ${JSON.stringify(verb)}`);
      if (id === undefined) throw usageError(GAPS_USAGE, `kx gaps ${verb} needs a gap id (kx gaps lists them)`);
      if (verb === 'reopen' && values.note !== undefined) throw usageError(GAPS_USAGE, '--note goes with kx gaps resolve GAP');
      return gapDecision(api(ctx, values), verb, id, values.note, ctx.out);
    },
  }),
  command({
    name: 'summary',
    usage: 'kx summary [SESSION]',
    help: 'the latest summary of a session (default: the latest)',
    options: FIND_KX_OPTIONS,
    findsKx: true,
    maxPositionals: 1,
    run: ({ values, positionals }, ctx) => summaryCommand(api(ctx, values), positionals[0], ctx.out),
  }),
  command({
    name: 'notes',
    usage: 'kx notes [PROJECT]',
    help: "the project's profile (default: the project of this folder; a unique start of its name will do)",
    options: FIND_KX_OPTIONS,
    findsKx: true,
    maxPositionals: 1,
    run: ({ values, positionals }, ctx) => notesCommand(api(ctx, values), positionals[0], ctx.out, ctx.cwd),
  }),
  command({
    name: 'mode',
    usage: 'kx mode [learn|capture] [--project P | --session S]',
    help: 'show or switch the mode of the running kx (a unique start of a session id or project name will do)',
    options: { project: { type: 'string', value: 'P' }, session: { type: 'string', value: 'S' }, ...FIND_KX_OPTIONS },
    findsKx: true,
    maxPositionals: 1,
    run: async ({ values, positionals: [mode] }, ctx) => {
      const client = api(ctx, values);
      // Named the way kx end and kx notes name them (names.ts): an empty name, an unknown or an ambiguous one is said here.
      const target = await modeTarget(client, values);
      return modeCommand({ ...target, ...(mode !== undefined ? { mode } : {}) }, client, ctx.out);
    },
  }),
  command({
    name: 'approve',
    usage: 'kx approve [ID accept|reject|edit [TEXT]]',
    help: 'decide the turns learn mode holds (edit opens $EDITOR)',
    options: FIND_KX_OPTIONS,
    findsKx: true,
    maxPositionals: Infinity,
    run: async ({ values, positionals }, ctx) => {
      const client = api(ctx, values);
      const [id, action, ...rest] = positionals;
      // An id prefix will do, as for sessions (names.ts); a wrong action is approveCommand's to say.
      const named = id !== undefined && (action === 'accept' || action === 'reject' || action === 'edit') ? [await resolveApproval(client, id), action, ...rest] : positionals;
      const io = terminalIo();
      try {
        await approveCommand(named, client, io);
      } finally {
        io.close();
      }
    },
  }),
  command({
    name: 'team',
    usage: TEAM_USAGE,
    help: "team memory on PostgreSQL (docs/team.md): join or leave a team, see what leaves this machine, turn a project's sharing on or off",
    options: { author: { type: 'string', value: 'NAME' }, ...FIND_KX_OPTIONS },
    findsKx: true,
    maxPositionals: 3,
    run: async ({ values, positionals: [sub, a, b] }, ctx) => {
      const extra = sub === 'share' ? undefined : sub === 'join' ? b : a;
      if (extra !== undefined) throw usageError(TEAM_USAGE, `unexpected argument ${extra}`);
      if (values.author !== undefined && sub !== 'join') throw usageError(TEAM_USAGE, '--author goes with kx team join');
      if ((sub === 'join' || sub === 'leave') && finding(values)) throw usageError(TEAM_USAGE, `kx team ${sub} edits kx's own proxy.env; --documents, --port, --host and --env-file go with status and share`);
      if (sub === 'join' && a !== undefined) return teamJoin(a, values.author, envFile(ctx), ctx.out);
      if (sub === 'leave') return void teamLeave(envFile(ctx), ctx.out);
      if (sub === 'status') return teamStatus(api(ctx, values), ctx.out);
      if (sub === 'share' && a !== undefined && (b === 'on' || b === 'off')) return teamShare(api(ctx, values), a, b, ctx.out);
      throw new CliError(`Usage: ${TEAM_USAGE}`);
    },
  }),
];

export const commandNamed = (name: string): Command | undefined => COMMANDS.find((c) => c.name === name);

/** `kx <command> --help`. */
export const commandHelp = (c: Command): string => `Usage: ${c.usage}\n  ${c.help}${c.findsKx ? `\n  ${FIND_KX_HELP}` : ''}`;

/**
 * Runs one command's words (after its name) through its row: parsed by the one parser, then the handler.
 * Resolves to the exit code the handler chose, if any.
 */
export async function runCommand(c: Command, argv: readonly string[], ctx: CliContext): Promise<number | void> {
  // Codex's words are Codex's: only a first --help is kx's.
  if (c.name === 'codex' ? argv[0] === '--help' : argv.some((a) => a === '--help' || a === '-h')) return ctx.out(commandHelp(c));
  const parsed = c.rawArgs ? { values: {}, positionals: [], help: false } : parseFlags(argv, c.options, { usage: c.usage, maxPositionals: c.maxPositionals ?? 0 });
  return c.run(parsed, ctx, argv);
}

/** The running kx of a context: kx's own proxy.env, KX_* variables, the command's flags and the documents folder's lock (find-kx.ts). */
export const apiOf =
  (packageRoot: string, more: { cwd: string; env: NodeJS.ProcessEnv; warn: (line: string) => void }) =>
  (flags: FindKxFlags = {}): KxClient =>
    runningKx(packageRoot, flags, more);
