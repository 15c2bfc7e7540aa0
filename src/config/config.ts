// One typed Config from defaults < proxy.env < process environment < command-line flags.
// The only place kx reads process.env.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, parseEnv, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

export interface Config {
  host: string;
  port: number;
  /** Where API-key requests go (and every request, when only KX_UPSTREAM_BASE_URL was set). */
  upstreamBaseUrl: URL;
  /** Where ChatGPT-login requests go; null when KX_CHATGPT_BASE_URL=off. */
  chatgptBaseUrl: URL | null;
  documentsDir: string;
  uiToken: string;
  /** The env file the settings were read from, if there was one. */
  envFile?: string;
  /** Where the UI token came from: a variable, or the token file kx keeps in documents/. */
  uiTokenSource: 'env' | 'file';
  allowRemote: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Learn mode settings; absent means the defaults (DEFAULT_LEARN). */
  learn?: LearnConfig;
  /** The insight engine's settings; absent (embedders, most tests) means off. */
  insight?: InsightSettings;
  /** Team memory on PostgreSQL (docs/team.md); absent means off. */
  team?: TeamSettings;
}

export interface TeamSettings {
  /** KX_TEAM_DATABASE_URL: carries a password, so it is never printed or stored in documents/ (src/team/team-url.ts masks it). */
  databaseUrl: string;
  /** KX_TEAM_AUTHOR, else the login name: who the team sees as the author of what this kx shares. */
  author: string;
  /** Test seams: how often an idle sync looks for others' changes, and its retry delays. */
  pollMs?: number;
  retryBaseMs?: number;
  maxRetryMs?: number;
}

export type InsightMode = 'off' | 'turn' | 'session';

export interface InsightSettings {
  mode: InsightMode;
  model: string;
  /** KX_INSIGHT_API_KEY, else OPENAI_API_KEY; without one, the session's own credentials are borrowed in memory. */
  apiKey: string | undefined;
  baseUrl: URL;
  concurrency: number;
  maxInputTokens: number;
  idleMinutes: number;
  timeoutMs: number;
}

export interface LearnConfig {
  /** KX_MODE: the global mode at start; unset keeps the mode last chosen (capture at first). */
  mode: 'capture' | 'learn' | undefined;
  hold: 'when-changed' | 'always';
  approvalTimeoutMs: number;
  rewriteTimeoutMs: number;
  keepaliveMs: number;
  inject: 'off' | 'first-turn';
  injectMaxTokens: number;
}

export const DEFAULT_LEARN: LearnConfig = {
  mode: undefined,
  hold: 'when-changed',
  approvalTimeoutMs: 600_000,
  rewriteTimeoutMs: 20_000,
  keepaliveMs: 30_000,
  inject: 'first-turn',
  injectMaxTokens: 800,
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const isLoopbackHost = (h: string): boolean => LOOPBACK.has(h.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(h);

export const DEFAULT_UPSTREAM_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/codex';

/** Node's longest timer (2^31 − 1 ms): a longer one fires at once, so every setting that arms a timer stays under it. */
const MAX_TIMER_SECONDS = 2_147_483;

/** A number of seconds (fractions allowed) within a range that makes sense, refused at start with the range. */
const seconds = (name: string, min: number, max: number, fallback: number, why: string) =>
  z.coerce
    .number({ message: `${name} must be a number of seconds` })
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, `${name} must be between ${min} and ${max} seconds (${why})`)
    .default(fallback);

const baseUrl = (name: string, example: string) =>
  z
    .string()
    .url(`${name} must be an absolute http(s) URL, e.g. ${example}`)
    .refine((u) => /^https?:/.test(u), `${name} must start with http:// or https://`);

const Env = z.object({
  KX_HOST: z.string().min(1).default('127.0.0.1'),
  KX_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  // No defaults here: whether each was set decides where ChatGPT-login requests go (resolveUpstreams).
  KX_UPSTREAM_BASE_URL: baseUrl('KX_UPSTREAM_BASE_URL', DEFAULT_UPSTREAM_BASE_URL).optional(),
  KX_CHATGPT_BASE_URL: z.literal('off').or(baseUrl('KX_CHATGPT_BASE_URL', `${DEFAULT_CHATGPT_BASE_URL} (or off)`)).optional(),
  KX_DOCUMENTS_DIR: z.string().min(1).default('./documents'),
  KX_UI_TOKEN: z.string().min(16, 'KX_UI_TOKEN must be at least 16 characters').optional(),
  KX_ALLOW_REMOTE: z.enum(['0', '1', 'true', 'false']).optional(),
  KX_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  KX_INSIGHT: z.enum(['off', 'turn', 'session'], { message: 'KX_INSIGHT must be off, turn or session' }).default('turn'),
  KX_INSIGHT_MODEL: z.string().min(1).default('gpt-5'),
  KX_INSIGHT_API_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  KX_INSIGHT_BASE_URL: z
    .string()
    .url('KX_INSIGHT_BASE_URL must be an absolute http(s) URL, e.g. https://api.openai.com/v1')
    .refine((u) => /^https?:/.test(u), 'KX_INSIGHT_BASE_URL must start with http:// or https://')
    .default('https://api.openai.com/v1'),
  KX_INSIGHT_CONCURRENCY: z.coerce.number().int().min(1, 'KX_INSIGHT_CONCURRENCY must be at least 1').max(32).default(2),
  KX_INSIGHT_MAX_INPUT_TOKENS: z.coerce.number().int().min(2000, 'KX_INSIGHT_MAX_INPUT_TOKENS must be at least 2000').default(12_000),
  KX_INSIGHT_TIMEOUT_SECONDS: seconds('KX_INSIGHT_TIMEOUT_SECONDS', 1, 3600, 120, 'one model call'),
  KX_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  // Learn mode (docs/learn-mode.md). Seconds may be fractional.
  KX_MODE: z.enum(['capture', 'learn'], { message: 'KX_MODE must be capture or learn' }).optional(),
  KX_LEARN_HOLD: z.enum(['when-changed', 'always'], { message: 'KX_LEARN_HOLD must be when-changed or always' }).default('when-changed'),
  KX_APPROVAL_TIMEOUT_SECONDS: seconds('KX_APPROVAL_TIMEOUT_SECONDS', 1, MAX_TIMER_SECONDS, 600, "Node's longest timer is about 24.8 days"),
  KX_REWRITE_TIMEOUT_SECONDS: seconds('KX_REWRITE_TIMEOUT_SECONDS', 0.5, 600, 20, 'the agent waits for it'),
  KX_KEEPALIVE_SECONDS: seconds('KX_KEEPALIVE_SECONDS', 0.5, 3600, 30, 'shorter floods the socket'),
  KX_INJECT: z.enum(['off', 'first-turn'], { message: 'KX_INJECT must be off or first-turn' }).default('first-turn'),
  KX_INJECT_MAX_TOKENS: z.coerce.number().int().min(0).default(800),
  // Team memory (docs/team.md). The URL is checked where it is used (src/team/team-url.ts): it must never be quoted back.
  KX_TEAM_DATABASE_URL: z.string().min(1).optional(),
  KX_TEAM_AUTHOR: z.string().min(1).max(100).optional(),
});

/**
 * An env file read by Node's own parser (util.parseEnv, Node 20.12+): `KEY=value # comment` is
 * `value`, a quoted value keeps its `#`, `export` and blank lines are fine. Unknown keys are ignored.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const parsed = parseEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const FLAG_TO_ENV: Record<string, string> = {
  '--host': 'KX_HOST',
  '--port': 'KX_PORT',
  '--upstream': 'KX_UPSTREAM_BASE_URL',
  '--chatgpt-upstream': 'KX_CHATGPT_BASE_URL',
  '--documents': 'KX_DOCUMENTS_DIR',
  '--ui-token': 'KX_UI_TOKEN',
  '--log-level': 'KX_LOG_LEVEL',
};

export class ConfigError extends Error {}

/** The options `kx start` (and the commands that read settings) take, for util.parseArgs. */
export const SETTINGS_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  upstream: { type: 'string' },
  'chatgpt-upstream': { type: 'string' },
  documents: { type: 'string' },
  'ui-token': { type: 'string' },
  'log-level': { type: 'string' },
  'env-file': { type: 'string' },
  'allow-remote': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** util.parseArgs's errors in kx's words: "unknown option --bogus (see kx --help)". */
export function argsError(err: unknown, usage: string): ConfigError {
  const e = err as { code?: string; message: string };
  const unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return new ConfigError(`unknown option ${unknown}\nUsage: ${usage}`);
  const needs = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(e.message)?.[1];
  if (needs) return new ConfigError(`${needs} needs a value\nUsage: ${usage}`);
  const unexpected = /Unexpected argument '([^']*)'/.exec(e.message)?.[1];
  if (unexpected !== undefined) return new ConfigError(`unexpected argument ${unexpected}\nUsage: ${usage}`);
  return new ConfigError(`${e.message}\nUsage: ${usage}`);
}

export function parseFlags(argv: string[], usage = 'kx start [options] (see kx start --help)'): { env: Record<string, string>; allowRemote: boolean; envFile?: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: SETTINGS_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw argsError(err, usage);
  }
  const env: Record<string, string> = {};
  for (const [flag, key] of Object.entries(FLAG_TO_ENV)) {
    const v = values[flag.slice(2)];
    if (typeof v === 'string') env[key] = v;
  }
  const envFile = values['env-file'];
  return { env, allowRemote: values['allow-remote'] === true, ...(typeof envFile === 'string' ? { envFile } : {}) };
}

/**
 * The two upstreams from the two settings. Someone who set only KX_UPSTREAM_BASE_URL (a company
 * gateway, Azure) keeps one upstream for every request; ChatGPT logins get their own default only
 * when neither is set.
 */
export function resolveUpstreams(upstream: string | undefined, chatgpt: string | undefined): { upstreamBaseUrl: URL; chatgptBaseUrl: URL | null } {
  const upstreamBaseUrl = new URL(upstream ?? DEFAULT_UPSTREAM_BASE_URL);
  if (chatgpt === 'off') return { upstreamBaseUrl, chatgptBaseUrl: null };
  if (chatgpt !== undefined) return { upstreamBaseUrl, chatgptBaseUrl: new URL(chatgpt) };
  return { upstreamBaseUrl, chatgptBaseUrl: upstream !== undefined ? upstreamBaseUrl : new URL(DEFAULT_CHATGPT_BASE_URL) };
}

function readTokenFile(documentsDir: string): string {
  const file = path.join(documentsDir, 'ui-token');
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    if (t.length >= 16) return t;
  } catch {
    // first start: make one below
  }
  fs.mkdirSync(documentsDir, { recursive: true, mode: 0o700 });
  const token = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return token;
}

/**
 * `cwd`: where proxy.env and a relative KX_DOCUMENTS_DIR are found (the CLI passes kx's own folder, so
 * every command uses one store wherever it runs); `flagsCwd`: what a path given as a flag
 * (--env-file, --documents) is relative to, the folder the person typed it in (default: `cwd`).
 */
type LoadOptions = { argv?: string[]; env?: NodeJS.ProcessEnv; cwd?: string; flagsCwd?: string };

/** Settings without side effects (no token file is made): what `kx codex` needs to find kx. */
export function readSettings(opts: LoadOptions = {}): { settings: z.infer<typeof Env>; allowRemoteFlag: boolean; envFile: string | undefined } {
  const cwd = opts.cwd ?? process.cwd();
  const flags = parseFlags(opts.argv ?? []);
  const flagsCwd = opts.flagsCwd ?? cwd;
  if (flags.env.KX_DOCUMENTS_DIR) flags.env.KX_DOCUMENTS_DIR = path.resolve(flagsCwd, flags.env.KX_DOCUMENTS_DIR);
  const envFilePath = flags.envFile ? path.resolve(flagsCwd, flags.envFile) : path.resolve(cwd, 'proxy.env');
  let fileEnv: Record<string, string> = {};
  if (fs.existsSync(envFilePath)) fileEnv = parseEnvFile(fs.readFileSync(envFilePath, 'utf8'));
  else if (flags.envFile) throw new ConfigError(`env file not found: ${envFilePath}`);
  // OPENAI_API_KEY is the one non-KX variable read: the insight engine's fallback key.
  const processEnv = Object.fromEntries(Object.entries(opts.env ?? process.env).filter(([k]) => k.startsWith('KX_') || k === 'OPENAI_API_KEY'));
  const merged = { ...fileEnv, ...processEnv, ...flags.env };
  const parsed = Env.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return { settings: parsed.data, allowRemoteFlag: flags.allowRemote, envFile: fs.existsSync(envFilePath) ? envFilePath : undefined };
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  const { settings: e, allowRemoteFlag, envFile } = readSettings(opts);
  const allowRemote = allowRemoteFlag || e.KX_ALLOW_REMOTE === '1' || e.KX_ALLOW_REMOTE === 'true';
  if (!isLoopbackHost(e.KX_HOST) && !allowRemote) {
    throw new ConfigError(`refusing to bind ${e.KX_HOST}: kx sees API keys and code; pass --allow-remote to listen beyond loopback`);
  }
  const documentsDir = path.resolve(cwd, e.KX_DOCUMENTS_DIR);
  const uiToken = e.KX_UI_TOKEN ?? readTokenFile(documentsDir);
  return {
    host: e.KX_HOST,
    port: e.KX_PORT,
    ...resolveUpstreams(e.KX_UPSTREAM_BASE_URL, e.KX_CHATGPT_BASE_URL),
    documentsDir,
    uiToken,
    uiTokenSource: e.KX_UI_TOKEN ? 'env' : 'file',
    ...(envFile ? { envFile } : {}),
    allowRemote,
    logLevel: e.KX_LOG_LEVEL,
    insight: {
      mode: e.KX_INSIGHT,
      model: e.KX_INSIGHT_MODEL,
      apiKey: e.KX_INSIGHT_API_KEY ?? e.OPENAI_API_KEY,
      baseUrl: new URL(e.KX_INSIGHT_BASE_URL),
      concurrency: e.KX_INSIGHT_CONCURRENCY,
      maxInputTokens: e.KX_INSIGHT_MAX_INPUT_TOKENS,
      idleMinutes: e.KX_SESSION_IDLE_MINUTES,
      timeoutMs: e.KX_INSIGHT_TIMEOUT_SECONDS * 1000,
    },
    learn: {
      mode: e.KX_MODE,
      hold: e.KX_LEARN_HOLD,
      approvalTimeoutMs: e.KX_APPROVAL_TIMEOUT_SECONDS * 1000,
      rewriteTimeoutMs: e.KX_REWRITE_TIMEOUT_SECONDS * 1000,
      keepaliveMs: e.KX_KEEPALIVE_SECONDS * 1000,
      inject: e.KX_INJECT,
      injectMaxTokens: e.KX_INJECT_MAX_TOKENS,
    },
    ...(e.KX_TEAM_DATABASE_URL ? { team: { databaseUrl: e.KX_TEAM_DATABASE_URL, author: e.KX_TEAM_AUTHOR ?? loginName() } } : {}),
  };
}

function loginName(): string {
  try {
    return os.userInfo().username || 'someone';
  } catch {
    return 'someone';
  }
}

/** Where Codex keeps its own transcripts: `$CODEX_HOME`, else `~/.codex` (what `kx import codex` reads). */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.CODEX_HOME?.trim();
  return home ? path.resolve(home) : path.join(os.homedir(), '.codex');
}
