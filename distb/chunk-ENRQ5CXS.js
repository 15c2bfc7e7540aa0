import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createJob,
  legacyFolderName,
  newId,
  readableFolderName,
  sessionFolderName
} from "./chunk-JFZII2VR.js";
import {
  j
} from "./chunk-ZEXPMZYJ.js";
import {
  SEARCH_INDEX_MIGRATION,
  cwdOfContext,
  cwdOfInput,
  decideProject,
  isObject,
  prefilledContextEnd,
  statesCwd,
  str
} from "./chunk-WZ2QJHAO.js";
import {
  redact,
  redactDeep,
  storedText
} from "./chunk-LXEFACVR.js";

// dist/store/session-reader.js
var SUMMARY_SQL = `
  SELECT s.id, s.client, s.project, s.cwd, s.ended_at AS endedAt,
    (SELECT COALESCE(SUM(input_tokens),0) FROM insight_jobs j WHERE j.session_id = s.id) AS insightInput,
    (SELECT COALESCE(SUM(output_tokens),0) FROM insight_jobs j WHERE j.session_id = s.id) AS insightOutput, s.user_agent AS userAgent, s.identified_by AS identifiedBy, s.started_at AS startedAt, s.imported_from AS importedFrom,
    COALESCE((SELECT MAX(r.started_at) FROM requests r WHERE r.session_id = s.id), s.started_at) AS lastActivityAt,
    (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) AS turnCount,
    (SELECT COUNT(*) FROM memory_lookups m WHERE m.session_id = s.id) AS memoryLookups,
    (SELECT COUNT(*) FROM requests r WHERE r.session_id = s.id) AS requestCount,
    (SELECT COALESCE(SUM(input_tokens),0) FROM requests r WHERE r.session_id = s.id) AS inputTokens,
    (SELECT COALESCE(SUM(cached_tokens),0) FROM requests r WHERE r.session_id = s.id) AS cachedTokens,
    (SELECT COALESCE(SUM(output_tokens),0) FROM requests r WHERE r.session_id = s.id) AS outputTokens,
    (SELECT COALESCE(SUM(reasoning_tokens),0) FROM requests r WHERE r.session_id = s.id) AS reasoningTokens,
    (SELECT COALESCE(SUM(total_tokens),0) FROM requests r WHERE r.session_id = s.id) AS totalTokens
  FROM sessions s`;
function toSummary(row) {
  const { inputTokens, cachedTokens, outputTokens, reasoningTokens, totalTokens, insightInput, insightOutput, ...rest } = row;
  return { ...rest, usage: { inputTokens, cachedTokens, outputTokens, reasoningTokens, totalTokens }, insightTokens: { input: insightInput, output: insightOutput } };
}
function parseJson(text) {
  if (typeof text !== "string")
    return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
var SessionReader = class {
  db;
  constructor(db) {
    this.db = db;
  }
  listSessions(limit = 200) {
    const rows = this.db.prepare(`${SUMMARY_SQL} ORDER BY lastActivityAt DESC LIMIT ?`).all(limit);
    return rows.map(toSummary);
  }
  /** What names a session to a person: its first message, when it started, and its project's folder. */
  sessionLabel(id) {
    return this.db.prepare(`SELECT (SELECT substr(text, 1, 200) FROM items i WHERE i.session_id = s.id AND i.kind = 'human_message' ORDER BY i.seq LIMIT 1) AS title,
           s.started_at AS startedAt, s.project, COALESCE(s.cwd, s.project) AS projectName
         FROM sessions s WHERE s.id = ?`).get(id);
  }
  getSummary(id) {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE s.id = ?`).get(id);
    return row ? toSummary(row) : void 0;
  }
  getSession(id) {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE s.id = ?`).get(id);
    if (!row)
      return void 0;
    const items = this.db.prepare(`SELECT id, seq, turn_id AS turnId, request_id AS requestId, direction, kind, item_type AS itemType, role,
             protocol_id AS protocolId, call_id AS callId, tool_name AS toolName, text, arguments, output, status, detail,
             created_at AS createdAt
           FROM items WHERE session_id = ? ORDER BY seq`).all(id).map((it) => ({ ...it, detail: parseJson(it.detail) }));
    const turns = this.db.prepare(`SELECT id, seq, client_turn_id AS clientTurnId, started_at AS startedAt, ended_at AS endedAt, status
         FROM turns WHERE session_id = ? ORDER BY seq`).all(id);
    const byTurn = new Map(turns.map((t) => [t.id, []]));
    const preamble = [];
    for (const it of items)
      (it.turnId ? byTurn.get(it.turnId) : void 0)?.push(it) ?? preamble.push(it);
    const requests = this.db.prepare(`SELECT id, turn_id AS turnId, transport, api, path, upstream, model, request_kind AS requestKind, started_at AS startedAt,
             first_byte_ms AS firstByteMs, duration_ms AS durationMs, status_code AS statusCode, outcome, response_id AS responseId,
             input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error,
             new_items AS newItems, skipped_items AS skippedItems, parse_errors AS parseErrors, events
           FROM requests WHERE session_id = ? ORDER BY started_at, rowid`).all(id).map((r) => {
      const { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error, ...rest } = r;
      return {
        ...rest,
        usage: {
          inputTokens: input_tokens,
          cachedTokens: cached_tokens,
          outputTokens: output_tokens,
          reasoningTokens: reasoning_tokens,
          totalTokens: total_tokens
        },
        error: parseJson(error)
      };
    });
    return {
      ...toSummary(row),
      turns: turns.map((t) => ({ ...t, items: byTurn.get(t.id) ?? [] })),
      preamble,
      requests
    };
  }
  resumeState(sessionId) {
    const exists = this.db.prepare(`SELECT 1 FROM sessions WHERE id = ?`).get(sessionId);
    if (!exists)
      return void 0;
    const keys = this.db.prepare(`SELECT dedup_key FROM items WHERE session_id = ?`).pluck().all(sessionId);
    const maxItemSeq = this.db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM items WHERE session_id = ?`).pluck().get(sessionId) ?? 0;
    const last = this.db.prepare(`SELECT id, seq FROM turns WHERE session_id = ? ORDER BY seq DESC LIMIT 1`).get(sessionId);
    return { dedupKeys: new Set(keys), maxItemSeq, maxTurnSeq: last?.seq ?? 0, lastTurnId: last?.id };
  }
  /** The session a response id belongs to (for previous_response_id chains across restarts). */
  sessionOfResponse(responseId) {
    return this.db.prepare(`SELECT session_id FROM requests WHERE response_id = ? LIMIT 1`).pluck().get(responseId);
  }
};

// dist/store/session-store.js
import { EventEmitter } from "node:events";
import fs3 from "node:fs";
import path4 from "node:path";
import Database from "better-sqlite3";

// dist/store/documents-dir.js
import fs from "node:fs";
import path from "node:path";
function ensureDocumentsDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 448 });
  fs.chmodSync(dir, 448);
}
function repairJsonlTail(file) {
  let fd;
  try {
    fd = fs.openSync(file, "r+");
  } catch {
    return false;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0)
      return false;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 10)
      return false;
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const n = fs.readSync(fd, block, 0, end - start, start);
      const idx = block.subarray(0, n).lastIndexOf(10);
      if (idx >= 0) {
        fs.ftruncateSync(fd, start + idx + 1);
        return true;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}
function repairAllJsonl(documentsDir) {
  let repaired = 0;
  for (const entry of fs.readdirSync(documentsDir, { withFileTypes: true })) {
    if (!entry.isDirectory())
      continue;
    for (const name of ["user_actions.jsonl", "agent_actions.jsonl"]) {
      if (repairJsonlTail(path.join(documentsDir, entry.name, name)))
        repaired++;
    }
  }
  return repaired;
}
function appendPrivate(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 448 });
  fs.appendFileSync(file, text, { mode: 384 });
}
function privateDatabaseFile(file) {
  fs.closeSync(fs.openSync(file, "a", 384));
  fs.chmodSync(file, 384);
  return file;
}

// dist/store/jsonl-writer.js
import path3 from "node:path";

// dist/store/jsonl-lines.js
var AGENT_KINDS = /* @__PURE__ */ new Set(["assistant_message", "reasoning", "tool_call", "tool_output", "compaction"]);
function itemLine(rec) {
  const line = {
    ts: rec.createdAt,
    session_id: rec.sessionId,
    turn_id: rec.turnId ?? null,
    request_id: rec.requestId,
    kind: rec.kind,
    item_id: rec.id,
    item_type: rec.itemType
  };
  if (rec.protocolId)
    line.protocol_id = rec.protocolId;
  if (rec.role)
    line.role = rec.role;
  if (rec.text !== void 0)
    line.text = rec.text;
  if (rec.toolName)
    line.tool_name = rec.toolName;
  if (rec.callId)
    line.call_id = rec.callId;
  if (rec.arguments !== void 0)
    line.arguments = rec.arguments;
  if (rec.output !== void 0)
    line.output = rec.output;
  if (rec.status)
    line.status = rec.status;
  if (rec.detail)
    line.detail = rec.detail;
  return JSON.stringify(line) + "\n";
}
function resultLines(rec) {
  const base = { ts: rec.endedAt, session_id: rec.sessionId, turn_id: rec.turnId ?? null, request_id: rec.requestId };
  const lines = [];
  if (rec.usage) {
    lines.push(JSON.stringify({ ...base, kind: "usage", response_id: rec.responseId ?? null, ...snake(rec.usage) }) + "\n");
  }
  if (rec.error || rec.outcome !== "completed" && rec.outcome !== "in_progress") {
    lines.push(JSON.stringify({ ...base, kind: "error", outcome: rec.outcome, status_code: rec.statusCode ?? null, error: rec.error ?? null }) + "\n");
  }
  return lines;
}
function snake(usage) {
  return {
    input_tokens: usage.inputTokens,
    cached_tokens: usage.cachedTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
    total_tokens: usage.totalTokens
  };
}
function jsonlLines(ops) {
  const out = /* @__PURE__ */ new Map();
  const get = (id) => {
    let s = out.get(id);
    if (!s)
      out.set(id, s = { user: [], agent: [] });
    return s;
  };
  for (const op of ops) {
    if (op.op === "item") {
      if (op.rec.kind === "human_message")
        get(op.rec.sessionId).user.push(itemLine(op.rec));
      else if (AGENT_KINDS.has(op.rec.kind))
        get(op.rec.sessionId).agent.push(itemLine(op.rec));
    } else if (op.op === "request-result") {
      const lines = resultLines(op.rec);
      if (lines.length)
        get(op.rec.sessionId).agent.push(...lines);
    }
  }
  return out;
}

// dist/store/jsonl-recovery.js
import fs2 from "node:fs";
import path2 from "node:path";
function lineSources(ops) {
  const items = [];
  const results = [];
  for (const op of ops) {
    if (op.op === "item")
      items.push(op.rec.id);
    else if (op.op === "request-result")
      results.push(op.rec.requestId);
  }
  return { items, results };
}
function joinSources(a, b) {
  return { items: [...a.items, ...b.items], results: [...a.results, ...b.results] };
}
function lineKey(line) {
  try {
    const v = JSON.parse(line);
    return v.item_id ?? `${v.request_id ?? ""}|${v.kind ?? ""}`;
  } catch {
    return void 0;
  }
}
var orUndefined = (v) => v === null ? void 0 : v;
function itemOp(r) {
  const rec = {
    id: r.id,
    sessionId: r.session_id,
    requestId: r.request_id,
    seq: r.seq,
    direction: r.direction,
    kind: r.kind,
    itemType: r.item_type,
    dedupKey: r.dedup_key,
    createdAt: r.created_at
  };
  const optional = {
    turnId: orUndefined(r.turn_id),
    role: orUndefined(r.role),
    protocolId: orUndefined(r.protocol_id),
    callId: orUndefined(r.call_id),
    toolName: orUndefined(r.tool_name),
    text: orUndefined(r.text),
    arguments: orUndefined(r.arguments),
    output: orUndefined(r.output),
    status: orUndefined(r.status),
    detail: r.detail ? JSON.parse(r.detail) : void 0
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== void 0)
      rec[k] = v;
  return { op: "item", rec };
}
function resultOp(r) {
  const rec = {
    requestId: r.id,
    sessionId: r.session_id,
    durationMs: r.duration_ms ?? 0,
    outcome: r.outcome ?? "interrupted",
    parseErrors: r.parse_errors,
    events: r.events,
    endedAt: r.ended_at ?? r.started_at
  };
  if (r.turn_id)
    rec.turnId = r.turn_id;
  if (r.first_byte_ms !== null)
    rec.firstByteMs = r.first_byte_ms;
  if (r.status_code !== null)
    rec.statusCode = r.status_code;
  if (r.response_id)
    rec.responseId = r.response_id;
  if (r.total_tokens !== null) {
    rec.usage = {
      inputTokens: r.input_tokens ?? 0,
      cachedTokens: r.cached_tokens ?? 0,
      outputTokens: r.output_tokens ?? 0,
      reasoningTokens: r.reasoning_tokens ?? 0,
      totalTokens: r.total_tokens
    };
  }
  if (r.error)
    rec.error = JSON.parse(r.error);
  return { op: "request-result", rec };
}
function rowsFor(db, table, ids, order) {
  const rows = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(...db.prepare(`SELECT * FROM ${table} WHERE id IN (${chunk.map(() => "?").join(",")}) ORDER BY ${order}`).all(...chunk));
  }
  return rows;
}
function appendMissingLines(db, sessionDir, sources) {
  const ops = [...rowsFor(db, "items", sources.items, "seq").map(itemOp), ...rowsFor(db, "requests", sources.results, "rowid").map(resultOp)];
  let written = 0;
  for (const [sessionId, lines] of jsonlLines(ops)) {
    const dir = sessionDir(sessionId);
    for (const [name, wanted] of [["user_actions.jsonl", lines.user], ["agent_actions.jsonl", lines.agent]]) {
      if (wanted.length === 0)
        continue;
      const file = path2.join(dir, name);
      const present = new Set(fs2.existsSync(file) ? fs2.readFileSync(file, "utf8").split("\n").map(lineKey) : []);
      const missing = wanted.filter((l) => !present.has(lineKey(l)));
      if (missing.length)
        appendPrivate(file, missing.join(""));
      written += missing.length;
    }
  }
  return written;
}

// dist/store/jsonl-writer.js
var JsonlWriter = class {
  db;
  sessionDir;
  log;
  onFailure;
  carry = { items: [], results: [] };
  failing = false;
  retryAt = 0;
  retryDelayMs = 0;
  constructor(db, sessionDir, log, onFailure) {
    this.db = db;
    this.sessionDir = sessionDir;
    this.log = log;
    this.onFailure = onFailure;
  }
  /** Lines still owed to the files, which the commit of `batch` records in its own transaction. */
  pendingWith(batch) {
    return JSON.stringify(joinSources(this.carry, lineSources(batch)));
  }
  get behind() {
    return this.carry.items.length + this.carry.results.length;
  }
  get isFailing() {
    return this.failing;
  }
  /** Appends the lines of `written` (a committed batch less the items the database already had). */
  append(written) {
    if (this.behind > 0 && Date.now() >= this.retryAt) {
      try {
        appendMissingLines(this.db, this.sessionDir, this.carry);
        this.carry = { items: [], results: [] };
      } catch (err) {
        this.failed(err, void 0);
      }
    }
    let failed = false;
    for (const [sessionId, lines] of jsonlLines(written)) {
      const dir = this.sessionDir(sessionId);
      try {
        if (lines.user.length)
          appendPrivate(path3.join(dir, "user_actions.jsonl"), lines.user.join(""));
        if (lines.agent.length)
          appendPrivate(path3.join(dir, "agent_actions.jsonl"), lines.agent.join(""));
      } catch (err) {
        failed = true;
        this.failed(err, path3.basename(dir));
      }
    }
    if (failed)
      this.carry = joinSources(this.carry, lineSources(written));
    if (this.failing && this.behind === 0) {
      this.failing = false;
      this.retryDelayMs = 0;
      this.log?.({ level: "info", msg: "jsonl appends recovered" });
    }
  }
  /** Logged once per run of failures, naming the folder (bounded), never the client's id (it may be huge). */
  failed(err, folder) {
    const message = err.message.length > 300 ? `${err.message.slice(0, 300)}\u2026` : err.message;
    if (!this.failing)
      this.log?.({ level: "error", msg: "jsonl append failed; retrying after later commits", ...folder ? { folder } : {}, error: message });
    this.failing = true;
    this.onFailure(`jsonl append failed: ${message}`);
    this.retryAt = Date.now() + this.retryDelayMs;
    this.retryDelayMs = this.retryDelayMs ? Math.min(this.retryDelayMs * 2, 5e3) : 100;
  }
};

// dist/store/op-writers.js
var changed = (result) => ({ changed: result.changes > 0 });
function prepareOpWriters(db) {
  const session = db.prepare(`INSERT INTO sessions (id, identified_by, client, user_agent, started_at, folder, imported_from)
     VALUES (@id, @identifiedBy, @client, @userAgent, @startedAt, @folder, @importedFrom) ON CONFLICT(id) DO NOTHING`);
  const turn = db.prepare(`INSERT INTO turns (id, session_id, seq, client_turn_id, started_at) VALUES (@id, @sessionId, @seq, @clientTurnId, @startedAt)
     ON CONFLICT DO NOTHING`);
  const turnStatus = db.prepare(`UPDATE turns SET status = @status, ended_at = @endedAt WHERE id = @turnId`);
  const turnStatusOf = db.prepare(`SELECT status FROM turns WHERE id = ?`).pluck();
  const turnStatusIfOpen = db.prepare(`UPDATE turns SET status = @status, ended_at = @endedAt WHERE id = @turnId AND status = 'open'`);
  const request = db.prepare(`INSERT INTO requests (id, session_id, turn_id, transport, api, method, path, upstream, model, request_kind, started_at,
       previous_response_id, new_items, skipped_items, parse_errors)
     VALUES (@id, @sessionId, @turnId, @transport, @api, @method, @path, @upstream, @model, @requestKind, @startedAt,
       @previousResponseId, @newItems, @skippedItems, @parseErrors)`);
  const requestResult = db.prepare(`UPDATE requests SET first_byte_ms = @firstByteMs, duration_ms = @durationMs, status_code = @statusCode, outcome = @outcome,
       response_id = @responseId, input_tokens = @inputTokens, cached_tokens = @cachedTokens, output_tokens = @outputTokens,
       reasoning_tokens = @reasoningTokens, total_tokens = @totalTokens, error = @error,
       parse_errors = parse_errors + @parseErrors, events = @events, ended_at = @endedAt, turn_id = COALESCE(turn_id, @turnId)
     WHERE id = @requestId`);
  const item = db.prepare(`INSERT INTO items (id, session_id, turn_id, request_id, seq, direction, kind, item_type, role, protocol_id, call_id,
       tool_name, text, arguments, output, status, detail, dedup_key, created_at)
     VALUES (@id, @sessionId, @turnId, @requestId, @seq, @direction, @kind, @itemType, @role, @protocolId, @callId,
       @toolName, @text, @arguments, @output, @status, @detail, @dedupKey, @createdAt)
     ON CONFLICT DO NOTHING`);
  const captureError = db.prepare(`INSERT INTO capture_errors (ts, session_id, request_id, stage, message) VALUES (@ts, @sessionId, @requestId, @stage, @message)`);
  return {
    session: (op, batch) => changed(session.run({ client: null, userAgent: null, importedFrom: null, ...op.rec, folder: readableFolderName(op.rec.id, op.rec.startedAt, batch.firstMessage.get(op.rec.id)) })),
    turn: (op) => changed(turn.run({ clientTurnId: null, ...op.rec })),
    "turn-status": (op) => {
      const { turnId, status, endedAt } = op.rec;
      const before = turnStatusOf.get(turnId);
      const result = (op.rec.onlyIfOpen ? turnStatusIfOpen : turnStatus).run({ turnId, status, endedAt });
      if (result.changes === 0 || before === status)
        return { changed: false };
      return { changed: true, ...before === "open" && status !== "open" ? { endedTurn: { turnId, sessionId: op.rec.sessionId, status } } : {} };
    },
    request: (op) => changed(request.run({ turnId: null, upstream: null, model: null, requestKind: null, previousResponseId: null, ...op.rec })),
    "request-result": (op) => {
      const r = op.rec;
      return changed(requestResult.run({
        requestId: r.requestId,
        turnId: r.turnId ?? null,
        firstByteMs: r.firstByteMs ?? null,
        durationMs: r.durationMs,
        statusCode: r.statusCode ?? null,
        outcome: r.outcome,
        responseId: r.responseId ?? null,
        inputTokens: r.usage?.inputTokens ?? null,
        cachedTokens: r.usage?.cachedTokens ?? null,
        outputTokens: r.usage?.outputTokens ?? null,
        reasoningTokens: r.usage?.reasoningTokens ?? null,
        totalTokens: r.usage?.totalTokens ?? null,
        error: r.error ? JSON.stringify(r.error) : null,
        parseErrors: r.parseErrors,
        events: r.events,
        endedAt: r.endedAt
      }));
    },
    item: (op) => {
      const r = op.rec;
      const result = item.run({
        ...r,
        turnId: r.turnId ?? null,
        role: r.role ?? null,
        protocolId: r.protocolId ?? null,
        callId: r.callId ?? null,
        toolName: r.toolName ?? null,
        text: r.text ?? null,
        arguments: r.arguments ?? null,
        output: r.output ?? null,
        status: r.status ?? null,
        detail: r.detail ? JSON.stringify(r.detail) : null
      });
      return { changed: result.changes > 0, duplicate: result.changes === 0 };
    },
    "capture-error": (op) => changed(captureError.run({ sessionId: null, requestId: null, ...op.rec }))
  };
}
function writeOp(writers, op, batch) {
  return writers[op.op](op, batch);
}

// dist/store/schema.js
var MIGRATIONS = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    identified_by TEXT NOT NULL,          -- header | client_metadata | prompt_cache_key | previous_response | fingerprint
    client TEXT,                          -- originator header, else user-agent product
    user_agent TEXT,
    started_at TEXT NOT NULL
  );
  CREATE TABLE turns (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    client_turn_id TEXT,                  -- Codex's own turn_id when it sent one
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL DEFAULT 'open',  -- open | completed | failed | interrupted
    UNIQUE (session_id, seq)
  );
  CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    turn_id TEXT REFERENCES turns(id),
    transport TEXT NOT NULL,              -- http | ws
    api TEXT NOT NULL,                    -- responses | chat | other
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    model TEXT,
    request_kind TEXT,                    -- prewarm | turn | compaction | background
    started_at TEXT NOT NULL,
    first_byte_ms REAL,
    duration_ms REAL,
    status_code INTEGER,
    outcome TEXT,                         -- completed | failed | incomplete | error | cut | aborted | refused | pending
    response_id TEXT,
    previous_response_id TEXT,
    input_tokens INTEGER,
    cached_tokens INTEGER,
    output_tokens INTEGER,
    reasoning_tokens INTEGER,
    total_tokens INTEGER,
    error TEXT,                           -- JSON {status, code, type, message}
    new_items INTEGER NOT NULL DEFAULT 0,
    skipped_items INTEGER NOT NULL DEFAULT 0,
    parse_errors INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX requests_session ON requests(session_id, started_at);
  CREATE INDEX requests_response ON requests(response_id);
  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    turn_id TEXT REFERENCES turns(id),
    request_id TEXT NOT NULL REFERENCES requests(id),
    seq INTEGER NOT NULL,                 -- order within the session
    direction TEXT NOT NULL,              -- input (sent by the client) | output (produced by the model)
    kind TEXT NOT NULL,
    item_type TEXT NOT NULL,
    role TEXT,
    protocol_id TEXT,
    call_id TEXT,
    tool_name TEXT,
    text TEXT,
    arguments TEXT,
    output TEXT,
    status TEXT,
    detail TEXT,                          -- JSON
    dedup_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, dedup_key),
    UNIQUE (session_id, seq)
  );
  CREATE INDEX items_turn ON items(turn_id, seq);
  CREATE TABLE capture_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    session_id TEXT,
    request_id TEXT,
    stage TEXT NOT NULL,
    message TEXT NOT NULL
  );
  `,
  // 2: how many stream events each response had, so a stored stream can be checked whole.
  `ALTER TABLE requests ADD COLUMN events INTEGER NOT NULL DEFAULT 0;`,
  // 3: when a response ended, and which rows the last commit's jsonl lines come from (crash recovery).
  `
  ALTER TABLE requests ADD COLUMN ended_at TEXT;
  CREATE TABLE jsonl_pending (id INTEGER PRIMARY KEY CHECK (id = 1), sources TEXT NOT NULL);
  `,
  // hardening: session folder. The folder under documents/ that holds the session's jsonl files
  // (src/store/session-folder.ts); rows stored before it are filled in when the store opens.
  `ALTER TABLE sessions ADD COLUMN folder TEXT;`,
  // per-request upstream: the base URL (origin and path) each request went to, API key or ChatGPT login.
  `ALTER TABLE requests ADD COLUMN upstream TEXT;`,
  // import: imported_from — the Codex rollout file a session was first imported from (NULL when recorded live first).
  `ALTER TABLE sessions ADD COLUMN imported_from TEXT;`,
  // console (full-text search): an FTS5 index over captured item texts and the insight engine's documents,
  // built here for the rows already stored; search-index.ts keeps it current past `search_state.items_rowid`.
  SEARCH_INDEX_MIGRATION,
  // insight engine: projects, the durable job queue, per-turn insights, gaps with a life, versioned summaries.
  `
  ALTER TABLE sessions ADD COLUMN project TEXT;
  ALTER TABLE sessions ADD COLUMN cwd TEXT;
  ALTER TABLE sessions ADD COLUMN ended_at TEXT;
  CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE insight_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                   -- turn | session | import
    subject_id TEXT NOT NULL,             -- turn id; session id + ':' + last turn seq for a summary
    session_id TEXT,
    state TEXT NOT NULL DEFAULT 'queued', -- queued | running | done | failed | waiting_key
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, subject_id)
  );
  CREATE INDEX insight_jobs_state ON insight_jobs(state, next_attempt_at);
  CREATE INDEX insight_jobs_session ON insight_jobs(session_id);
  CREATE TABLE turn_insights (
    turn_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    data TEXT NOT NULL,                   -- JSON of the TurnInsightView fields
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    model TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX turn_insights_session ON turn_insights(session_id);
  CREATE TABLE gaps (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',  -- open | resolved
    times_seen INTEGER NOT NULL DEFAULT 1,
    first_seen_session_id TEXT NOT NULL,
    first_seen_turn_id TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_session_id TEXT NOT NULL,
    last_seen_turn_id TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    resolved_turn_id TEXT,
    resolved_how TEXT,
    resolved_by TEXT,                     -- model | person
    resolved_note TEXT,
    resolved_at TEXT
  );
  CREATE INDEX gaps_project ON gaps(project, status);
  CREATE TABLE session_summaries (
    session_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,                   -- JSON of the SessionSummaryView fields
    job_id TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, version)
  );
  `,
  // learn mode: held human turns and their decisions, the mode in force per scope, context injected at session start.
  `
  CREATE TABLE approvals (
    id TEXT PRIMARY KEY,                  -- a_\u2026
    session_id TEXT NOT NULL,
    project TEXT,
    turn_key TEXT NOT NULL,               -- hash of (session, ordinal, original text): a retry finds its turn
    ordinal INTEGER NOT NULL,             -- place among the conversation's human messages
    original_hash TEXT NOT NULL,
    client_turn_id TEXT,
    transport TEXT NOT NULL,
    original TEXT NOT NULL,
    rewrite TEXT,
    final_text TEXT,                      -- what went upstream
    decision TEXT NOT NULL,               -- pending | accepted | edited | rejected | timed_out | nothing_to_add | failed | cancelled
    reason TEXT,                          -- the model's one-line why, or the failure
    gaps TEXT NOT NULL DEFAULT '[]',      -- JSON [{gapId, topic}]
    snippets TEXT NOT NULL DEFAULT '[]',  -- JSON [{ref, text}]
    created_at TEXT NOT NULL,
    decided_at TEXT
  );
  CREATE INDEX approvals_turn ON approvals(turn_key);
  CREATE INDEX approvals_session ON approvals(session_id, created_at);
  CREATE TABLE learn_modes (
    scope TEXT NOT NULL,                  -- global | project | session
    target TEXT NOT NULL,                 -- '' for global
    mode TEXT NOT NULL,                   -- capture | learn
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, target)
  );
  CREATE TABLE context_injections (
    session_id TEXT PRIMARY KEY,
    project TEXT,
    text TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // insight engine: how many times in a row a job was running when kx died; at two it is failed (a poison job).
  `ALTER TABLE insight_jobs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;`,
  // The agent's calls to kx's MCP tools (src/mcp/), per session: the console shows how many lookups a session made.
  `
  CREATE TABLE memory_lookups (
    id INTEGER PRIMARY KEY,
    session_id TEXT,                      -- NULL when the client did not say which session it is
    tool TEXT NOT NULL,
    arguments TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX memory_lookups_session ON memory_lookups (session_id);
  `,
  // learn mode: the context a session's first message is held with (KX_INJECT=first-turn), shown on its card;
  // decision may also be 'released' (learn mode switched off while the turn waited). And the empty
  // `client: …` projects earlier versions left behind for every session that then reported its directory.
  `
  ALTER TABLE approvals ADD COLUMN context TEXT;
  DELETE FROM projects WHERE (name LIKE 'client: %' OR name = 'unknown client')
    AND NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.project = projects.id)
    AND NOT EXISTS (SELECT 1 FROM gaps WHERE gaps.project = projects.id);
  `
];
var SCHEMA_VERSION = MIGRATIONS.length;
function migrate(db) {
  const current = db.pragma("user_version", { simple: true });
  if (current > MIGRATIONS.length) {
    throw new Error(`documents/sessions.db has schema version ${current}, newer than this kx (${MIGRATIONS.length}); upgrade kx`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

// dist/store/session-store.js
var SessionStore = class {
  db;
  documentsDir;
  /** Newly committed records, for the insight engine, learn mode and the console to subscribe to. */
  events = new EventEmitter();
  queue = [];
  /** Ops ever queued, and ever taken off the queue (committed or dropped): tickets below `dequeued` are settled. */
  enqueued = 0;
  dequeued = 0;
  timer;
  retryDelayMs = 50;
  health = { ok: true, backlog: 0, committedOps: 0, droppedOps: 0, jsonlBehind: 0 };
  /** Whether the last jsonl append failed; `ok` in the health is false until one succeeds. */
  /** Each session's folder as recorded on its row, for the jsonl writers. */
  folders = new j({ max: 4096 });
  opts;
  statements;
  /** Test seam: simulate a failing disk or locked database. */
  faultInjector;
  closed = false;
  /** Rows whose jsonl lines an append failed to write (a full disk): written again after the next commit. */
  jsonl;
  /** Ops whose writer asked for no insight jobs. */
  quietOps = /* @__PURE__ */ new WeakSet();
  constructor(opts) {
    this.opts = { flushDelayMs: 10, maxBatch: 2e3, sliceOps: 256, maxBacklog: 5e5, recover: true, ...opts, inTransaction: opts.inTransaction ?? (() => {
    }) };
    this.documentsDir = opts.documentsDir;
    ensureDocumentsDir(opts.documentsDir);
    if (this.opts.recover)
      repairAllJsonl(opts.documentsDir);
    this.db = new Database(privateDatabaseFile(path4.join(opts.documentsDir, "sessions.db")));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 200");
    this.db.pragma("foreign_keys = OFF");
    migrate(this.db);
    if (this.opts.recover)
      this.recoverInterrupted();
    this.recordLegacyFolders();
    this.statements = this.prepare();
    this.jsonl = new JsonlWriter(this.db, (id) => this.sessionDir(id), opts.log, (message) => {
      this.health.lastError = message;
      this.health.lastErrorAt = (/* @__PURE__ */ new Date()).toISOString();
    });
    if (this.opts.recover)
      this.recoverJsonl();
  }
  prepare() {
    return {
      folder: this.db.prepare(`SELECT folder FROM sessions WHERE id = ?`).pluck(),
      pending: this.db.prepare(`INSERT OR REPLACE INTO jsonl_pending (id, sources) VALUES (1, ?)`),
      writers: prepareOpWriters(this.db)
    };
  }
  /** After a crash: what was in flight is marked, so no turn or request looks live forever. */
  recoverInterrupted() {
    this.db.prepare(`UPDATE requests SET outcome = 'interrupted', error = ? WHERE outcome IS NULL`).run(JSON.stringify({ message: "kx stopped before the response ended" }));
    const open = this.db.prepare(`SELECT id AS turnId, session_id AS sessionId FROM turns WHERE status = 'open'`).all();
    if (open.length === 0)
      return;
    const endedAt = (/* @__PURE__ */ new Date()).toISOString();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE turns SET status = 'interrupted' WHERE status = 'open'`).run();
      const changes = open.map((t) => ({ op: "turn-status", rec: { ...t, status: "interrupted", endedAt } }));
      this.opts.inTransaction({ changes, endedTurns: open.map((t) => ({ ...t, status: "interrupted", insightJobs: true })) }, this.db);
    })();
  }
  /** Queues an op and returns its ticket (see `settled`). */
  enqueue(op, opts = {}) {
    const ticket = this.enqueued;
    if (this.closed)
      return ticket;
    this.enqueued++;
    if (opts.insightJobs === false)
      this.quietOps.add(op);
    this.queue.push(op);
    if (this.queue.length > this.opts.maxBacklog) {
      const drop = this.queue.length - this.opts.maxBacklog;
      this.queue.splice(0, drop);
      this.health.droppedOps += drop;
      this.dequeued += drop;
    }
    this.health.backlog = this.queue.length;
    if (this.queue.length >= this.opts.maxBatch && this.health.ok)
      this.schedule(0);
    else
      this.schedule(this.health.ok ? this.opts.flushDelayMs : this.retryDelayMs);
    return ticket;
  }
  /** Whether the op with this ticket has left the queue: committed (or dropped past the backlog bound). */
  settled(ticket) {
    return ticket < this.dequeued;
  }
  schedule(delay) {
    if (this.timer && delay > 0)
      return;
    if (this.timer)
      clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const commit = () => {
        this.timer = void 0;
        if (this.commitNext(this.opts.sliceOps) && this.queue.length > 0)
          this.schedule(0);
      };
      if (this.opts.scheduler)
        this.opts.scheduler.whenQuiet(commit);
      else
        commit();
    }, delay);
    this.timer.unref?.();
  }
  /** Commits everything queued. Safe to call any time; failures keep the ops for a retry. */
  flush() {
    while (this.queue.length > 0)
      if (!this.commitNext(this.opts.maxBatch))
        return;
  }
  /** Commits up to `limit` queued ops in one transaction; false when the store refused them (kept for a retry). */
  commitNext(limit) {
    if (this.queue.length === 0)
      return true;
    const batch = this.queue.slice(0, limit);
    let written;
    let effects;
    try {
      this.faultInjector?.();
      ({ written, effects } = this.commit(batch));
    } catch (err) {
      this.onFailure(err);
      return false;
    }
    this.queue.splice(0, batch.length);
    this.dequeued += batch.length;
    this.health.committedOps += batch.length;
    this.health.backlog = this.queue.length;
    if (!this.health.ok) {
      this.health.ok = true;
      this.opts.log?.({ level: "info", msg: "store recovered", backlog: this.queue.length });
    }
    this.retryDelayMs = 50;
    this.afterCommit(batch, written, effects);
    return true;
  }
  /** Commits the batch; `written` is its ops less the items the database already had, which get no jsonl line. */
  commit(batch) {
    const duplicates = /* @__PURE__ */ new Set();
    const s = this.statements;
    const pending = this.jsonl.pendingWith(batch);
    return this.db.transaction(() => {
      const changes = [];
      const endedTurns = [];
      s.pending.run(pending);
      const firstMessage = /* @__PURE__ */ new Map();
      for (const op of batch) {
        if (op.op === "item" && op.rec.kind === "human_message" && op.rec.text && !firstMessage.has(op.rec.sessionId))
          firstMessage.set(op.rec.sessionId, op.rec.text);
      }
      for (const op of batch) {
        const outcome = writeOp(s.writers, op, { firstMessage });
        if (outcome.changed)
          changes.push(op);
        if (outcome.duplicate)
          duplicates.add(op);
        if (outcome.endedTurn)
          endedTurns.push({ ...outcome.endedTurn, insightJobs: !this.quietOps.has(op) });
      }
      const effects = { changes, endedTurns };
      this.opts.inTransaction(effects, this.db);
      return { written: duplicates.size ? batch.filter((op) => !duplicates.has(op)) : batch, effects };
    })();
  }
  /** `written` is the batch less the items the database already had: only those get jsonl lines. */
  afterCommit(batch, written, effects) {
    this.jsonl.append(written);
    this.health.jsonlBehind = this.jsonl.behind;
    const items = effects.changes.flatMap((op) => op.op === "item" ? [op.rec] : []);
    this.announce({ items, ops: batch, changes: effects.changes, endedTurns: effects.endedTurns });
  }
  /**
   * Each listener on its own: one that throws neither stops the listeners after it (insight, console
   * and learn mode all listen) nor stalls the store.
   */
  announce(batch) {
    for (const listener of this.events.listeners("stored")) {
      try {
        listener(batch);
      } catch (err) {
        this.opts.log?.({ level: "error", msg: "store subscriber failed", error: err.message });
      }
    }
  }
  /** The folder of a session's jsonl files, as recorded on its row. */
  sessionDir(sessionId) {
    let folder = this.folders.get(sessionId);
    if (folder === void 0) {
      folder = this.statements.folder.get(sessionId) ?? sessionFolderName(sessionId);
      this.folders.set(sessionId, folder);
    }
    return path4.join(this.documentsDir, folder);
  }
  /**
   * Sessions stored before folders were recorded keep the folder their files are already in; one
   * whose folder does not exist gets the name new sessions get.
   */
  recordLegacyFolders() {
    const rows = this.db.prepare(`SELECT id FROM sessions WHERE folder IS NULL`).pluck().all();
    if (rows.length === 0)
      return;
    const set = this.db.prepare(`UPDATE sessions SET folder = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const id of rows) {
        const legacy = legacyFolderName(id);
        const exists = fs3.statSync(path4.join(this.documentsDir, legacy), { throwIfNoEntry: false })?.isDirectory() ?? false;
        set.run(exists ? legacy : sessionFolderName(id), id);
      }
    })();
  }
  /** Writes the lines a crash kept from the jsonl files after their rows were committed. */
  recoverJsonl() {
    const row = this.db.prepare(`SELECT sources FROM jsonl_pending WHERE id = 1`).get();
    if (!row)
      return;
    try {
      const written = appendMissingLines(this.db, (id) => this.sessionDir(id), JSON.parse(row.sources));
      if (written)
        this.opts.log?.({ level: "warn", msg: "jsonl lines restored after an interrupted write", lines: written });
      this.db.prepare(`DELETE FROM jsonl_pending`).run();
    } catch (err) {
      this.opts.log?.({ level: "error", msg: "jsonl recovery failed", error: err.message });
    }
  }
  onFailure(err) {
    const first = this.health.ok;
    this.health.ok = false;
    this.health.lastError = err.message;
    this.health.lastErrorAt = (/* @__PURE__ */ new Date()).toISOString();
    if (first)
      this.opts.log?.({ level: "error", msg: "store write failed; keeping ops in memory and retrying", error: err.message });
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 2e3);
    this.schedule(this.retryDelayMs);
    if (this.events.listenerCount("error") > 0)
      this.events.emit("error", err);
  }
  /** `ok` is false while the database refuses writes or the jsonl files cannot be appended to. */
  getHealth() {
    return { ...this.health, ok: this.health.ok && !this.jsonl.isFailing, backlog: this.queue.length };
  }
  close() {
    if (this.closed)
      return;
    if (this.timer)
      clearTimeout(this.timer);
    this.timer = void 0;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }
};

// dist/insight/commit-hook.js
function insightCommitHook(mode) {
  let statements;
  const prepare = (db) => ({
    project: db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`),
    // A folder already known keeps the id it was given, whatever shape ids had then.
    projectByName: db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck(),
    sessionProject: db.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`),
    sessionCwd: db.prepare(`UPDATE sessions SET cwd = ?, project = ? WHERE id = ? AND cwd IS NULL`),
    projectOf: db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck(),
    dropPlaceholder: db.prepare(`DELETE FROM projects WHERE id = @id AND (name LIKE 'client: %' OR name = 'unknown client')
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE project = @id) AND NOT EXISTS (SELECT 1 FROM gaps WHERE project = @id)`)
  });
  return (effects, db) => {
    statements ??= prepare(db);
    const s = statements;
    const storedId = (name) => s.projectByName.get(name);
    for (const op of effects.changes) {
      if (op.op === "session") {
        const p = decideProject({ cwd: op.rec.cwd, client: op.rec.client, storedId });
        s.project.run(p.id, p.name ?? p.id, op.rec.startedAt);
        if (op.rec.cwd)
          s.sessionCwd.run(op.rec.cwd, p.id, op.rec.id);
        else
          s.sessionProject.run(p.id, op.rec.id);
      } else if (op.op === "item" && statesCwd(op.rec.kind)) {
        const cwd = cwdOfContext(op.rec.text);
        if (!cwd)
          continue;
        const p = decideProject({ cwd, storedId });
        const before = s.projectOf.get(op.rec.sessionId);
        s.project.run(p.id, cwd, op.rec.createdAt);
        if (s.sessionCwd.run(cwd, p.id, op.rec.sessionId).changes === 1 && before && before !== p.id)
          s.dropPlaceholder.run({ id: before });
      }
    }
    if (mode !== "turn")
      return;
    for (const turn of effects.endedTurns)
      if (turn.insightJobs)
        createJob(db, "turn", turn.turnId, turn.sessionId);
  };
}

// dist/protocol/human-text.js
var INJECTED_MARKERS = [
  [/^<environment_context>/i, "</environment_context>"],
  [/^# AGENTS\.md instructions for /i, "</INSTRUCTIONS>"],
  [/^<user_instructions>/i, "</user_instructions>"],
  [/^<skill>/i, "</skill>"],
  [/^<user_shell_command>/i, "</user_shell_command>"],
  [/^<turn_aborted>/i, "</turn_aborted>"],
  [/^<subagent_notification>/i, "</subagent_notification>"],
  [/^<additional_context>/i, "</additional_context>"],
  [/^<agent_message_board_notification>/i, "</agent_message_board_notification>"]
];
function isInjectedText(text) {
  const t = text.trim();
  return INJECTED_MARKERS.some(([open, close]) => open.test(t) && t.toLowerCase().endsWith(close.toLowerCase()));
}
function isImageWrapper(text) {
  const t = text.trim();
  return /^<image\b[^>]*>$/i.test(t) || /^<\/image>$/i.test(t);
}
function splitUserMessage(parts, isContext) {
  const human = [];
  const injected = [];
  let images = 0;
  for (const part of parts) {
    const fromUser = part.provenance ? part.provenance === "user" : void 0;
    if (part.isImage) {
      if (fromUser !== false)
        images++;
      continue;
    }
    const text = part.text ?? "";
    if (fromUser === false || fromUser === void 0 && (isInjectedText(text) || isContext?.(text) === true)) {
      injected.push(text);
    } else if (!isImageWrapper(text)) {
      human.push(text);
    }
  }
  return { human, injected, images };
}

// dist/capture/session-identity.js
import { createHash } from "node:crypto";
function identifySession(req, sessionOfResponse) {
  const m = req.request.meta;
  if (m.sessionId)
    return { id: m.sessionId, source: req.transport === "http" ? "header" : req.transport === "ws" ? "client_metadata" : "rollout" };
  if (m.promptCacheKey)
    return { id: m.promptCacheKey, source: "prompt_cache_key" };
  if (m.previousResponseId) {
    const chained = sessionOfResponse(m.previousResponseId);
    if (chained)
      return { id: chained, source: "previous_response" };
  }
  if (req.knownSession)
    return { id: req.knownSession, source: req.transport === "ws" ? "previous_response" : "fingerprint" };
  const firstHuman = req.request.input.find((i) => i.kind === "human_message");
  const typed = typeof firstHuman?.detail?.originalText === "string" ? firstHuman.detail.originalText : firstHuman?.text;
  const basis = `${req.client ?? req.userAgent ?? ""}\0${typed ?? req.request.input[0]?.text ?? ""}`;
  return { id: `fp-${createHash("sha256").update(basis).digest("hex").slice(0, 24)}`, source: "fingerprint" };
}

// dist/capture/dedup-key.js
import { createHash as createHash2 } from "node:crypto";
var hash = (s) => createHash2("sha1").update(s).digest("base64url").slice(0, 22);
function contentKeyed(item) {
  return item.kind === "instructions" || item.kind === "injected_context";
}
function baseKey(item) {
  if (contentKeyed(item))
    return { key: `c:${hash(`${item.kind}|${item.role ?? ""}|${item.text ?? ""}`)}`, needsOrdinal: false };
  if (item.itemId)
    return { key: `id:${item.itemId}`, needsOrdinal: false };
  if (item.callId && item.kind === "tool_call")
    return { key: `call:${item.callId}`, needsOrdinal: false };
  if (item.callId && item.kind === "tool_output")
    return { key: `out:${item.callId}`, needsOrdinal: false };
  const body = [item.kind, item.itemType === "chat_message" ? "m" : item.itemType, item.role ?? "", item.text ?? "", item.arguments ?? "", item.output ?? ""];
  return { key: `h:${hash(body.join("\0"))}`, needsOrdinal: true };
}
var OrdinalCounter = class _OrdinalCounter {
  counts;
  constructor(counts = /* @__PURE__ */ new Map()) {
    this.counts = counts;
  }
  keyFor(item) {
    const { key, needsOrdinal } = baseKey(item);
    if (!needsOrdinal)
      return key;
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    return `${key}#${n}`;
  }
  /** The counts a conversation had when these keys were stored: the next of each gets a fresh ordinal. */
  static fromKeys(keys) {
    const counts = /* @__PURE__ */ new Map();
    for (const k of keys) {
      const hashAt = k.lastIndexOf("#");
      if (!k.startsWith("h:") || hashAt < 0)
        continue;
      const base = k.slice(0, hashAt);
      const n = Number(k.slice(hashAt + 1)) + 1;
      if (n > (counts.get(base) ?? 0))
        counts.set(base, n);
    }
    return new _OrdinalCounter(counts);
  }
  clone() {
    return new _OrdinalCounter(new Map(this.counts));
  }
};

// dist/capture/redact-path.js
var CREDENTIAL_PARAM = /^(?:(?:api[-_]?)?key|apikey|(?:access[-_]|refresh[-_]|id[-_])?token|auth|authorization|sig|signature|secret|client[-_]secret|password|passwd|pwd|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;
function isCredentialName(name) {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
  }
  return CREDENTIAL_PARAM.test(decoded) || /(?:secret|password|token|api[-_]?key)/i.test(decoded);
}
function redactPath(path5) {
  const q = path5.indexOf("?");
  if (q < 0)
    return redact(path5);
  const query = path5.slice(q + 1).split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && isCredentialName(name) ? `${name}=[REDACTED]` : pair;
  });
  return redact(`${path5.slice(0, q)}?${query.join("&")}`);
}

// dist/capture/session-tracker.js
var MAX_SESSIONS_IN_MEMORY = 2e3;
var MAX_RESPONSE_IDS = 2e4;
var SessionTracker = class {
  sink;
  sessions = /* @__PURE__ */ new Map();
  responseSessions = new j({ max: MAX_RESPONSE_IDS });
  constructor(sink) {
    this.sink = sink;
  }
  /** Identity order: headers/metadata, prompt_cache_key, previous_response_id chain, fingerprint (session-identity.ts). */
  resolveSession(req) {
    return req.session ?? identifySession(req, (id) => this.sessionOfResponse(id));
  }
  /** The session a response id belongs to: recent answers in memory, else the store. */
  sessionOfResponse(responseId) {
    return this.responseSessions.get(responseId) ?? this.sink.sessionOfResponse(responseId);
  }
  state(id, source, req) {
    let s = this.sessions.get(id);
    if (s) {
      this.sessions.delete(id);
      this.sessions.set(id, s);
      return s;
    }
    const resumed = this.sink.resumeState(id);
    s = {
      id,
      known: resumed?.dedupKeys ?? /* @__PURE__ */ new Set(),
      itemSeq: resumed?.maxItemSeq ?? 0,
      turnSeq: resumed?.maxTurnSeq ?? 0,
      turnId: resumed?.lastTurnId,
      clientTurnId: void 0,
      counts: resumed ? OrdinalCounter.fromKeys(resumed.dedupKeys) : new OrdinalCounter(),
      lastOp: void 0,
      inFlight: 0
    };
    if (!resumed) {
      const cwd = cwdOfInput(req.request.input);
      this.enqueue(s, {
        op: "session",
        rec: {
          id,
          identifiedBy: source,
          ...req.client ? { client: req.client } : {},
          ...req.userAgent ? { userAgent: req.userAgent } : {},
          ...cwd ? { cwd } : {},
          startedAt: req.startedAtIso
        }
      });
    }
    this.sessions.set(id, s);
    this.evict();
    return s;
  }
  /**
   * Forgets the least recently used sessions past the bound, but only those the store already has:
   * one whose ops still wait in the store's queue (the database refusing writes) would be resumed
   * from a database that lacks them, and be started again with clashing turns and lines.
   * One still waiting goes to the back of the line; a few are tried per call, so this stays cheap.
   * Not a plain LRU (an entry may refuse to go), so not lru-cache: its eviction cannot say no.
   */
  evict() {
    for (let tries = 0; this.sessions.size > MAX_SESSIONS_IN_MEMORY && tries < 8; tries++) {
      const oldest = this.sessions.entries().next().value;
      if (!oldest)
        return;
      const [id, st] = oldest;
      this.sessions.delete(id);
      const stored = st.inFlight === 0 && (st.lastOp === void 0 || (this.sink.settled?.(st.lastOp) ?? true));
      if (!stored)
        this.sessions.set(id, st);
    }
  }
  enqueue(s, op) {
    const ticket = this.sink.enqueue(op);
    if (s && typeof ticket === "number")
      s.lastOp = ticket;
  }
  startTurn(s, at, clientTurnId) {
    if (s.turnId)
      this.enqueue(s, { op: "turn-status", rec: { turnId: s.turnId, sessionId: s.id, status: "completed", endedAt: at, onlyIfOpen: true } });
    s.turnSeq++;
    s.turnId = newId("t");
    s.clientTurnId = clientTurnId;
    this.enqueue(s, {
      op: "turn",
      rec: { id: s.turnId, sessionId: s.id, seq: s.turnSeq, ...clientTurnId ? { clientTurnId } : {}, startedAt: at }
    });
  }
  /** `turnId` is the turn of the request the item came with: concurrent requests may each have their own. */
  itemRecord(s, item, key, turnId, requestId, direction, at) {
    s.known.add(key);
    s.itemSeq++;
    const rec = {
      id: newId("i"),
      sessionId: s.id,
      requestId,
      seq: s.itemSeq,
      direction,
      kind: item.kind,
      itemType: item.itemType,
      dedupKey: key,
      createdAt: at
    };
    if (turnId)
      rec.turnId = turnId;
    if (item.role)
      rec.role = item.role;
    if (item.itemId)
      rec.protocolId = item.itemId;
    if (item.callId)
      rec.callId = item.callId;
    if (item.toolName)
      rec.toolName = item.toolName;
    if (item.text !== void 0)
      rec.text = storedText(item.text);
    if (item.arguments !== void 0)
      rec.arguments = storedText(item.arguments);
    if (item.output !== void 0)
      rec.output = storedText(item.output);
    if (item.status)
      rec.status = item.status;
    if (item.detail)
      rec.detail = redactDeep(item.detail);
    return rec;
  }
  beginRequest(req) {
    const { id: sessionId, source } = this.resolveSession(req);
    const s = this.state(sessionId, source, req);
    const requestId = newId("r");
    const meta = req.request.meta;
    const background = Boolean(meta.subagent) || req.background === true;
    const mayStartTurn = !background && meta.requestKind !== "compaction" && meta.requestKind !== "prewarm";
    const counts = req.prefixCounts?.clone() ?? (meta.previousResponseId ? s.counts.clone() : new OrdinalCounter());
    const records = [];
    let newItems = 0;
    const input = [...req.request.input];
    const keys = input.map((item) => counts.keyFor(item));
    if (req.prefilledContext) {
      const end = prefilledContextEnd(input, (_item, i) => s.known.has(keys[i]));
      for (let i = 0; i < end; i++) {
        const item = input[i];
        if (item.kind !== "human_message")
          continue;
        input[i] = { ...item, kind: "injected_context" };
        keys[i] = baseKey(input[i]).key;
      }
    }
    if (req.background) {
      input.forEach((item, i) => {
        if (item.kind !== "human_message")
          return;
        input[i] = { ...item, kind: "injected_context" };
        keys[i] = baseKey(input[i]).key;
      });
    }
    const turnOf = () => req.background ? void 0 : s.turnId;
    input.forEach((item, i) => {
      const key = keys[i];
      if (s.known.has(key))
        return;
      if (req.prefilledContext && item.kind === "human_message" && s.known.has(baseKey({ ...item, kind: "injected_context" }).key))
        return;
      const at = req.inputTimes?.[i] ?? req.startedAtIso;
      if (item.kind === "human_message" && mayStartTurn)
        this.startTurn(s, at, meta.turnId);
      records.push(this.itemRecord(s, item, key, turnOf(), requestId, "input", at));
      newItems++;
    });
    s.counts = counts;
    const requestKind = background ? "background" : meta.requestKind ?? (req.request.generate ? void 0 : "prewarm");
    s.inFlight++;
    this.enqueue(s, {
      op: "request",
      rec: {
        id: requestId,
        sessionId,
        ...turnOf() ? { turnId: turnOf() } : {},
        transport: req.transport,
        api: req.request.api,
        method: req.method,
        path: redactPath(req.path),
        ...req.upstream ? { upstream: req.upstream } : {},
        ...req.request.model ? { model: req.request.model } : {},
        ...requestKind ? { requestKind } : {},
        startedAt: req.startedAtIso,
        ...meta.previousResponseId ? { previousResponseId: meta.previousResponseId } : {},
        newItems,
        skippedItems: req.skippedItems + (input.length - newItems),
        parseErrors: 0
      }
    });
    for (const rec of records)
      this.enqueue(s, { op: "item", rec });
    return { requestId, sessionId, turnId: turnOf(), startedAtIso: req.startedAtIso, counts };
  }
  finishRequest(ctx, summary, facts) {
    const s = this.sessions.get(ctx.sessionId);
    if (summary.responseId) {
      this.responseSessions.set(summary.responseId, ctx.sessionId);
    }
    if (s) {
      summary.output.forEach((item, i) => {
        const key = s.counts.keyFor(item);
        if (s.known.has(key))
          return;
        const at = facts.outputTimes?.[i] ?? facts.endedAtIso;
        this.enqueue(s, { op: "item", rec: this.itemRecord(s, item, key, ctx.turnId, ctx.requestId, "output", at) });
      });
    }
    if (s)
      s.inFlight = Math.max(0, s.inFlight - 1);
    const outcome = facts.outcome ?? (summary.status === "in_progress" ? "cut" : summary.status);
    this.enqueue(s, {
      op: "request-result",
      rec: {
        requestId: ctx.requestId,
        sessionId: ctx.sessionId,
        ...ctx.turnId ? { turnId: ctx.turnId } : {},
        ...facts.firstByteMs !== void 0 ? { firstByteMs: facts.firstByteMs } : {},
        durationMs: facts.durationMs,
        ...facts.statusCode !== void 0 ? { statusCode: facts.statusCode } : {},
        outcome,
        ...summary.responseId ? { responseId: summary.responseId } : {},
        ...summary.usage ? { usage: summary.usage } : {},
        ...summary.error ? { error: { ...summary.error, message: redact(summary.error.message) } } : {},
        parseErrors: summary.parseErrors,
        events: summary.events,
        endedAt: facts.endedAtIso
      }
    });
    if (ctx.turnId) {
      const status = turnStatusAfter(outcome, summary.output.some((i) => i.kind === "tool_call"));
      this.enqueue(s, { op: "turn-status", rec: { turnId: ctx.turnId, sessionId: ctx.sessionId, status, endedAt: facts.endedAtIso } });
    }
  }
  captureError(stage, message, ctx) {
    this.sink.enqueue({
      op: "capture-error",
      rec: {
        ts: (/* @__PURE__ */ new Date()).toISOString(),
        stage,
        message: redact(message),
        ...ctx?.sessionId ? { sessionId: ctx.sessionId } : {},
        ...ctx?.requestId ? { requestId: ctx.requestId } : {}
      }
    });
  }
};
function turnStatusAfter(outcome, askedForTool) {
  if (outcome === "completed")
    return askedForTool ? "open" : "completed";
  if (outcome === "aborted")
    return "interrupted";
  return "failed";
}

// dist/protocol/responses-items.js
var TOOL_CALL_TYPES = /* @__PURE__ */ new Set([
  "function_call",
  "custom_tool_call",
  "local_shell_call",
  "web_search_call",
  "file_search_call",
  "computer_call",
  "code_interpreter_call",
  "image_generation_call",
  "tool_search_call",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request"
]);
var TOOL_OUTPUT_TYPES = /* @__PURE__ */ new Set([
  "function_call_output",
  "custom_tool_call_output",
  "local_shell_call_output",
  "computer_call_output",
  "tool_search_output",
  "mcp_approval_response"
]);
function contentText(content) {
  if (typeof content === "string")
    return content;
  if (!Array.isArray(content))
    return "";
  const texts = [];
  for (const part of content) {
    if (typeof part === "string")
      texts.push(part);
    else if (isObject(part)) {
      const t = str(part.text) ?? str(part.refusal);
      if (t !== void 0)
        texts.push(t);
    }
  }
  return texts.join("");
}
function contentParts(item) {
  const content = item.content;
  if (typeof content === "string")
    return [{ text: content, isImage: false }];
  if (!Array.isArray(content))
    return [];
  const meta = isObject(item.internal_chat_message_metadata_passthrough) ? item.internal_chat_message_metadata_passthrough : void 0;
  const partMeta = meta && Array.isArray(meta.content_item_metadata) ? meta.content_item_metadata : [];
  return content.map((part, i) => {
    const m = partMeta[i];
    const provenance = isObject(m) && isObject(m.provenance) ? str(m.provenance.type) : void 0;
    if (!isObject(part))
      return { text: str(part), isImage: false, provenance };
    const type = str(part.type) ?? "";
    const isImage = type.includes("image") || type === "input_file" || type === "input_audio";
    return { text: str(part.text), isImage, provenance };
  });
}
function humanTextPartIndexes(item) {
  if (!isObject(item) || typeof item.content === "string")
    return isObject(item) && typeof item.content === "string" ? [-1] : [];
  const out = [];
  contentParts(item).forEach((part, i) => {
    if (part.isImage || part.text === void 0)
      return;
    const fromUser = part.provenance ? part.provenance === "user" : !isInjectedText(part.text) && !isImageWrapper(part.text);
    if (fromUser)
      out.push(i);
  });
  return out;
}
function messageItem(item, base) {
  const role = str(item.role) ?? "user";
  if (role === "user") {
    const { human, injected, images } = splitUserMessage(contentParts(item));
    if (human.length > 0 || images > 0) {
      const detail = {};
      if (images)
        detail.images = images;
      if (injected.length)
        detail.injectedParts = injected.length;
      return { ...base, kind: "human_message", role, text: human.join("\n"), ...Object.keys(detail).length ? { detail } : {} };
    }
    return { ...base, kind: "injected_context", role, text: injected.join("\n") };
  }
  if (role === "assistant") {
    const phase = str(item.phase);
    return { ...base, kind: "assistant_message", role, text: contentText(item.content), ...phase ? { detail: { phase } } : {} };
  }
  return { ...base, kind: "instructions", role, text: contentText(item.content) };
}
function outputText(output) {
  if (typeof output === "string")
    return output;
  if (Array.isArray(output))
    return contentText(output);
  if (isObject(output))
    return JSON.stringify(output);
  return "";
}
function toolCallArguments(item) {
  const args = str(item.arguments) ?? str(item.input);
  if (args !== void 0)
    return args;
  if (isObject(item.action))
    return JSON.stringify(item.action);
  return void 0;
}
function toolName(type, item) {
  const name = str(item.name);
  const ns = str(item.namespace) ?? str(item.server_label);
  if (name)
    return ns ? `${ns}.${name}` : name;
  return type.replace(/_call$/, "");
}
function parseResponsesItem(raw) {
  if (!isObject(raw))
    return { kind: "other", itemType: typeof raw };
  const itemType = str(raw.type) ?? (raw.role ? "message" : "unknown");
  const base = {
    itemType,
    ...str(raw.id) ? { itemId: str(raw.id) } : {},
    ...str(raw.status) ? { status: str(raw.status) } : {}
  };
  const callId = str(raw.call_id);
  if (itemType === "message")
    return messageItem(raw, base);
  if (itemType === "reasoning") {
    const summary = Array.isArray(raw.summary) ? contentText(raw.summary) : "";
    return { ...base, kind: "reasoning", text: summary };
  }
  if (TOOL_CALL_TYPES.has(itemType)) {
    const args = toolCallArguments(raw);
    const detail = {};
    if (isObject(raw.action))
      detail.action = raw.action;
    if (str(raw.server_label))
      detail.server = raw.server_label;
    const output = raw.output !== void 0 && raw.output !== null ? outputText(raw.output) : void 0;
    return {
      ...base,
      kind: "tool_call",
      toolName: toolName(itemType, raw),
      ...callId ? { callId } : {},
      ...args !== void 0 ? { arguments: args } : {},
      ...output !== void 0 ? { output } : {},
      ...Object.keys(detail).length ? { detail } : {}
    };
  }
  if (TOOL_OUTPUT_TYPES.has(itemType)) {
    return { ...base, kind: "tool_output", ...callId ? { callId } : {}, output: outputText(raw.output) };
  }
  if (itemType === "compaction" || itemType === "compaction_trigger" || itemType === "context_compaction") {
    return { ...base, kind: "compaction", text: itemType };
  }
  if (itemType === "additional_tools") {
    const tools = Array.isArray(raw.tools) ? raw.tools.length : 0;
    return { ...base, kind: "instructions", role: str(raw.role) ?? "developer", text: `additional_tools (${tools} groups)` };
  }
  return { ...base, kind: "other" };
}

export {
  isInjectedText,
  splitUserMessage,
  contentText,
  humanTextPartIndexes,
  parseResponsesItem,
  identifySession,
  SessionTracker,
  appendPrivate,
  SessionReader,
  SessionStore,
  insightCommitHook
};
