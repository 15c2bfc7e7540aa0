import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  external_exports
} from "./chunk-36VX2XZQ.js";

// dist/config/config.js
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, parseEnv } from "node:util";
var DEFAULT_LEARN = {
  mode: void 0,
  hold: "when-changed",
  approvalTimeoutMs: 6e5,
  rewriteTimeoutMs: 2e4,
  keepaliveMs: 3e4,
  inject: "first-turn",
  injectMaxTokens: 800
};
var LOOPBACK = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
var isLoopbackHost = (h) => LOOPBACK.has(h.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(h);
var DEFAULT_UPSTREAM_BASE_URL = "https://api.openai.com/v1";
var DEFAULT_CHATGPT_BASE_URL = "https://chatgpt.com/backend-api/codex";
var MAX_TIMER_SECONDS = 2147483;
var seconds = (name, min, max, fallback, why) => external_exports.coerce.number({ message: `${name} must be a number of seconds` }).refine((n) => Number.isFinite(n) && n >= min && n <= max, `${name} must be between ${min} and ${max} seconds (${why})`).default(fallback);
var baseUrl = (name, example) => external_exports.string().url(`${name} must be an absolute http(s) URL, e.g. ${example}`).refine((u) => /^https?:/.test(u), `${name} must start with http:// or https://`);
var Env = external_exports.object({
  KX_HOST: external_exports.string().min(1).default("127.0.0.1"),
  KX_PORT: external_exports.coerce.number().int().min(0).max(65535).default(8787),
  // No defaults here: whether each was set decides where ChatGPT-login requests go (resolveUpstreams).
  KX_UPSTREAM_BASE_URL: baseUrl("KX_UPSTREAM_BASE_URL", DEFAULT_UPSTREAM_BASE_URL).optional(),
  KX_CHATGPT_BASE_URL: external_exports.literal("off").or(baseUrl("KX_CHATGPT_BASE_URL", `${DEFAULT_CHATGPT_BASE_URL} (or off)`)).optional(),
  KX_DOCUMENTS_DIR: external_exports.string().min(1).default("./documents"),
  KX_UI_TOKEN: external_exports.string().min(16, "KX_UI_TOKEN must be at least 16 characters").optional(),
  KX_ALLOW_REMOTE: external_exports.enum(["0", "1", "true", "false"]).optional(),
  KX_LOG_LEVEL: external_exports.enum(["debug", "info", "warn", "error"]).default("info"),
  KX_INSIGHT: external_exports.enum(["off", "turn", "session"], { message: "KX_INSIGHT must be off, turn or session" }).default("turn"),
  KX_INSIGHT_MODEL: external_exports.string().min(1).default("gpt-5"),
  KX_INSIGHT_API_KEY: external_exports.string().min(1).optional(),
  OPENAI_API_KEY: external_exports.string().min(1).optional(),
  KX_INSIGHT_BASE_URL: external_exports.string().url("KX_INSIGHT_BASE_URL must be an absolute http(s) URL, e.g. https://api.openai.com/v1").refine((u) => /^https?:/.test(u), "KX_INSIGHT_BASE_URL must start with http:// or https://").default("https://api.openai.com/v1"),
  KX_INSIGHT_CONCURRENCY: external_exports.coerce.number().int().min(1, "KX_INSIGHT_CONCURRENCY must be at least 1").max(32).default(2),
  KX_INSIGHT_MAX_INPUT_TOKENS: external_exports.coerce.number().int().min(2e3, "KX_INSIGHT_MAX_INPUT_TOKENS must be at least 2000").default(12e3),
  KX_INSIGHT_TIMEOUT_SECONDS: seconds("KX_INSIGHT_TIMEOUT_SECONDS", 1, 3600, 120, "one model call"),
  KX_SESSION_IDLE_MINUTES: external_exports.coerce.number().positive().default(30),
  // Learn mode (docs/learn-mode.md). Seconds may be fractional.
  KX_MODE: external_exports.enum(["capture", "learn"], { message: "KX_MODE must be capture or learn" }).optional(),
  KX_LEARN_HOLD: external_exports.enum(["when-changed", "always"], { message: "KX_LEARN_HOLD must be when-changed or always" }).default("when-changed"),
  KX_APPROVAL_TIMEOUT_SECONDS: seconds("KX_APPROVAL_TIMEOUT_SECONDS", 1, MAX_TIMER_SECONDS, 600, "Node's longest timer is about 24.8 days"),
  KX_REWRITE_TIMEOUT_SECONDS: seconds("KX_REWRITE_TIMEOUT_SECONDS", 0.5, 600, 20, "the agent waits for it"),
  KX_KEEPALIVE_SECONDS: seconds("KX_KEEPALIVE_SECONDS", 0.5, 3600, 30, "shorter floods the socket"),
  KX_INJECT: external_exports.enum(["off", "first-turn"], { message: "KX_INJECT must be off or first-turn" }).default("first-turn"),
  KX_INJECT_MAX_TOKENS: external_exports.coerce.number().int().min(0).default(800)
});
function parseEnvFile(text) {
  const parsed = parseEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((e) => typeof e[1] === "string"));
}
var FLAG_TO_ENV = {
  "--host": "KX_HOST",
  "--port": "KX_PORT",
  "--upstream": "KX_UPSTREAM_BASE_URL",
  "--chatgpt-upstream": "KX_CHATGPT_BASE_URL",
  "--documents": "KX_DOCUMENTS_DIR",
  "--ui-token": "KX_UI_TOKEN",
  "--log-level": "KX_LOG_LEVEL"
};
var ConfigError = class extends Error {
};
var SETTINGS_OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  upstream: { type: "string" },
  "chatgpt-upstream": { type: "string" },
  documents: { type: "string" },
  "ui-token": { type: "string" },
  "log-level": { type: "string" },
  "env-file": { type: "string" },
  "allow-remote": { type: "boolean" }
};
function argsError(err, usage) {
  const e = err;
  const unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown)
    return new ConfigError(`unknown option ${unknown}
Usage: ${usage}`);
  const needs = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(e.message)?.[1];
  if (needs)
    return new ConfigError(`${needs} needs a value
Usage: ${usage}`);
  const unexpected = /Unexpected argument '([^']*)'/.exec(e.message)?.[1];
  if (unexpected !== void 0)
    return new ConfigError(`unexpected argument ${unexpected}
Usage: ${usage}`);
  return new ConfigError(`${e.message}
Usage: ${usage}`);
}
function parseFlags(argv, usage = "kx start [options] (see kx start --help)") {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: SETTINGS_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw argsError(err, usage);
  }
  const env = {};
  for (const [flag, key] of Object.entries(FLAG_TO_ENV)) {
    const v = values[flag.slice(2)];
    if (typeof v === "string")
      env[key] = v;
  }
  const envFile = values["env-file"];
  return { env, allowRemote: values["allow-remote"] === true, ...typeof envFile === "string" ? { envFile } : {} };
}
function resolveUpstreams(upstream, chatgpt) {
  const upstreamBaseUrl = new URL(upstream ?? DEFAULT_UPSTREAM_BASE_URL);
  if (chatgpt === "off")
    return { upstreamBaseUrl, chatgptBaseUrl: null };
  if (chatgpt !== void 0)
    return { upstreamBaseUrl, chatgptBaseUrl: new URL(chatgpt) };
  return { upstreamBaseUrl, chatgptBaseUrl: upstream !== void 0 ? upstreamBaseUrl : new URL(DEFAULT_CHATGPT_BASE_URL) };
}
function readTokenFile(documentsDir) {
  const file = path.join(documentsDir, "ui-token");
  try {
    const t = fs.readFileSync(file, "utf8").trim();
    if (t.length >= 16)
      return t;
  } catch {
  }
  fs.mkdirSync(documentsDir, { recursive: true, mode: 448 });
  const token = crypto.randomBytes(24).toString("base64url");
  fs.writeFileSync(file, token + "\n", { mode: 384 });
  fs.chmodSync(file, 384);
  return token;
}
function readSettings(opts = {}) {
  const cwd = opts.cwd ?? process.cwd();
  const flags = parseFlags(opts.argv ?? []);
  const flagsCwd = opts.flagsCwd ?? cwd;
  if (flags.env.KX_DOCUMENTS_DIR)
    flags.env.KX_DOCUMENTS_DIR = path.resolve(flagsCwd, flags.env.KX_DOCUMENTS_DIR);
  const envFilePath = flags.envFile ? path.resolve(flagsCwd, flags.envFile) : path.resolve(cwd, "proxy.env");
  let fileEnv = {};
  if (fs.existsSync(envFilePath))
    fileEnv = parseEnvFile(fs.readFileSync(envFilePath, "utf8"));
  else if (flags.envFile)
    throw new ConfigError(`env file not found: ${envFilePath}`);
  const processEnv = Object.fromEntries(Object.entries(opts.env ?? process.env).filter(([k]) => k.startsWith("KX_") || k === "OPENAI_API_KEY"));
  const merged = { ...fileEnv, ...processEnv, ...flags.env };
  const parsed = Env.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return { settings: parsed.data, allowRemoteFlag: flags.allowRemote, envFile: fs.existsSync(envFilePath) ? envFilePath : void 0 };
}
function loadConfig(opts = {}) {
  const cwd = opts.cwd ?? process.cwd();
  const { settings: e, allowRemoteFlag, envFile } = readSettings(opts);
  const allowRemote = allowRemoteFlag || e.KX_ALLOW_REMOTE === "1" || e.KX_ALLOW_REMOTE === "true";
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
    uiTokenSource: e.KX_UI_TOKEN ? "env" : "file",
    ...envFile ? { envFile } : {},
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
      timeoutMs: e.KX_INSIGHT_TIMEOUT_SECONDS * 1e3
    },
    learn: {
      mode: e.KX_MODE,
      hold: e.KX_LEARN_HOLD,
      approvalTimeoutMs: e.KX_APPROVAL_TIMEOUT_SECONDS * 1e3,
      rewriteTimeoutMs: e.KX_REWRITE_TIMEOUT_SECONDS * 1e3,
      keepaliveMs: e.KX_KEEPALIVE_SECONDS * 1e3,
      inject: e.KX_INJECT,
      injectMaxTokens: e.KX_INJECT_MAX_TOKENS
    }
  };
}
function codexHome(env = process.env) {
  const home = env.CODEX_HOME?.trim();
  return home ? path.resolve(home) : path.join(os.homedir(), ".codex");
}

export {
  DEFAULT_LEARN,
  isLoopbackHost,
  ConfigError,
  argsError,
  readSettings,
  loadConfig,
  codexHome
};
