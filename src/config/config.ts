// One typed Config from defaults < proxy.env < process environment < command-line flags.
// The only place kx reads process.env.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { closestName } from './closest-name.js';
import { makePrivateDir } from './private-dir.js';
import { ConfigError } from './config-error.js';
import { chosenEnvFile, readEnvFile } from './env-file.js';
import { parseFlags, type OptionSpecs } from './flags.js';

export { parseEnvFile } from './env-file.js';

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
  /** KX_LOG: plain lines on stderr, or JSON lines. */
  logFormat?: 'text' | 'json';
  /** KX_LOG_FILE: every log line as JSON, appended here too. */
  logFile?: string;
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
  /** KX_INSIGHT_API_KEY, else OPENAI_API_KEY; without one, the session's own credentials are borrowed in memory (unless `ownBaseUrl`). */
  apiKey: string | undefined;
  /** Which variable the key came from, for the start banner (never the key itself). */
  apiKeyFrom?: 'KX_INSIGHT_API_KEY' | 'OPENAI_API_KEY';
  baseUrl: URL;
  /**
   * KX_INSIGHT_BASE_URL names a server other than OpenAI's API (a local model, a gateway): every call
   * goes there, with the key or with none, never to the session's upstream with its credentials.
   */
  ownBaseUrl: boolean;
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

/** The URL that reaches a kx bound to `host`: a wildcard address is reached on loopback, an IPv6 one in brackets. */
export function kxUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
}

export const DEFAULT_UPSTREAM_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/codex';

/** Node's longest timer (2^31 − 1 ms): a longer one fires at once, so every setting that arms a timer stays under it. */
const MAX_TIMER_SECONDS = 2_147_483;

// Each setting's rule in plain words, without its name: an error names where the value came from
// (--port, KX_PORT, KX_PORT in proxy.env), then says the rule and what was given.
const EMPTY = 'must not be empty';
const text = (rule = EMPTY) => z.string({ message: rule }).min(1, rule);
/** Number('') is 0: an empty value passed as zero (KX_PORT= listened on a random port), so it is refused first. */
const filled = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v, ctx) => {
    if (typeof v !== 'string' || v.trim() !== '') return v;
    ctx.addIssue({ code: 'custom', message: EMPTY });
    return z.NEVER;
  }, schema);
const whole = (min: number, max: number, rule: string) => filled(z.coerce.number({ message: rule }).int(rule).min(min, rule).max(max, rule));
const number = (min: number, max: number, rule: string) =>
  filled(z.coerce.number({ message: rule }).refine((n) => Number.isFinite(n) && n >= min && n <= max, rule));
/** A number of seconds (fractions allowed) within a range that makes sense. */
const seconds = (min: number, max: number, fallback: number, why: string) => number(min, max, `must be between ${min} and ${max} seconds (${why})`).default(fallback);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0]}` });
const httpUrl = (example: string) => {
  const rule = `must be an absolute http(s) URL, e.g. ${example}`;
  return z.string({ message: rule }).refine((u) => /^https?:\/\/[^/]/i.test(u) && URL.canParse(u), rule);
};

const Env = z.object({
  KX_HOST: text().default('127.0.0.1'),
  KX_PORT: whole(0, 65535, 'must be a number from 1 to 65535 (0 picks a free port)').default(8787),
  // No defaults here: whether each was set decides where ChatGPT-login requests go (resolveUpstreams).
  KX_UPSTREAM_BASE_URL: httpUrl(DEFAULT_UPSTREAM_BASE_URL).optional(),
  KX_CHATGPT_BASE_URL: z.literal('off').or(httpUrl(`${DEFAULT_CHATGPT_BASE_URL} (or off)`)).optional(),
  KX_DOCUMENTS_DIR: text().default('./documents'),
  KX_UI_TOKEN: text('must be at least 16 characters').min(16, 'must be at least 16 characters').optional(),
  KX_ALLOW_REMOTE: oneOf(['0', '1', 'true', 'false']).optional(),
  KX_LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error']).default('info'),
  KX_LOG: oneOf(['text', 'json']).default('text'),
  KX_LOG_FILE: text().optional(),
  KX_INSIGHT: oneOf(['off', 'turn', 'session']).default('turn'),
  KX_INSIGHT_MODEL: text().default('gpt-5'),
  KX_INSIGHT_API_KEY: text().optional(),
  OPENAI_API_KEY: text().optional(),
  KX_INSIGHT_BASE_URL: httpUrl('https://api.openai.com/v1').default('https://api.openai.com/v1'),
  KX_INSIGHT_CONCURRENCY: whole(1, 32, 'must be a whole number from 1 to 32').default(2),
  KX_INSIGHT_MAX_INPUT_TOKENS: whole(2000, Number.MAX_SAFE_INTEGER, 'must be a whole number, at least 2000').default(12_000),
  KX_INSIGHT_TIMEOUT_SECONDS: seconds(1, 3600, 120, 'one model call'),
  KX_SESSION_IDLE_MINUTES: number(Number.MIN_VALUE, Number.MAX_VALUE, 'must be a number of minutes above 0').default(30),
  // Learn mode (docs/learn-mode.md). Seconds may be fractional.
  KX_MODE: oneOf(['capture', 'learn']).optional(),
  KX_LEARN_HOLD: oneOf(['when-changed', 'always']).default('when-changed'),
  KX_APPROVAL_TIMEOUT_SECONDS: seconds(1, MAX_TIMER_SECONDS, 600, "Node's longest timer is about 24.8 days"),
  KX_REWRITE_TIMEOUT_SECONDS: seconds(0.5, 600, 20, 'the agent waits for it'),
  KX_KEEPALIVE_SECONDS: seconds(0.5, 3600, 30, 'shorter floods the socket'),
  KX_INJECT: oneOf(['off', 'first-turn']).default('first-turn'),
  KX_INJECT_MAX_TOKENS: whole(0, Number.MAX_SAFE_INTEGER, 'must be a whole number, 0 or more').default(800),
  // Team memory (docs/team.md). The URL is checked where it is used (src/team/team-url.ts): it must never be quoted back.
  KX_TEAM_DATABASE_URL: text().optional(),
  KX_TEAM_AUTHOR: text('must be 1 to 100 characters').max(100, 'must be 1 to 100 characters').optional(),
});
type Settings = z.infer<typeof Env>;

/** Settings whose value is a secret: an error about one never quotes it back. */
const SECRET = new Set(['KX_UI_TOKEN', 'KX_INSIGHT_API_KEY', 'OPENAI_API_KEY', 'KX_TEAM_DATABASE_URL']);

/** The flags that set a setting, by the setting they set. */
const FLAG_KEYS = {
  host: 'KX_HOST',
  port: 'KX_PORT',
  upstream: 'KX_UPSTREAM_BASE_URL',
  'chatgpt-upstream': 'KX_CHATGPT_BASE_URL',
  documents: 'KX_DOCUMENTS_DIR',
  'ui-token': 'KX_UI_TOKEN',
  'log-level': 'KX_LOG_LEVEL',
} as const satisfies Record<string, keyof Settings>;

/** The options `kx start` (and the commands that read settings) take; their values are checked with the settings'. */
export const SETTINGS_OPTIONS = {
  host: { type: 'string', value: 'H' },
  port: { type: 'string', value: 'P' },
  upstream: { type: 'string', value: 'URL' },
  'chatgpt-upstream': { type: 'string', value: 'URL|off' },
  documents: { type: 'string', value: 'DIR' },
  'ui-token': { type: 'string', value: 'T' },
  'log-level': { type: 'string', value: 'debug|info|warn|error' },
  'env-file': { type: 'string', value: 'F' },
  'allow-remote': { type: 'boolean' },
} as const satisfies OptionSpecs;

function settingsFlags(argv: readonly string[], usage: string): { env: Record<string, string>; allowRemote: boolean; envFile?: string } {
  const { values } = parseFlags(argv, SETTINGS_OPTIONS, { usage });
  const env: Record<string, string> = {};
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const v = values[flag as keyof typeof FLAG_KEYS];
    if (v !== undefined) env[key] = v;
  }
  return { env, allowRemote: values['allow-remote'] === true, ...(values['env-file'] !== undefined ? { envFile: values['env-file'] } : {}) };
}

const FLAG_OF = new Map<string, string>(Object.entries(FLAG_KEYS).map(([flag, key]) => [key, `--${flag}`]));

/** One line per wrong setting (its first rule broken), naming where the value came from. */
function settingsErrors(issues: readonly z.ZodIssue[], sources: { flags: Record<string, string>; env: Record<string, string>; file: Record<string, string>; fileName: string }): string[] {
  const seen = new Map<string, string>();
  for (const i of issues) {
    const key = String(i.path[0]);
    if (!seen.has(key)) seen.set(key, i.message);
  }
  return [...seen]
    .map(([key, rule]) => {
      const [name, value] =
        key in sources.flags ? [FLAG_OF.get(key) ?? key, sources.flags[key]] : key in sources.env ? [key, sources.env[key]] : [`${key} in ${sources.fileName}`, sources.file[key]];
      return `${name} ${rule}${SECRET.has(key) || value === undefined ? '' : `, got ${JSON.stringify(value)}`}`;
    });
}

/** A key in proxy.env kx does not know is a typo more often than not: say so, with the nearest setting. */
function unknownKeys(file: Record<string, string>, fileName: string): string[] {
  const known = Object.keys(Env.shape);
  return Object.keys(file)
    .filter((k) => !known.includes(k))
    .map((k) => {
      const near = closestName(k, known);
      return `${fileName}: ${k} is not a kx setting${near ? ` (did you mean ${near}?)` : ''}; it is ignored`;
    });
}

/** KX_ variables kx reads outside its settings (bin/kx.js, kx codex's MCP token, the env file's own name). */
const READ_ELSEWHERE = new Set(['KX_ENV_FILE', 'KX_FROM_SOURCE', 'KX_MCP_TOKEN']);

/** A KX_ variable in the environment may be another tool's: only one near a setting's name is called a typo. */
function mistypedEnv(env: Record<string, string>): string[] {
  const known = Object.keys(Env.shape);
  return Object.keys(env).flatMap((k) => {
    const near = k.startsWith('KX_') && !known.includes(k) && !READ_ELSEWHERE.has(k) ? closestName(k, known) : undefined;
    return near ? [`environment: ${k} is not a kx setting (did you mean ${near}?); it is ignored`] : [];
  });
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

/** The console token kx keeps in the documents folder when KX_UI_TOKEN is not set: made once, private. */
function consoleToken(documentsDir: string): string {
  const file = path.join(documentsDir, 'ui-token');
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    if (t.length >= 16) return t;
  } catch {
    // first start: make one below
  }
  makePrivateDir(documentsDir);
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
type LoadOptions = {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  flagsCwd?: string;
  /** The command's usage, under an error in its flags. */
  usage?: string;
  /** Told what is suspicious but not wrong (an unknown key in proxy.env). */
  warn?: (line: string) => void;
  /** Told the documents folder before anything is written in it (kx start takes back what a failed start wrote). */
  beforeWrite?: (documentsDir: string) => void;
};

/** Settings without side effects (no token file is made): what `kx codex` needs to find kx. */
export function readSettings(opts: LoadOptions = {}): { settings: Settings; allowRemoteFlag: boolean; envFile: string | undefined } {
  const cwd = opts.cwd ?? process.cwd();
  const flags = settingsFlags(opts.argv ?? [], opts.usage ?? 'kx start [options] (see kx start --help)');
  const flagsCwd = opts.flagsCwd ?? cwd;
  if (flags.env.KX_DOCUMENTS_DIR) flags.env.KX_DOCUMENTS_DIR = path.resolve(flagsCwd, flags.env.KX_DOCUMENTS_DIR);
  const chosen = chosenEnvFile(flags.envFile, (opts.env ?? process.env).KX_ENV_FILE);
  // A relative KX_ENV_FILE is the shell's: from where kx runs, whichever command reads it.
  const chosenCwd = chosen?.from === 'KX_ENV_FILE' ? (opts.flagsCwd ?? process.cwd()) : flagsCwd;
  const envFilePath = chosen ? path.resolve(chosenCwd, chosen.path) : path.resolve(cwd, 'proxy.env');
  let fileEnv: Record<string, string> = {};
  if (fs.existsSync(envFilePath)) fileEnv = readEnvFile(envFilePath, opts.warn);
  else if (chosen) throw new ConfigError(`env file not found: ${envFilePath} (${chosen.from})`);
  // OPENAI_API_KEY is the one non-KX variable read: the insight engine's fallback key.
  const processEnv = Object.fromEntries(
    Object.entries(opts.env ?? process.env).filter((e): e is [string, string] => (e[0].startsWith('KX_') || e[0] === 'OPENAI_API_KEY') && e[1] !== undefined),
  );
  for (const line of [...unknownKeys(fileEnv, envFilePath), ...mistypedEnv(processEnv)]) opts.warn?.(line);
  const parsed = Env.safeParse({ ...fileEnv, ...processEnv, ...flags.env });
  if (!parsed.success) {
    const mistakes = settingsErrors(parsed.error.issues, { flags: flags.env, env: processEnv, file: fileEnv, fileName: envFilePath });
    throw new ConfigError(mistakes.join('\n'), mistakes);
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
  opts.beforeWrite?.(documentsDir);
  const uiToken = e.KX_UI_TOKEN ?? consoleToken(documentsDir);
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
    logFormat: e.KX_LOG,
    ...(e.KX_LOG_FILE ? { logFile: path.resolve(cwd, e.KX_LOG_FILE) } : {}),
    insight: insightSettingsOf(e),
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

/** The insight engine's settings; a KX_INSIGHT_BASE_URL other than OpenAI's own is the person's choice of server (docs/settings.md). */
function insightSettingsOf(e: Settings): InsightSettings {
  const baseUrl = new URL(e.KX_INSIGHT_BASE_URL);
  const apiKeyFrom = e.KX_INSIGHT_API_KEY ? 'KX_INSIGHT_API_KEY' : e.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined;
  return {
    mode: e.KX_INSIGHT,
    model: e.KX_INSIGHT_MODEL,
    apiKey: e.KX_INSIGHT_API_KEY ?? e.OPENAI_API_KEY,
    ...(apiKeyFrom ? { apiKeyFrom } : {}),
    baseUrl,
    ownBaseUrl: baseUrl.href.replace(/\/+$/, '') !== DEFAULT_UPSTREAM_BASE_URL,
    concurrency: e.KX_INSIGHT_CONCURRENCY,
    maxInputTokens: e.KX_INSIGHT_MAX_INPUT_TOKENS,
    idleMinutes: e.KX_SESSION_IDLE_MINUTES,
    timeoutMs: e.KX_INSIGHT_TIMEOUT_SECONDS * 1000,
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
