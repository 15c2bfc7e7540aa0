import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  IMPORT_USAGE,
  termLine
} from "./chunk-TX5BY4MN.js";
import {
  SessionReader,
  SessionStore,
  SessionTracker,
  insightCommitHook,
  parseResponsesItem
} from "./chunk-ENRQ5CXS.js";
import {
  createJob
} from "./chunk-JFZII2VR.js";
import "./chunk-ZEXPMZYJ.js";
import {
  ConfigError,
  argsError,
  codexHome,
  readSettings
} from "./chunk-CTH7AKF6.js";
import {
  external_exports
} from "./chunk-36VX2XZQ.js";
import {
  isObject
} from "./chunk-WZ2QJHAO.js";
import "./chunk-LXEFACVR.js";
import "./chunk-FUKTGKM3.js";
import "./chunk-V4RWK56N.js";

// dist/cli/import-command.js
import { parseArgs } from "node:util";
import path2 from "node:path";

// dist/import/codex-import.js
import fs3 from "node:fs";

// dist/import/rollout-files.js
import fs from "node:fs";
import path from "node:path";
var ROLLOUT_NAME = /^rollout-.*\.jsonl?$/;
var THREAD_ID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
var HEAD_BYTES = 512;
var ENVELOPE_HEAD = /^\s*\{"timestamp":"([^"]*)",(?:"ordinal":\d+,)?"type":"([a-z_]+)"/;
function codexRolloutDirs(codexHome2) {
  return [path.join(codexHome2, "sessions"), path.join(codexHome2, "archived_sessions")];
}
function threadIdOfFileName(file) {
  return THREAD_ID_IN_NAME.exec(path.basename(file))?.[1]?.toLowerCase();
}
function readHead(file) {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.toString("utf8", 0, n);
  } finally {
    fs.closeSync(fd);
  }
}
function rolloutKind(file, named) {
  const head = readHead(file).replace(/^\uFEFF/, "");
  const firstLine = head.split("\n", 1)[0] ?? "";
  const envelope = ENVELOPE_HEAD.exec(firstLine);
  if (envelope?.[2] === "session_meta")
    return { kind: "rollout", startedAt: envelope[1] };
  if (envelope && named && threadIdOfFileName(file))
    return { kind: "rollout", startedAt: envelope[1] };
  if (!named && !/^\s*\{"id":"[^"]*","timestamp":"/.test(firstLine))
    return { kind: "other" };
  if (/^\s*\{"id":"/.test(firstLine) || /^\s*\{"session":/.test(firstLine))
    return { kind: "unsupported", reason: "written by Codex before 0.4x" };
  return { kind: "unsupported", reason: "first line is not a session_meta" };
}
function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      walk(full, out);
    else if (entry.isFile() && /\.jsonl?$/i.test(entry.name))
      out.push(full);
  }
}
var MissingRolloutPath = class extends Error {
};
function scanRolloutFiles(paths, opts = {}) {
  const found = /* @__PURE__ */ new Map();
  for (const p of paths) {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      if (opts.optional)
        continue;
      throw new MissingRolloutPath(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      const inside = [];
      walk(p, inside);
      for (const f of inside)
        if (!found.has(path.resolve(f)))
          found.set(path.resolve(f), ROLLOUT_NAME.test(path.basename(f)));
    } else
      found.set(path.resolve(p), true);
  }
  const rollouts = [];
  const unsupported = [];
  for (const [file, named] of found) {
    let kind;
    try {
      kind = rolloutKind(file, named);
    } catch (err) {
      kind = { kind: "unsupported", reason: `unreadable (${err.code ?? err.message})` };
    }
    if (kind.kind === "rollout")
      rollouts.push({ file, bytes: fs.statSync(file).size, startedAt: kind.startedAt });
    else if (kind.kind === "unsupported")
      unsupported.push({ file, reason: kind.reason });
  }
  rollouts.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || path.basename(a.file).localeCompare(path.basename(b.file)) || a.file.localeCompare(b.file));
  return { rollouts: rollouts.map(({ file, bytes }) => ({ file, bytes })), unsupported };
}
function findRolloutFiles(paths, opts = {}) {
  return scanRolloutFiles(paths, opts).rollouts;
}

// dist/import/line-reader.js
import fs2 from "node:fs";
var NEWLINE = 10;
var DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
var stripCr = (line) => line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
async function* lineBatches(file, opts = {}) {
  const o = typeof opts === "function" ? { onBytes: opts } : opts;
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const stream = fs2.createReadStream(file, { highWaterMark: o.chunkBytes ?? 256 * 1024 });
  let pieces = [];
  let pending = 0;
  let dropped = -1;
  let bytesRead = 0;
  const take = (part) => {
    if (dropped >= 0) {
      dropped += part.length;
      return;
    }
    if (pending + part.length > max) {
      dropped = pending + part.length;
      pieces = [];
      pending = 0;
      return;
    }
    if (part.length)
      pieces.push(Buffer.from(part));
    pending += part.length;
  };
  const finish = (lines) => {
    if (dropped >= 0) {
      o.onOversized?.(dropped);
    } else {
      lines.push(stripCr(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, pending)));
    }
    pieces = [];
    pending = 0;
    dropped = -1;
  };
  try {
    for await (const chunk of stream) {
      bytesRead += chunk.length;
      const lines = [];
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        if (pending === 0 && dropped < 0) {
          if (nl - start > max)
            o.onOversized?.(nl - start);
          else
            lines.push(stripCr(chunk.subarray(start, nl)));
        } else {
          take(chunk.subarray(start, nl));
          finish(lines);
        }
        start = nl + 1;
      }
      if (start < chunk.length)
        take(chunk.subarray(start));
      o.onBytes?.(bytesRead);
      if (lines.length)
        yield lines;
    }
    if (pending > 0 || dropped >= 0) {
      const last = [];
      finish(last);
      if (last.length)
        yield last;
    }
  } finally {
    stream.destroy();
  }
}

// dist/import/rollout-line.js
var IGNORED_TYPES = /* @__PURE__ */ new Set(["event_msg", "world_state", "compacted"]);
var Envelope = external_exports.object({ timestamp: external_exports.string().catch(""), type: external_exports.string(), payload: external_exports.custom(isObject) });
var LINE_HEAD = /^\{"timestamp":"[^"]*",(?:"ordinal":\d+,)?"type":"([a-z_]+)"/;
var SessionMeta = external_exports.object({
  id: external_exports.string().min(1),
  timestamp: external_exports.string().optional(),
  cwd: external_exports.string().optional(),
  originator: external_exports.string().optional(),
  cli_version: external_exports.string().optional()
});
var TurnContext = external_exports.object({
  turn_id: external_exports.string().optional(),
  cwd: external_exports.string().optional(),
  model: external_exports.string().optional()
});
var count = external_exports.number().int().nonnegative().catch(0);
var TokenUsage = external_exports.object({
  response_id: external_exports.string().optional(),
  usage: external_exports.object({
    input_tokens: count,
    cached_input_tokens: count,
    output_tokens: count,
    reasoning_output_tokens: count,
    total_tokens: count
  }).optional()
});
var TokenCountEvent = external_exports.object({
  type: external_exports.literal("token_count"),
  info: external_exports.object({ last_token_usage: TokenUsage.shape.usage.unwrap() }).nullable().optional()
});
var toUsage = (u) => ({
  inputTokens: u.input_tokens,
  cachedTokens: u.cached_input_tokens,
  outputTokens: u.output_tokens,
  reasoningTokens: u.reasoning_output_tokens,
  totalTokens: u.total_tokens
});
var TOKEN_COUNT_HEAD = /"payload":\{"type":"token_count"/;
var defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0));
function parseRolloutLineBytes(line) {
  const start = line.toString("utf8", 0, Math.min(line.length, 160));
  const head = LINE_HEAD.exec(start)?.[1];
  if (head && IGNORED_TYPES.has(head) && !TOKEN_COUNT_HEAD.test(start))
    return { type: "ignored", lineType: head };
  return parseRolloutLine(line.toString("utf8"));
}
function parseRolloutLine(text) {
  const start = text.slice(0, 160);
  const head = LINE_HEAD.exec(start)?.[1];
  if (head && IGNORED_TYPES.has(head) && !TOKEN_COUNT_HEAD.test(start))
    return { type: "ignored", lineType: head };
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { type: "skipped", reason: "not JSON" };
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success)
    return { type: "skipped", reason: "no line type" };
  const { timestamp: at, type, payload } = envelope.data;
  switch (type) {
    case "response_item":
      return { type, at, item: parseResponsesItem(payload) };
    case "session_meta": {
      const meta = SessionMeta.safeParse(payload);
      if (!meta.success)
        return { type: "skipped", reason: "session_meta without an id" };
      const m = meta.data;
      return defined({ type, at, sessionId: m.id, startedAt: m.timestamp ?? at, cwd: m.cwd, originator: m.originator, cliVersion: m.cli_version });
    }
    case "turn_context": {
      const ctx = TurnContext.safeParse(payload);
      if (!ctx.success)
        return { type: "skipped", reason: "turn_context of an unknown shape" };
      return defined({ type, at, turnId: ctx.data.turn_id, cwd: ctx.data.cwd, model: ctx.data.model });
    }
    case "token_usage_record": {
      const rec = TokenUsage.safeParse(payload);
      if (!rec.success)
        return { type: "ignored", lineType: type };
      const u = rec.data.usage;
      return defined({ type: "token_usage", at, responseId: rec.data.response_id, usage: u ? toUsage(u) : void 0 });
    }
    case "event_msg": {
      const event = TokenCountEvent.safeParse(payload);
      const u = event.success ? event.data.info?.last_token_usage : void 0;
      return u ? { type: "token_count", at, usage: toUsage(u) } : { type: "ignored", lineType: type };
    }
    default:
      return IGNORED_TYPES.has(type) ? { type: "ignored", lineType: type } : { type: "skipped", reason: `unknown line type ${type.slice(0, 40)}` };
  }
}

// dist/import/rollout-replay.js
var MODEL_OUTPUT = /* @__PURE__ */ new Set(["assistant_message", "reasoning", "tool_call", "compaction"]);
var CallBuffer = class {
  store;
  importedFrom;
  ops = [];
  /** The session's own start (session_meta), which the tracker would otherwise take from its first call. */
  sessionStartedAt;
  constructor(store, importedFrom) {
    this.store = store;
    this.importedFrom = importedFrom;
  }
  enqueue(op) {
    if (op.op !== "session")
      return void this.ops.push(op);
    this.ops.push({ op: "session", rec: { ...op.rec, startedAt: this.sessionStartedAt ?? op.rec.startedAt, importedFrom: this.importedFrom } });
  }
  resumeState(sessionId) {
    return this.store.resumeState(sessionId);
  }
  sessionOfResponse(responseId) {
    return this.store.sessionOfResponse(responseId);
  }
  settle() {
    const ops = this.ops;
    this.ops = [];
    const turnIds = ops.flatMap((o) => o.op === "turn" ? [o.rec.id] : []);
    const items = ops.reduce((n, o) => n + (o.op === "item" ? 1 : 0), 0);
    if (items === 0 && turnIds.length === 0 && !ops.some((o) => o.op === "session"))
      return { turnIds, items, requests: 0 };
    for (const op of ops)
      this.store.enqueue(op);
    return { turnIds, items, requests: ops.reduce((n, o) => n + (o.op === "request" ? 1 : 0), 0) };
  }
};
var ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
function rolloutTime(at) {
  if (ISO_UTC.test(at))
    return Number.isNaN(Date.parse(at)) ? void 0 : at;
  const ms = at.trim() ? Date.parse(at) : NaN;
  if (Number.isNaN(ms))
    return void 0;
  const iso = new Date(ms).toISOString();
  return ISO_UTC.test(iso) ? iso : void 0;
}
function timeOfFileName(file) {
  const m = /rollout-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(file);
  return m ? rolloutTime(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : void 0;
}
var emptyCall = () => ({ input: [], inputTimes: [], output: [], outputTimes: [] });
var RolloutReplay = class {
  idFromFileName;
  fallbackTime;
  buffer;
  tracker;
  session;
  turnId;
  model;
  call = emptyCall();
  /**
   * Items Codex added after the model answered, held while the answered call waits for its usage:
   * Codex before 0.16x writes a call's token_count event after the tool output that follows it.
   */
  next = { input: [], inputTimes: [] };
  counts;
  /** The last good time read (at first, the file name's): a line whose time is missing or not a date happened no earlier. */
  lastTime;
  result;
  /**
   * `idFromFileName`: the thread id in `rollout-<time>-<thread id>.jsonl`, for a rollout without session_meta.
   * `fallbackTime`: the time for lines before any readable time (the file's modification time).
   */
  constructor(store, file, idFromFileName, fallbackTime = void 0) {
    this.idFromFileName = idFromFileName;
    this.fallbackTime = fallbackTime;
    this.buffer = new CallBuffer(store, file);
    this.tracker = new SessionTracker(this.buffer);
    this.result = { sessionId: idFromFileName ?? "", file, startedAt: "", cwd: void 0, newTurnIds: [], itemsAdded: 0, requestsAdded: 0, itemsRead: 0, lines: 0, skipped: {}, ignored: 0, timestampsRepaired: 0 };
    this.lastTime = timeOfFileName(file);
  }
  get sessionId() {
    return this.session?.id;
  }
  skip(reason) {
    this.result.skipped[reason] = (this.result.skipped[reason] ?? 0) + 1;
  }
  /** Counts a line the caller could not feed. */
  skipLine(reason) {
    this.result.lines++;
    this.skip(reason);
  }
  feed(input) {
    this.result.lines++;
    const line = this.dated(input);
    if (!line)
      return this.skip("timestamp not a date, and no dated line before it");
    switch (line.type) {
      case "session_meta":
        if (this.session)
          return void this.result.ignored++;
        this.session = { id: line.sessionId, startedAt: line.startedAt, ...line.originator ? { client: line.originator } : {} };
        this.result.sessionId = line.sessionId;
        this.result.startedAt = line.startedAt;
        this.result.cwd = line.cwd;
        this.buffer.sessionStartedAt = line.startedAt;
        return;
      case "turn_context":
        this.closeAnswered();
        this.turnId = line.turnId ?? this.turnId;
        this.model = line.model ?? this.model;
        if (line.cwd)
          this.result.cwd = line.cwd;
        return;
      case "response_item":
        return this.item(line.item, line.at);
      case "token_usage":
      case "token_count":
        if (this.call.output.length) {
          const endedAt = this.next.input.length ? this.call.outputTimes.at(-1) : line.at;
          this.endCall(endedAt, line.type === "token_usage" ? line.responseId : void 0, line.usage);
        } else
          this.result.ignored++;
        return;
      case "ignored":
        this.result.ignored++;
        return;
      case "skipped":
        return this.skip(line.reason);
    }
  }
  /**
   * The line with its times checked: a time that is not a date ("last tuesday", "") would store NaN
   * durations and sort a session first for good, so it takes the time of the dated line before it.
   */
  dated(line) {
    if (!("at" in line))
      return line;
    let at = rolloutTime(line.at);
    if (at === void 0) {
      const before = this.lastTime ?? this.fallbackTime;
      if (before === void 0)
        return void 0;
      at = before;
      this.result.timestampsRepaired++;
    }
    this.lastTime = at;
    if (line.type !== "session_meta")
      return { ...line, at };
    return { ...line, at, startedAt: rolloutTime(line.startedAt) ?? at };
  }
  item(item, at) {
    if (!this.session) {
      if (!this.idFromFileName)
        return this.skip("response_item before any session_meta");
      this.session = { id: this.idFromFileName, startedAt: at };
      this.result.startedAt = at;
    }
    this.result.itemsRead++;
    if (MODEL_OUTPUT.has(item.kind)) {
      if (this.next.input.length)
        this.closeAnswered();
      this.call.output.push(item);
      this.call.outputTimes.push(at);
      return;
    }
    const into = this.call.output.length ? this.next : this.call;
    into.input.push(item);
    into.inputTimes.push(at);
  }
  /** Ends an answered call without usage; the items held after it start the next call. */
  closeAnswered() {
    if (this.call.output.length)
      this.endCall(this.call.outputTimes.at(-1));
  }
  /** Closes the call in progress; call at the end of the file. */
  end() {
    this.closeAnswered();
    const last = this.call.outputTimes.at(-1) ?? this.call.inputTimes.at(-1);
    if (last)
      this.endCall(last);
  }
  endCall(endedAt, responseId, usage) {
    const call = this.call;
    this.call = { ...emptyCall(), ...this.next };
    this.next = { input: [], inputTimes: [] };
    const session = this.session;
    if (!session || call.input.length === 0 && call.output.length === 0)
      return;
    const startedAt = call.inputTimes[0] ?? call.outputTimes[0] ?? endedAt;
    const sentAt = call.inputTimes.at(-1) ?? startedAt;
    const modelEnd = call.outputTimes.at(-1) ?? endedAt;
    const ctx = this.tracker.beginRequest({
      transport: "rollout",
      method: "IMPORT",
      path: this.result.file,
      startedAtIso: startedAt,
      request: {
        api: "responses",
        ...this.model ? { model: this.model } : {},
        stream: true,
        generate: true,
        input: call.input,
        meta: { sessionId: session.id, ...this.turnId ? { turnId: this.turnId } : {}, requestKind: "turn" }
      },
      skippedItems: 0,
      ...this.counts ? { prefixCounts: this.counts } : {},
      ...session.client ? { client: session.client } : {},
      inputTimes: call.inputTimes
    });
    this.tracker.finishRequest(ctx, {
      ...responseId ? { responseId } : {},
      status: "completed",
      output: call.output,
      ...usage ? { usage } : {},
      parseErrors: 0,
      unknownEvents: 0,
      events: 0
    }, {
      durationMs: Math.max(0, Date.parse(modelEnd) - Date.parse(sentAt)) || 0,
      endedAtIso: endedAt,
      // A call the rollout holds no answer for was cut short (Esc, a crash) or is still running.
      ...call.output.length === 0 ? { outcome: "aborted" } : {},
      outputTimes: call.outputTimes
    });
    this.counts = ctx.counts;
    const added = this.buffer.settle();
    this.result.newTurnIds.push(...added.turnIds);
    this.result.itemsAdded += added.items;
    this.result.requestsAdded += added.requests;
  }
};

// dist/import/codex-import.js
var COMMIT_EVERY_OPS = 2e3;
var STORE_PATIENCE_MS = 6e4;
var isBlank = (line) => line.every((b) => b === 32 || b === 9 || b === 13);
var fileTime = (file) => {
  try {
    return fs3.statSync(file).mtime.toISOString();
  } catch {
    return (/* @__PURE__ */ new Date()).toISOString();
  }
};
var sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function commitQueued(store, keep) {
  for (let waited = 0; ; waited += 100) {
    store.flush();
    const health = store.getHealth();
    if (health.backlog <= keep)
      return;
    if (waited >= STORE_PATIENCE_MS)
      throw new Error(`the database refused writes for a minute: ${health.lastError ?? "unknown error"}`);
    await sleep(100);
  }
}
async function replayFile(store, reader, rollout, since, onBytes) {
  const replay = new RolloutReplay({ enqueue: (op) => store.enqueue(op), resumeState: (id) => reader.resumeState(id), sessionOfResponse: (id) => reader.sessionOfResponse(id) }, rollout.file, threadIdOfFileName(rollout.file), fileTime(rollout.file));
  let beforeSince = false;
  let bytesRead = 0;
  const onOversized = () => replay.skipLine(`line over ${DEFAULT_MAX_LINE_BYTES / 1024 / 1024} MB`);
  reading: for await (const lines of lineBatches(rollout.file, { onBytes: (n) => bytesRead = n, onOversized })) {
    for (const line of lines) {
      if (isBlank(line))
        continue;
      try {
        replay.feed(parseRolloutLineBytes(line));
      } catch (err) {
        replay.skipLine(`unreadable line (${err.message.slice(0, 80)})`);
      }
      if (since && replay.result.startedAt && Date.parse(replay.result.startedAt) < since.getTime()) {
        beforeSince = true;
        break reading;
      }
    }
    if (store.getHealth().backlog >= COMMIT_EVERY_OPS)
      await commitQueued(store, 0);
    onBytes(bytesRead);
  }
  if (!beforeSince)
    replay.end();
  await commitQueued(store, 0);
  onBytes(rollout.bytes);
  return { session: replay.result, beforeSince };
}
async function importCodexRollouts(opts) {
  const started = performance.now();
  const scan = scanRolloutFiles(opts.paths, { optional: opts.pathsOptional ?? false });
  const files = scan.rollouts;
  const ownStore = opts.store ? void 0 : openImportStore(opts.documentsDir, opts.inTransaction);
  const store = opts.store ?? ownStore;
  const reader = new SessionReader(store.db);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const result = {
    files: files.length,
    sessionsChanged: 0,
    sessionsUnchanged: 0,
    sessionsBeforeSince: 0,
    turnsAdded: 0,
    itemsAdded: 0,
    itemsRead: 0,
    skipped: {},
    timestampsRepaired: 0,
    unsupported: scan.unsupported,
    failed: [],
    seconds: 0
  };
  opts.onStart?.({ files: files.length, bytes });
  let bytesDone = 0;
  try {
    for (const [i, rollout] of files.entries()) {
      const progress = (bytesRead) => opts.onProgress?.({ files: files.length, filesDone: i, bytes, bytesRead: bytesDone + bytesRead, itemsAdded: result.itemsAdded });
      try {
        const { session, beforeSince } = await replayFile(store, reader, rollout, opts.since, progress);
        if (beforeSince)
          result.sessionsBeforeSince++;
        else {
          for (const [reason, n] of Object.entries(session.skipped))
            result.skipped[reason] = (result.skipped[reason] ?? 0) + n;
          result.itemsRead += session.itemsRead;
          result.timestampsRepaired += session.timestampsRepaired;
          result.itemsAdded += session.itemsAdded;
          result.turnsAdded += session.newTurnIds.length;
          if (session.itemsAdded > 0)
            result.sessionsChanged++;
          else
            result.sessionsUnchanged++;
          opts.onSession?.(session);
          if (opts.queueInsights && session.newTurnIds.length > 0)
            opts.queueInsightsFor?.(session, store.db);
        }
      } catch (err) {
        result.failed.push({ file: rollout.file, error: err.message });
      }
      bytesDone += rollout.bytes;
      opts.onProgress?.({ files: files.length, filesDone: i + 1, bytes, bytesRead: bytesDone, itemsAdded: result.itemsAdded });
    }
  } finally {
    ownStore?.close();
  }
  result.seconds = (performance.now() - started) / 1e3;
  return result;
}
function openImportStore(documentsDir, inTransaction) {
  if (!documentsDir)
    throw new Error("importCodexRollouts needs a store or a documentsDir");
  return new SessionStore({
    documentsDir,
    recover: false,
    flushDelayMs: 6e4,
    maxBatch: 2 * COMMIT_EVERY_OPS,
    sliceOps: 2 * COMMIT_EVERY_OPS,
    ...inTransaction ? { inTransaction } : {}
  });
}

// dist/insight/import-jobs.js
function importInsight(mode, queue) {
  const effective = queue ? mode : "off";
  return {
    inTransaction: insightCommitHook(effective),
    queueInsightsFor: (session, db) => {
      if (effective === "off" || session.newTurnIds.length === 0)
        return;
      const lastSeq = db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck().get(session.sessionId) ?? 0;
      if (lastSeq > 0)
        createJob(db, "session", `${session.sessionId}:${lastSeq}`, session.sessionId);
    }
  };
}

// dist/cli/import-command.js
function parseSince(value) {
  const date = value && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : void 0;
  if (!date || Number.isNaN(date.getTime()))
    throw new ConfigError(`--since needs a date such as 2026-11-01 (got ${value ?? "nothing"})`);
  return date;
}
function parseImportArgs(argv, home, cwd = process.cwd()) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { since: { type: "string" }, "no-insight": { type: "boolean" }, documents: { type: "string" }, "env-file": { type: "string" } },
      strict: true,
      allowPositionals: true
    });
  } catch (err) {
    throw argsError(err, IMPORT_USAGE);
  }
  const [source, ...paths] = parsed.positionals;
  if (source !== "codex")
    throw new ConfigError(`kx import knows one source, codex
Usage: ${IMPORT_USAGE}`);
  const { values } = parsed;
  const settingsArgv = [...values.documents !== void 0 ? ["--documents", values.documents] : [], ...values["env-file"] !== void 0 ? ["--env-file", values["env-file"]] : []];
  const since = values.since !== void 0 ? parseSince(values.since) : void 0;
  const defaultPaths = paths.length === 0;
  return {
    source,
    paths: defaultPaths ? codexRolloutDirs(home) : paths.map((p) => path2.resolve(cwd, p)),
    defaultPaths,
    ...since ? { since } : {},
    queueInsights: values["no-insight"] !== true,
    settingsArgv
  };
}
var plural = (n, word) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
function sessionLine(s) {
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const what = s.itemsAdded > 0 ? `${plural(s.newTurnIds.length, "turn")}, ${plural(s.itemsAdded, "item")} added` : "nothing new";
  return `${s.sessionId ? termLine(s.sessionId) : "(no session id)"}  ${what}${skipped ? `, ${plural(skipped, "line")} skipped` : ""}${s.cwd ? `  ${termLine(s.cwd)}` : ""}`;
}
function progressBar(p) {
  const width = 30;
  const done = p.bytes > 0 ? Math.min(1, p.bytesRead / p.bytes) : 1;
  const filled = Math.round(done * width);
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}%  ${p.filesDone}/${p.files} files  ${plural(p.itemsAdded, "item")} added`;
}
function summary(r) {
  const byReason = /* @__PURE__ */ new Map();
  for (const u of r.unsupported)
    byReason.set(u.reason, [...byReason.get(u.reason) ?? [], u.file]);
  const unsupported = [...byReason].map(([reason, files]) => `left out ${plural(files.length, "file")} kx cannot read (${reason}): ${files.slice(0, 3).join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}`);
  if (r.files === 0)
    return [...unsupported, ...r.unsupported.length ? [] : ["no Codex rollouts found there (files whose first line is a session_meta)"]];
  const lines = [
    `imported ${plural(r.files, "rollout")}: ${plural(r.turnsAdded, "turn")} and ${plural(r.itemsAdded, "item")} added to ${plural(r.sessionsChanged, "session")}${r.sessionsUnchanged ? `, ${plural(r.sessionsUnchanged, "session")} already complete` : ""}${r.sessionsBeforeSince ? `, ${plural(r.sessionsBeforeSince, "session")} before --since left out` : ""} (${r.seconds.toFixed(1)} s)`
  ];
  const skipped = Object.entries(r.skipped);
  if (r.timestampsRepaired)
    lines.push(`${plural(r.timestampsRepaired, "timestamp")} not a date: given the time of the line before`);
  if (skipped.length)
    lines.push(`skipped lines: ${skipped.map(([why, n]) => `${n} ${termLine(why)}`).join("; ")}`);
  lines.push(...unsupported);
  for (const f of r.failed)
    lines.push(`could not read ${termLine(f.file)}: ${termLine(f.error)}`);
  return lines;
}
async function importCommand(argv, io) {
  const args = parseImportArgs(argv, codexHome(io.env), io.cwd);
  const root = io.kxRoot ?? io.cwd;
  const { settings } = readSettings({ argv: args.settingsArgv, env: io.env, cwd: root, flagsCwd: io.cwd });
  const documentsDir = path2.resolve(root, settings.KX_DOCUMENTS_DIR);
  const insight = importInsight(settings.KX_INSIGHT, args.queueInsights);
  const write = (s) => void io.out.write(s);
  const tty = io.out.isTTY === true;
  let lastDraw = 0;
  try {
    findRolloutFiles(args.paths, { optional: args.defaultPaths });
  } catch (err) {
    if (err instanceof MissingRolloutPath)
      throw new ConfigError(err.message);
    throw err;
  }
  write(`kx import codex: ${args.paths.join(", ")} \u2192 ${documentsDir}
`);
  const result = await importCodexRollouts({
    paths: args.paths,
    pathsOptional: args.defaultPaths,
    documentsDir,
    queueInsights: args.queueInsights,
    ...args.since ? { since: args.since } : {},
    inTransaction: insight.inTransaction,
    queueInsightsFor: (session, db) => {
      insight.queueInsightsFor(session, db);
      io.queueInsightsFor?.(session);
    },
    onProgress: (p) => {
      const now = Date.now();
      if (!tty || now - lastDraw < 100 && p.filesDone < p.files)
        return;
      lastDraw = now;
      write(progressBar(p));
    },
    onSession: (s) => {
      if (!tty)
        write(sessionLine(s) + "\n");
    }
  });
  if (tty)
    write("\n");
  for (const line of summary(result))
    write(line + "\n");
  return result.failed.length > 0 ? 1 : 0;
}
export {
  IMPORT_USAGE,
  importCommand,
  parseImportArgs
};
