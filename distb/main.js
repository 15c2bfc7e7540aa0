import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  IMPORT_USAGE,
  termLine,
  termText
} from "./chunk-TX5BY4MN.js";
import {
  approvalList,
  approvalView,
  gapList,
  gapView,
  modesView,
  projectList,
  projectProfileView,
  sessionEndView,
  sessionSummaryResponse,
  upstreamLabel
} from "./chunk-IKATHXMC.js";
import {
  j
} from "./chunk-ZEXPMZYJ.js";
import {
  ConfigError,
  DEFAULT_LEARN,
  argsError,
  isLoopbackHost,
  loadConfig,
  readSettings
} from "./chunk-CTH7AKF6.js";
import {
  external_exports
} from "./chunk-36VX2XZQ.js";
import {
  oneLine,
  renderSummary
} from "./chunk-ZVVK6MQD.js";
import {
  MCP_TOKEN_ENV,
  codexMcpOverrides,
  mcpUrl
} from "./chunk-VGBWWLX7.js";
import {
  VERSION
} from "./chunk-KLYTUDPQ.js";
import {
  PACKAGE_ROOT
} from "./chunk-UZUECKVP.js";
import "./chunk-FUKTGKM3.js";
import "./chunk-V4RWK56N.js";

// dist/cli/shutdown.js
var STOP_GRACE_MS = 5e3;
function shutdownOnSignals(o) {
  let stopping = false;
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  return (signal) => {
    if (stopping) {
      o.log({ level: "warn", msg: "stopping at once", signal });
      o.exit(signal === "SIGINT" ? 130 : 143);
      return;
    }
    stopping = true;
    o.log({ level: "info", msg: "stopping", signal });
    setTimer(() => {
      o.log({ level: "warn", msg: "the graceful stop took too long; exiting", graceMs: o.graceMs });
      o.exit(1);
    }, o.graceMs).unref?.();
    o.close().then(() => o.exit(0), (err) => {
      o.log({ level: "error", msg: "the graceful stop failed; exiting", error: err?.message ?? String(err) });
      o.exit(1);
    });
  };
}

// dist/cli/main.js
import { spawn } from "node:child_process";
import fs4 from "node:fs";
import path5 from "node:path";

// dist/config/logger.js
var LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(level, write = (s) => process.stderr.write(s)) {
  const min = LEVELS[level];
  return (line) => {
    const lvl = line.level ?? "info";
    if ((LEVELS[lvl] ?? 20) < min)
      return;
    write(JSON.stringify({ ts: (/* @__PURE__ */ new Date()).toISOString(), ...line, level: lvl }) + "\n");
  };
}

// dist/cli/codex-args.js
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
function detectCodexAuthMode(env) {
  if (env.CODEX_API_KEY)
    return "apikey";
  const home = env.CODEX_HOME ?? path.join(os.homedir(), ".codex");
  try {
    const text = fs.readFileSync(path.join(home, "auth.json"), "utf8");
    const mode = /"auth_mode"\s*:\s*"([^"]+)"/.exec(text)?.[1]?.toLowerCase();
    if (mode === "chatgpt" || mode === "chatgptauthtokens")
      return "chatgpt";
  } catch {
  }
  return "apikey";
}
function codexOverrides(mode, proxyBaseUrl) {
  if (mode === "apikey")
    return ["-c", `openai_base_url=${JSON.stringify(proxyBaseUrl)}`];
  return [
    "-c",
    `model_providers.kx={ name = "kx", base_url = ${JSON.stringify(proxyBaseUrl)}, wire_api = "responses", requires_openai_auth = true, supports_websockets = true }`,
    "-c",
    'model_provider="kx"'
  ];
}
function codexCommandLine(mode, proxyBaseUrl) {
  return ["codex", ...codexOverrides(mode, proxyBaseUrl).map((a) => a === "-c" ? a : `'${a}'`)].join(" ");
}

// dist/cli/upstream-lines.js
function upstreamLines(proxy, config) {
  const head = `  proxy:    ${proxy}  \u2192  `;
  const indent = " ".repeat(head.length - 3) + "\u2192  ";
  const api = upstreamLabel(config.upstreamBaseUrl);
  const chatgpt = config.chatgptBaseUrl ? upstreamLabel(config.chatgptBaseUrl) : void 0;
  if (chatgpt === api)
    return [`${head}${api}  (API key and ChatGPT login; set KX_CHATGPT_BASE_URL to split them)`];
  return [
    `${head}${api}  (API key)`,
    chatgpt === void 0 ? `${indent}none for ChatGPT login: KX_CHATGPT_BASE_URL=off, those requests get an error` : `${indent}${chatgpt}  (ChatGPT login)`
  ];
}

// dist/cli/insight-commands.js
import path4 from "node:path";
import { parseArgs as parseArgs2 } from "node:util";

// dist/contracts/mcp.js
var memoryLookups = external_exports.number().int().nonnegative();

// dist/contracts/console.js
var nullableString = external_exports.string().nullable();
var nullableNumber = external_exports.number().nullable();
var usageView = external_exports.object({
  inputTokens: external_exports.number(),
  cachedTokens: external_exports.number(),
  outputTokens: external_exports.number(),
  reasoningTokens: external_exports.number(),
  totalTokens: external_exports.number()
});
var sessionStatus = external_exports.enum(["live", "ended", "imported"]);
var sessionListItem = external_exports.object({
  id: external_exports.string(),
  /** The first human message, cut to 300 characters; null before the human has said anything. */
  title: nullableString,
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: external_exports.string(),
  startedAt: external_exports.string(),
  lastActivityAt: external_exports.string(),
  durationMs: external_exports.number(),
  turnCount: external_exports.number(),
  requestCount: external_exports.number(),
  usage: usageView,
  status: sessionStatus,
  /** Tokens the insight engine spent on this session; present once the insight engine is installed. */
  insightTokens: external_exports.object({ input: external_exports.number(), output: external_exports.number() }).optional(),
  /** Open gaps last seen in this session (present once the insight engine keeps gaps). */
  openGaps: external_exports.number().optional(),
  /** Present once the insight engine records projects. */
  project: nullableString,
  endedAt: nullableString,
  memoryLookups: memoryLookups.optional()
});
var sessionPageView = external_exports.object({
  sessions: external_exports.array(sessionListItem),
  /** Sessions matching the filters, over all pages. */
  total: external_exports.number(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: nullableString,
  /** Every client seen, for the filter. */
  clients: external_exports.array(external_exports.string())
});
var itemView = external_exports.object({
  id: external_exports.string(),
  seq: external_exports.number(),
  turnId: nullableString,
  requestId: external_exports.string(),
  direction: external_exports.string(),
  kind: external_exports.string(),
  itemType: external_exports.string(),
  role: nullableString,
  protocolId: nullableString,
  callId: nullableString,
  toolName: nullableString,
  text: nullableString,
  arguments: nullableString,
  output: nullableString,
  status: nullableString,
  detail: external_exports.unknown(),
  createdAt: external_exports.string()
});
var turnView = external_exports.object({
  id: external_exports.string(),
  seq: external_exports.number(),
  clientTurnId: nullableString,
  startedAt: external_exports.string(),
  endedAt: nullableString,
  status: external_exports.string(),
  items: external_exports.array(itemView)
});
var requestView = external_exports.object({
  id: external_exports.string(),
  turnId: nullableString,
  transport: external_exports.string(),
  api: external_exports.string(),
  path: external_exports.string(),
  model: nullableString,
  requestKind: nullableString,
  startedAt: external_exports.string(),
  firstByteMs: nullableNumber,
  durationMs: nullableNumber,
  statusCode: nullableNumber,
  outcome: nullableString,
  responseId: nullableString,
  usage: external_exports.object({
    inputTokens: nullableNumber,
    cachedTokens: nullableNumber,
    outputTokens: nullableNumber,
    reasoningTokens: nullableNumber,
    totalTokens: nullableNumber
  }),
  error: external_exports.unknown()
});
var sessionDetailView = external_exports.object({
  id: external_exports.string(),
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: external_exports.string(),
  startedAt: external_exports.string(),
  lastActivityAt: external_exports.string(),
  turnCount: external_exports.number(),
  requestCount: external_exports.number(),
  usage: usageView,
  /** The project id (from the working directory, else the client); null before kx knows it. */
  project: nullableString,
  /** The working directory the project was named from. */
  cwd: nullableString.optional(),
  endedAt: nullableString,
  turns: external_exports.array(turnView),
  preamble: external_exports.array(itemView),
  requests: external_exports.array(requestView),
  memoryLookups: memoryLookups.optional()
});
var searchDocKind = external_exports.enum(["human", "assistant", "reasoning", "tool_call", "tool_output", "insight", "summary", "playbook"]);
var searchHitView = external_exports.object({
  docKind: searchDocKind,
  /** What the hit is about (an item, turn or summary id). */
  refId: external_exports.string(),
  sessionId: nullableString,
  turnId: nullableString,
  turnSeq: nullableNumber,
  project: nullableString,
  /** The hit's session as a person knows it (absent for a hit outside any session). */
  sessionTitle: nullableString.optional(),
  sessionStartedAt: external_exports.string().optional(),
  /** The project's folder, or its id. */
  projectName: nullableString.optional(),
  /** Plain text; each match sits between \u0001 and \u0002. */
  snippet: external_exports.string(),
  /** BM25 as SQLite gives it: lower is better. */
  score: external_exports.number()
});
var searchResponseView = external_exports.object({
  query: external_exports.string(),
  hits: external_exports.array(searchHitView),
  /** More hits follow this page. */
  more: external_exports.boolean()
});

// dist/cli/kx-client.js
import fs2 from "node:fs";
import path2 from "node:path";

// dist/contracts/api-error.js
var apiErrorType = external_exports.enum(["invalid_request_error", "not_found", "conflict", "unauthorized", "forbidden_host", "forbidden_origin", "internal_error"]);
var apiErrorBody = external_exports.object({ error: external_exports.object({ message: external_exports.string(), type: external_exports.string() }) });

// dist/cli/kx-client.js
var CliError = class extends Error {
};
function kxClient(baseUrl, token) {
  const call = async (method, p, answer, body) => {
    let res;
    try {
      res = await fetch(`${baseUrl}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...body !== void 0 ? { "content-type": "application/json" } : {} },
        ...body !== void 0 ? { body: JSON.stringify(body) } : {}
      });
    } catch {
      throw new CliError(`kx is not answering at ${baseUrl}; start it first with: kx start (or npm start in kx's folder)`);
    }
    const json = await res.json().catch(() => void 0);
    if (!res.ok) {
      const error = apiErrorBody.safeParse(json);
      throw new CliError(error.success ? error.data.error.message : `${method} ${p}: kx answered ${res.status}`);
    }
    const parsed = answer.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`${method} ${p}: kx at ${baseUrl} answered in a shape this command does not know (${issue?.path.join(".") || "the body"}: ${issue?.message ?? "unreadable"}); is the running kx the same version as this command?`);
    }
    return parsed.data;
  };
  return { get: (p, answer) => call("GET", p, answer), post: (p, answer, b) => call("POST", p, answer, b ?? {}) };
}
function kxAddress(packageRoot2) {
  const { settings } = readSettings({ cwd: packageRoot2 });
  const host = settings.KX_HOST === "0.0.0.0" || settings.KX_HOST === "::" ? "127.0.0.1" : settings.KX_HOST;
  let token = settings.KX_UI_TOKEN;
  if (!token) {
    const file = path2.join(path2.resolve(packageRoot2, settings.KX_DOCUMENTS_DIR), "ui-token");
    try {
      token = fs2.readFileSync(file, "utf8").trim();
    } catch {
      throw new CliError(`no console token at ${file}: start kx once (kx start), or set KX_UI_TOKEN`);
    }
  }
  return { baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${settings.KX_PORT}`, token };
}
function runningKx(packageRoot2) {
  const { baseUrl, token } = kxAddress(packageRoot2);
  return kxClient(baseUrl, token);
}

// dist/cli/learn-commands.js
import { spawnSync } from "node:child_process";
import fs3 from "node:fs";
import os2 from "node:os";
import path3 from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";

// dist/learn/visible-text.js
var HIDDEN = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDDEF]/g;
var codePoint = (ch) => `\u27E8U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}\u27E9`;
function visibleParts(text) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    if (m.index > last)
      parts.push({ text: text.slice(last, m.index), hidden: false });
    parts.push({ text: codePoint(m[0]), hidden: true });
    last = m.index + m[0].length;
  }
  if (last < text.length || parts.length === 0)
    parts.push({ text: text.slice(last), hidden: false });
  return parts;
}
var visibleText = (text) => visibleParts(text).map((p) => p.text).join("");
var hasHidden = (text) => text.search(HIDDEN) >= 0;

// dist/cli/learn-commands.js
function describeModes(m) {
  const lines = [`global: ${m.global}`];
  for (const [p, mode] of Object.entries(m.projects))
    lines.push(`project ${termLine(p)}: ${mode}`);
  for (const [s, mode] of Object.entries(m.sessions))
    lines.push(`session ${termLine(s)}: ${mode}`);
  return lines.join("\n");
}
async function modeCommand(argv, client, out2) {
  const [mode, flag, target] = argv;
  if (mode === void 0)
    return out2(describeModes(await client.get("/api/mode", modesView)));
  if (mode !== "learn" && mode !== "capture")
    throw new CliError("usage: kx mode [learn|capture] [--project P | --session S]");
  if (flag !== void 0 && flag !== "--project" && flag !== "--session")
    throw new CliError(`unknown option ${flag}`);
  if (flag && !target)
    throw new CliError(`${flag} needs an id`);
  const project = flag === "--project" && target && isDirectory(target) ? path3.resolve(target) : target;
  const body = { mode, ...flag === "--project" ? { project } : flag === "--session" ? { session: target } : {} };
  out2(describeModes(await client.post("/api/mode", modesView, body)));
}
function isDirectory(p) {
  try {
    return fs3.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
var diffText = (a) => a.diff.map((d) => d.op === "same" ? d.text : d.op === "add" ? `{+${d.text}+}` : `[-${d.text}-]`).join("");
function localTime(iso, timeZone) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()))
    return termLine(iso);
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...timeZone ? { timeZone } : {} }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
var INDENT = "\n               ";
function describeApproval(a, timeZone) {
  const block = (s) => termText(visibleText(s)).replace(/\n/g, INDENT);
  const line = (s) => termLine(visibleText(s));
  const proposal = a.rewrite ?? a.original;
  return [
    `${termLine(a.id)}  session ${termLine(a.sessionId)}${a.project ? `  project ${termLine(a.project)}` : ""}  waiting since ${localTime(a.created, timeZone)}`,
    `  you typed:   ${block(a.original)}`,
    `  kx proposes: ${block(proposal)}`,
    ...hasHidden(proposal) ? ["  warning:     the proposal holds invisible or direction-changing characters, shown as \u27E8U+\u2026\u27E9"] : [],
    `  changes:     ${block(diffText(a))}`,
    ...a.context !== null && a.context !== void 0 ? [`  with context sent before it (accept or edit sends it, reject does not):${INDENT}${block(a.context)}`] : [],
    // One sentence: a newline in it could forge the lines above.
    ...a.reason ? [`  why:         ${line(a.reason)}`] : [],
    ...a.gaps.map((g) => `  gap:         ${termLine(g.gapId)} ${line(g.topic)}`)
  ].join("\n");
}
function editInEditor(text, env = process.env) {
  const dir = fs3.mkdtempSync(path3.join(os2.tmpdir(), "kx-approve-"));
  const file = path3.join(dir, "message.md");
  fs3.writeFileSync(file, text, { mode: 384 });
  try {
    const editor = env.VISUAL || env.EDITOR || "vi";
    const r = spawnSync(`${editor} "${file}"`, { stdio: "inherit", shell: true });
    if (r.status !== 0)
      throw new CliError(`${editor} exited with ${r.status ?? r.signal}`);
    return fs3.readFileSync(file, "utf8").replace(/\n$/, "");
  } finally {
    fs3.rmSync(dir, { recursive: true, force: true });
  }
}
async function approveCommand(argv, client, io) {
  let positionals;
  try {
    ({ positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new CliError(argsError(err, "kx approve [ID accept|reject|edit [TEXT]]").message);
  }
  const [id, action, ...rest] = positionals;
  const decide = async (approvalId, decision, text) => {
    const a = await client.post(`/api/approvals/${approvalId}`, approvalView, { decision, ...text !== void 0 ? { text } : {} });
    io.out(`${termLine(a.id)}: ${a.status}`);
  };
  if (id !== void 0) {
    if (action !== "accept" && action !== "reject" && action !== "edit")
      throw new CliError("usage: kx approve [ID accept|reject|edit [TEXT]]");
    if (action !== "edit")
      return decide(id, action);
    const current = (await client.get("/api/approvals?status=pending", approvalList)).approvals.find((a) => a.id === id);
    return decide(id, "edit", rest.length ? rest.join(" ") : io.edit(current?.rewrite ?? current?.original ?? ""));
  }
  const { approvals } = await client.get("/api/approvals?status=pending", approvalList);
  if (approvals.length === 0)
    return io.out("No turn is waiting.");
  io.out(`${approvals.length === 1 ? "1 turn is" : `${approvals.length} turns are`} waiting. For each: a sends kx's version, e opens it in $EDITOR first, r sends what you typed, s (or just Enter) leaves it waiting; Enter confirms.`);
  for (const a of approvals) {
    io.out(describeApproval(a));
    const reply = await io.ask("  [a]ccept, [e]dit, [r]eject, [s]kip? ");
    if (reply === void 0)
      return io.out("  no more answers (standard input closed); the rest stay waiting");
    const answer = reply.trim().toLowerCase();
    if (answer.startsWith("a"))
      await decide(a.id, "accept");
    else if (answer.startsWith("e"))
      await decide(a.id, "edit", io.edit(a.rewrite ?? a.original));
    else if (answer.startsWith("r"))
      await decide(a.id, "reject");
    else
      io.out("  skipped");
  }
}
function terminalIo(input = process.stdin, output = process.stdout) {
  const rl = readline.createInterface({ input, output, terminal: input.isTTY === true });
  let closed = false;
  const lines = [];
  let waiter;
  rl.on("line", (line) => {
    if (waiter) {
      const w = waiter;
      waiter = void 0;
      w(line);
    } else
      lines.push(line);
  });
  rl.on("close", () => {
    closed = true;
    waiter?.(void 0);
    waiter = void 0;
  });
  const ask = (q) => {
    output.write(q);
    if (lines.length)
      return Promise.resolve(lines.shift());
    if (closed) {
      output.write("\n");
      return Promise.resolve(void 0);
    }
    return new Promise((resolve) => waiter = resolve);
  };
  return { out: (s) => void output.write(s + "\n"), ask, edit: (t) => editInEditor(t), close: () => rl.close() };
}

// dist/cli/insight-commands.js
var USAGE = {
  sessions: "kx sessions [--project P] [--limit N]",
  end: "kx end [SESSION]",
  gaps: "kx gaps [--project P|all] [--status open|resolved | --all]\n       kx gaps resolve GAP [--note TEXT]\n       kx gaps reopen GAP",
  summary: "kx summary [SESSION]",
  notes: "kx notes [PROJECT]"
};
function parse(args, options, usage, maxPositionals) {
  try {
    const r = parseArgs2({ args, options, strict: true, allowPositionals: true });
    if (r.positionals.length > maxPositionals)
      throw new CliError(`unexpected argument ${r.positionals[maxPositionals]}
Usage: ${usage}`);
    return r;
  } catch (err) {
    if (err instanceof CliError)
      throw err;
    throw new CliError(argsError(err, usage).message);
  }
}
var enc = encodeURIComponent;
async function recentSessions(api, limit = 100, project) {
  const q = new URLSearchParams({ limit: String(limit), ...project ? { project } : {} });
  return (await api.get(`/api/sessions?${q}`, sessionPageView)).sessions;
}
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j2 = 1; j2 <= b.length; j2++) {
      const cur = row[j2];
      row[j2] = Math.min(row[j2] + 1, row[j2 - 1] + 1, prev + (a[i - 1] === b[j2 - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
function closestIds(given, ids, n = 3) {
  const score = (id) => id.startsWith(given) ? -2 : id.includes(given) ? -1 : distance(given, id.slice(0, Math.max(given.length, 8)));
  return [...ids].sort((a, b) => score(a) - score(b)).slice(0, n);
}
async function resolveSession(api, given) {
  const sessions = await recentSessions(api);
  if (given === void 0) {
    if (!sessions[0])
      throw new CliError("no session recorded yet");
    return sessions[0];
  }
  const exact = sessions.find((s) => s.id === given);
  if (exact)
    return exact;
  const prefixed = sessions.filter((s) => s.id.startsWith(given));
  if (prefixed.length === 1)
    return prefixed[0];
  if (prefixed.length === 0) {
    try {
      const s = await api.get(`/api/sessions/${enc(given)}`, sessionDetailView);
      return { ...s, title: null, project: s.project ?? null, openGaps: 0, endedAt: s.endedAt ?? null };
    } catch {
    }
  }
  const near = prefixed.length > 1 ? prefixed.slice(0, 5).map((s) => s.id) : closestIds(given, sessions.map((s) => s.id));
  throw new CliError(`no such session ${termLine(given)}${near.length ? `; ${prefixed.length > 1 ? "it starts" : "closest"}: ${near.map(termLine).join(", ")}` : ""} (kx sessions lists them)`);
}
function projectOfFolder(projects, cwd) {
  const inside = (dir) => cwd === dir || cwd.startsWith(dir.endsWith(path4.sep) ? dir : dir + path4.sep);
  return projects.filter((p) => path4.isAbsolute(p.name) && inside(p.name)).sort((a, b) => b.name.length - a.name.length)[0];
}
async function namedProject(api, wanted) {
  const { projects } = await api.get("/api/projects", projectList);
  const p = projects.find((x) => x.id === wanted || x.name === wanted || x.name === path4.resolve(wanted));
  if (!p)
    throw new CliError(`no project ${termLine(wanted)}; known: ${projects.map((x) => termLine(x.id)).join(", ") || "none yet"}`);
  return p;
}
var cut = (s, n) => s.length > n ? s.slice(0, n - 1) + "\u2026" : s;
var pad = (s, n) => s + " ".repeat(Math.max(0, n - [...s].length));
function formatSessions(sessions, timeZone) {
  if (sessions.length === 0)
    return "no sessions";
  const rows = sessions.map((s) => [
    termLine(s.id),
    termLine(cut(oneLine(s.title ?? "\u2014"), 48)),
    termLine(cut(s.project ?? "\u2014", 28)),
    localTime(s.lastActivityAt, timeZone),
    String(s.turnCount),
    String(s.openGaps ?? 0),
    s.endedAt ? "ended" : ""
  ]);
  const head = ["ID", "TITLE", "PROJECT", "LAST ACTIVITY", "TURNS", "OPEN GAPS", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  return [head, ...rows].map((r) => r.map((c, i) => pad(c, widths[i])).join("  ").trimEnd()).join("\n");
}
async function sessionsCommand(api, args, out2, timeZone) {
  const { values } = parse(args, { project: { type: "string" }, limit: { type: "string" } }, USAGE.sessions, 0);
  const limit = values.limit === void 0 ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new CliError(`--limit needs a whole number from 1 to 100 (got ${values.limit})`);
  const project = values.project === void 0 ? void 0 : (await namedProject(api, values.project)).id;
  out2(formatSessions(await recentSessions(api, limit, project), timeZone));
}
async function endCommand(api, args, out2) {
  const { positionals } = parse(args, {}, USAGE.end, 1);
  const session = await resolveSession(api, positionals[0]);
  const id = termLine(session.id);
  if (session.endedAt) {
    out2(`session ${id} already ended at ${localTime(session.endedAt)}; its summary: kx summary ${id}`);
    return;
  }
  const ended = await api.post(`/api/sessions/${enc(session.id)}/end`, sessionEndView);
  out2(`ended ${id} at ${localTime(ended.endedAt)}; ${ended.summaryJobId ? `summary job ${termLine(ended.summaryJobId)} queued (kx summary ${id})` : "no summary queued (no turns, or KX_INSIGHT=off)"}`);
}
function formatGaps(gaps, withProject = false) {
  if (gaps.length === 0)
    return "no gaps";
  const width = withProject ? Math.max(7, ...gaps.map((g) => termLine(g.project).length)) : 0;
  return gaps.map((g) => `${termLine(g.id)}  ${withProject ? pad(termLine(g.project), width) + "  " : ""}${g.status.padEnd(8)} seen ${String(g.timesSeen).padStart(2)}\xD7  ${termLine(oneLine(g.topic))}: ${termLine(oneLine(g.question))}${g.resolved ? `
    resolved: ${termLine(oneLine(g.resolved.how ?? g.resolved.note ?? ""))}` : ""}`).join("\n");
}
async function gapsCommand(api, args, out2, cwd = process.cwd()) {
  const [verb, ...rest] = args;
  if (verb === "resolve" || verb === "reopen") {
    const { values: values2, positionals } = parse(rest, verb === "resolve" ? { note: { type: "string" } } : {}, USAGE.gaps, 1);
    const id = positionals[0];
    if (!id)
      throw new CliError(`kx gaps ${verb} needs a gap id (kx gaps lists them)
Usage: ${USAGE.gaps}`);
    const note = values2.note;
    const g = await api.post(`/api/gaps/${enc(id)}`, gapView, { status: verb === "resolve" ? "resolved" : "open", ...note !== void 0 ? { note } : {} });
    out2(`${termLine(g.id)} is ${g.status}: ${termLine(oneLine(g.topic))}`);
    return;
  }
  const { values } = parse(args, { project: { type: "string" }, status: { type: "string" }, all: { type: "boolean" } }, USAGE.gaps, 0);
  if (values.status !== void 0 && values.status !== "open" && values.status !== "resolved")
    throw new CliError(`--status is open or resolved (got ${termLine(values.status)})`);
  const q = new URLSearchParams();
  if (!values.all)
    q.set("status", values.status ?? "open");
  let scope;
  if (values.project === "all")
    scope = "all projects";
  else if (values.project !== void 0) {
    const p = await namedProject(api, values.project);
    q.set("project", p.id);
    scope = `project ${termLine(p.id)}`;
  } else {
    const { projects } = await api.get("/api/projects", projectList);
    const here = projectOfFolder(projects, cwd);
    if (here)
      q.set("project", here.id);
    scope = here ? `project ${termLine(here.id)} (this folder; --project all for every project)` : "all projects (this folder is not a project kx has seen)";
  }
  const { gaps } = await api.get(`/api/gaps?${q}`, gapList);
  out2(`${values.all ? "all" : q.get("status")} gaps of ${scope}:`);
  out2(formatGaps(gaps, true));
}
async function summaryCommand(api, args, out2) {
  const { positionals } = parse(args, {}, USAGE.summary, 1);
  const id = (await resolveSession(api, positionals[0])).id;
  const { summary, versions } = await api.get(`/api/sessions/${enc(id)}/summary`, sessionSummaryResponse);
  if (!summary) {
    out2(`no summary for ${termLine(id)} yet: end the session with kx end ${termLine(id)}`);
    return;
  }
  out2(termText(renderSummary(summary)) + (versions.length > 1 ? `
(${versions.length} versions; GET /api/sessions/${enc(id)}/summary?version=N for older ones)` : ""));
}
async function notesCommand(api, args, out2, cwd = process.cwd()) {
  const { positionals } = parse(args, {}, USAGE.notes, 1);
  let project;
  if (positionals[0] !== void 0)
    project = await namedProject(api, positionals[0]);
  else {
    const { projects } = await api.get("/api/projects", projectList);
    const here = projectOfFolder(projects, cwd);
    if (!here)
      throw new CliError(`this folder (${termLine(cwd)}) is not a project kx has seen; name one: kx notes PROJECT (known: ${projects.map((p) => termLine(p.id)).join(", ") || "none yet"})`);
    project = here;
  }
  const profile = await api.get(`/api/projects/${enc(project.id)}/profile`, projectProfileView);
  out2(termText(profile.markdown));
}

// dist/cli/approval-link.js
function approvalLink(kxUrl, uiToken, approvalId) {
  return `${kxUrl}/ui/?token=${encodeURIComponent(uiToken)}#/approvals/${encodeURIComponent(approvalId)}`;
}

// dist/cli/start-story.js
var DECIDED = {
  accepted: "accepted: kx\u2019s version was sent",
  edited: "edited: your edit was sent",
  rejected: "rejected: what you typed was sent",
  timed_out: "timed out: what you typed was sent",
  nothing_to_add: "nothing to add: sent unchanged",
  cancelled: "cancelled: the client hung up, nothing was sent",
  failed: "the rewrite failed: what you typed was sent"
};
var minutes = (ms) => ms >= 6e4 ? `${Math.round(ms / 6e4)} min` : `${Math.round(ms / 1e3)} s`;
function startStory(kx, opts, out2) {
  const now = opts.now ?? Date.now;
  const told = new j({ max: 1e4 });
  const once = (key, line) => {
    if (told.has(key))
      return;
    told.set(key, true);
    out2(line);
  };
  let lastMode = "";
  return kx.live.subscribe((e) => {
    if (e.type === "mode") {
      const line = `  mode:     ${e.scope === "global" ? "global" : `${e.scope} ${termLine(e.target ?? "")}`} \u2192 ${e.mode}`;
      if (line !== lastMode)
        out2(line);
      lastMode = line;
    } else if (e.type === "approval" && e.status === "pending") {
      const at = new Date(now() + opts.approvalTimeoutMs).toISOString();
      once(`${e.approvalId}:pending`, `  waiting:  turn of session ${termLine(e.sessionId)}, sent as typed in ${minutes(opts.approvalTimeoutMs)} (${localTime(at, opts.timeZone)}) unless you decide: ${approvalLink(opts.url, opts.uiToken, e.approvalId)}   (or: kx approve)`);
    } else if (e.type === "approval" && DECIDED[e.status]) {
      once(`${e.approvalId}:decided`, `  decided:  turn of session ${termLine(e.sessionId)}: ${DECIDED[e.status]}`);
    } else if (e.type === "insight" && e.sessionId && (e.state === "running" || e.state === "done")) {
      const s = kx.reader.getSummary(e.sessionId);
      if (s?.importedFrom)
        once(`import:${e.sessionId}`, `  insight:  picked up the jobs kx import queued for session ${termLine(e.sessionId)}`);
    }
  });
}

// dist/cli/insight-notices.js
function insightNotices(kx, out2) {
  let waitingShown = false;
  const failed = /* @__PURE__ */ new Set();
  return kx.live.subscribe((e) => {
    if (e.type !== "insight")
      return;
    if (e.state === "failed") {
      const key = `${e.jobKind}:${e.sessionId ?? ""}:${e.turnId ?? ""}`;
      if (failed.has(key))
        return;
      failed.add(key);
      const error = kx.insight.engine.reader.turnInsights(e.sessionId ?? "").find((t) => t.turnId === e.turnId)?.error;
      out2(`insight: a ${e.jobKind} job of session ${termLine(e.sessionId ?? "?")} failed${error ? `: ${termLine(error)}` : ""} (GET /api/insight/status)`);
    } else if (e.state === "waiting_key" && !waitingShown) {
      waitingShown = true;
      out2(`insight: jobs are waiting for a key: ${kx.insight.engine.status().waitingReason ?? "no credentials"}. Set KX_INSIGHT_API_KEY, or keep using the session so kx can borrow its credentials.`);
    } else if (e.state === "done") {
      waitingShown = false;
    }
  });
}

// dist/cli/main.js
var packageRoot = PACKAGE_ROOT;
var START_USAGE = `kx start [--host H] [--port P] [--upstream URL] [--chatgpt-upstream URL|off] [--documents DIR]
         [--ui-token T] [--log-level debug|info|warn|error] [--env-file F] [--allow-remote]`;
var USAGES = {
  start: `${START_USAGE}
  run the proxy and the console; settings from kx's own proxy.env, then KX_* variables, then flags`,
  codex: "kx codex [codex args...]\n  run Codex with its base URL pointed at the running kx and kx's memory tools (MCP) wired in (Codex's own options: codex --help)",
  mcp: "kx mcp\n  kx's memory tools as a stdio MCP server that talks to the running kx, for clients that only start those",
  import: `${IMPORT_USAGE}
  record past Codex sessions from ~/.codex (or $CODEX_HOME), or from the files and folders given`,
  sessions: `${USAGE.sessions}
  the recent sessions: id, title, project, last activity, turns, open gaps`,
  end: `${USAGE.end}
  end a session (default: the latest; an id prefix will do) and queue its summary`,
  gaps: `${USAGE.gaps}
  the gaps kx noted, of this folder's project by default; resolve or reopen one`,
  summary: `${USAGE.summary}
  the latest summary of a session (default: the latest)`,
  notes: `${USAGE.notes}
  the project's profile (default: the project of this folder)`,
  mode: "kx mode [learn|capture] [--project P | --session S]\n  show or switch the mode of the running kx",
  approve: "kx approve [ID accept|reject|edit [TEXT]]\n  decide the turns learn mode holds (edit opens $EDITOR)"
};
var HELP = `kx ${VERSION} \u2014 records coding-agent sessions through a local OpenAI proxy

Usage:
${Object.values(USAGES).map((u) => "  " + u.split("\n")[0]).join("\n")}
  kx --version | --help
  kx <command> --help          what a command does and its options

Settings come from kx's own proxy.env (see proxy.env.example), then KX_* variables, then flags;
every command uses the same documents folder.`;
var TOLD_ON_SCREEN = /* @__PURE__ */ new Set(["turn waiting for approval"]);
async function start(argv) {
  const config = loadConfig({ argv, cwd: packageRoot, flagsCwd: process.cwd() });
  const json = createLogger(config.logLevel);
  const log = (line) => {
    if (!TOLD_ON_SCREEN.has(String(line.msg)))
      json(line);
  };
  const { startKx } = await import("./kx-NIOFUS5N.js");
  let kx;
  try {
    kx = await startKx(config, log);
  } catch (err) {
    if (err.code === "EADDRINUSE") {
      throw new ConfigError(`port ${config.port} on ${config.host} is in use (another kx?). Choose another with --port N, or KX_PORT=N in ${config.envFile ?? path5.join(packageRoot, "proxy.env")}`);
    }
    throw err;
  }
  const proxy = `${kx.url}/v1`;
  const out2 = (s) => process.stdout.write(s + "\n");
  if (!isLoopbackHost(config.host))
    out2(`WARNING: kx listens on ${config.host}, beyond loopback. Anyone who can reach it can use it as a proxy.`);
  out2(`kx ${VERSION} recording to ${config.documentsDir}`);
  out2(`  settings: ${config.envFile ?? `no proxy.env in ${packageRoot}`}${config.uiTokenSource === "env" ? "" : `, console token in ${path5.join(config.documentsDir, "ui-token")}`}`);
  for (const line of upstreamLines(proxy, config))
    out2(line);
  out2(`  console:  ${kx.url}/ui/?token=${config.uiToken}`);
  out2(`  codex (API key):       ${codexCommandLine("apikey", proxy)}`);
  out2(`  codex (ChatGPT login): ${codexCommandLine("chatgpt", proxy)}`);
  out2(`  or simply:             kx codex [args]`);
  out2(`  memory (MCP):          ${mcpUrl(kx.url)}  (Authorization: Bearer <console token>; kx codex wires it in; see the README)`);
  out2(`  other OpenAI SDK agents: OPENAI_BASE_URL=${proxy}`);
  out2(`  insight:  ${config.insight?.mode ?? "off"}${config.insight && config.insight.mode !== "off" ? ` (${config.insight.model}, ${config.insight.apiKey ? config.insight.baseUrl.href : "the session\u2019s own credentials"})` : ""}`);
  insightNotices(kx, out2);
  out2(`  mode:     ${describeModes(kx.modes.view()).replace(/\n/g, "; ")}   (kx mode learn|capture to switch)`);
  startStory(kx, { url: kx.url, uiToken: config.uiToken, approvalTimeoutMs: (config.learn ?? DEFAULT_LEARN).approvalTimeoutMs }, out2);
  const stop = shutdownOnSignals({ close: () => kx.close(), log, exit: (code) => process.exit(code), graceMs: STOP_GRACE_MS });
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
function codexBinary() {
  const local = path5.join(packageRoot, "node_modules/.bin/codex");
  const onPath = (process.env.PATH ?? "").split(path5.delimiter).some((d) => fs4.existsSync(path5.join(d, "codex")));
  return onPath ? "codex" : local;
}
async function codex(argv) {
  const { settings } = readSettings({ cwd: packageRoot });
  const host = settings.KX_HOST === "0.0.0.0" || settings.KX_HOST === "::" ? "127.0.0.1" : settings.KX_HOST;
  const proxy = `http://${host.includes(":") ? `[${host}]` : host}:${settings.KX_PORT}/v1`;
  const mode = detectCodexAuthMode(process.env);
  try {
    const res = await fetch(`${proxy.replace(/\/v1$/, "")}/api/health`);
    if (!res.ok)
      throw new Error(String(res.status));
  } catch {
    process.stderr.write(`kx is not answering at ${proxy}; start it first with: kx start (or npm start in kx's folder)
`);
    process.exit(1);
  }
  let memory = { args: [], env: {} };
  try {
    const { token } = kxAddress(packageRoot);
    memory = { args: codexMcpOverrides(proxy.replace(/\/v1$/, "")), env: { [MCP_TOKEN_ENV]: token } };
  } catch (err) {
    process.stderr.write(`kx: ${err.message}; Codex runs without kx's memory tools
`);
  }
  const child = spawn(codexBinary(), [...codexOverrides(mode, proxy), ...memory.args, ...argv], { stdio: "inherit", env: { ...process.env, ...memory.env } });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
async function approve(argv) {
  const io = terminalIo();
  try {
    await approveCommand(argv, runningKx(packageRoot), io);
  } finally {
    io.close();
  }
}
async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd && USAGES[cmd] && (cmd === "codex" ? rest[0] === "--help" : rest.some((a) => a === "--help" || a === "-h"))) {
    process.stdout.write(`Usage: ${USAGES[cmd]}
`);
    return;
  }
  switch (cmd) {
    case "start":
      return start(rest);
    case "codex":
      return codex(rest);
    case "mcp": {
      const { baseUrl, token } = kxAddress(packageRoot);
      const { runStdioBridge } = await import("./stdio-bridge-UK2KRZFA.js");
      await runStdioBridge({ kxUrl: baseUrl, token, project: process.cwd() });
      return;
    }
    case "import":
      const { importCommand } = await import("./import-command-Z74XZEU3.js");
      process.exitCode = await importCommand(rest, { out: process.stdout, env: process.env, cwd: process.cwd(), kxRoot: packageRoot });
      return;
    case "sessions":
      return sessionsCommand(runningKx(packageRoot), rest, out);
    case "end":
      return endCommand(runningKx(packageRoot), rest, out);
    case "gaps":
      return gapsCommand(runningKx(packageRoot), rest, out);
    case "summary":
      return summaryCommand(runningKx(packageRoot), rest, out);
    case "notes":
      return notesCommand(runningKx(packageRoot), rest, out);
    case "mode":
      return modeCommand(rest, runningKx(packageRoot), (s) => process.stdout.write(s + "\n"));
    case "approve":
      return approve(rest);
    case "--version":
    case "-v":
      process.stdout.write(VERSION + "\n");
      return;
    case void 0:
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(HELP + "\n");
      return;
    default:
      process.stderr.write(`kx: unknown command ${termLine(cmd)}

${HELP}
`);
      process.exit(2);
  }
}
var out = (s) => process.stdout.write(s + "\n");
main().catch((err) => {
  if (err instanceof ConfigError || err instanceof CliError) {
    process.stderr.write(`kx: ${err.message}
`);
    process.exit(2);
  }
  process.stderr.write(`kx: ${err.stack ?? String(err)}
`);
  process.exit(1);
});
