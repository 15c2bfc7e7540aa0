import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/capture/project.js
import crypto from "node:crypto";

// dist/protocol/json-guards.js
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var str = (v) => typeof v === "string" ? v : void 0;

// dist/protocol/request-meta.js
var nonEmpty = (v) => typeof v === "string" && v.length > 0 ? v : void 0;
var utf8 = new TextDecoder("utf-8", { fatal: true });
function headerText(v) {
  if (/^[\x00-\x7f]*$/.test(v) || /[^\x00-\xff]/.test(v))
    return v;
  try {
    return utf8.decode(Buffer.from(v, "latin1"));
  } catch {
    return v;
  }
}
function header(headers, name) {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return nonEmpty(first === void 0 ? void 0 : headerText(first));
}
function turnMetadata(raw) {
  if (typeof raw !== "string")
    return {};
  try {
    const parsed = JSON.parse(raw);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
function bodyMeta(body) {
  const cm = isObject(body.client_metadata) ? body.client_metadata : {};
  const tm = turnMetadata(cm["x-codex-turn-metadata"]);
  const meta = {};
  const sessionId = nonEmpty(cm.session_id) ?? nonEmpty(cm.thread_id) ?? nonEmpty(tm.session_id) ?? nonEmpty(tm.thread_id);
  const turnId = nonEmpty(cm.turn_id) ?? nonEmpty(tm.turn_id);
  const requestKind = nonEmpty(tm.request_kind);
  if (sessionId)
    meta.sessionId = sessionId;
  if (turnId)
    meta.turnId = turnId;
  if (requestKind)
    meta.requestKind = requestKind;
  const pck = nonEmpty(body.prompt_cache_key);
  if (pck)
    meta.promptCacheKey = pck;
  const prev = nonEmpty(body.previous_response_id);
  if (prev)
    meta.previousResponseId = prev;
  return meta;
}
function headerMeta(headers) {
  const meta = {};
  const tm = turnMetadata(header(headers, "x-codex-turn-metadata"));
  const sessionId = header(headers, "session-id") ?? header(headers, "thread-id") ?? header(headers, "session_id") ?? header(headers, "conversation_id") ?? nonEmpty(tm.session_id);
  if (sessionId)
    meta.sessionId = sessionId;
  const turnId = nonEmpty(tm.turn_id);
  if (turnId)
    meta.turnId = turnId;
  const kind = nonEmpty(tm.request_kind);
  if (kind)
    meta.requestKind = kind;
  const subagent = header(headers, "x-openai-subagent");
  if (subagent)
    meta.subagent = subagent;
  return meta;
}
function mergeMeta(primary, fallback) {
  return { ...fallback, ...primary };
}

// dist/capture/client-rules.js
var part = (tag) => [new RegExp(`^<${tag}>`), new RegExp(`</${tag}>$`)];
var CLIENT_RULES = [
  {
    name: "codex",
    recognise: { userAgent: /^codex/i, header: "originator" },
    sessionHeader: "session-id",
    // Codex marks its own background work with x-openai-subagent (request-meta.ts), not by prompt.
    background: [],
    context: [part("environment_context"), part("user_instructions"), part("skill")],
    cwdWhere: "user message <environment_context><cwd>\u2026</cwd>"
  },
  {
    name: "opencode",
    recognise: { userAgent: /^opencode\//i },
    sessionHeader: "x-session-id",
    background: [/^You are a title generator/, /^You are a context summarization agent/, /^Summarize what was done in this conversation/],
    context: [],
    cwdWhere: 'system prompt <env> block, "Working directory: \u2026"'
  },
  {
    name: "qwen-code",
    recognise: { userAgent: /^QwenCode\//i },
    sessionHeader: null,
    background: [
      /^You are now acting as the managed memory extraction subagent/,
      /^You are performing a managed memory dream/,
      /^You are saving one explicit durable memory/,
      /^You are the component that summarizes a conversation/,
      /^You are a specialized context summarizer/
    ],
    // Its Gemini-style preamble, skills, tools and date arrive as <system-reminder> parts of the user message.
    context: [part("system-reminder")],
    cwdWhere: `user message preamble, "I'm currently working in the directory: \u2026"`
  },
  {
    name: "pi",
    // pi sends the OpenAI SDK's user agent; its system prompt names it.
    recognise: { systemPrompt: /operating inside pi, a coding agent harness/ },
    sessionHeader: null,
    background: [/^You are a context summarization assistant/],
    context: [],
    cwdWhere: 'system prompt, "Current working directory: \u2026"'
  }
];
function ruleFor(headers, system) {
  const ua = header(headers, "user-agent") ?? "";
  return CLIENT_RULES.find((r) => r.recognise.userAgent?.test(ua)) ?? CLIENT_RULES.find((r) => r.recognise.header !== void 0 && header(headers, r.recognise.header) !== void 0) ?? (system ? CLIENT_RULES.find((r) => r.recognise.systemPrompt?.test(system)) : void 0);
}
function clientSessionId(rule, headers) {
  return rule?.sessionHeader ? header(headers, rule.sessionHeader) : void 0;
}
var GENERAL_BACKGROUND = /\b(title|titles|summar(y|ies|ize|ise|izing|ising|ization|isation))\b/i;
function isBackgroundCall(rule, req) {
  const system = (req.system ?? "").trimStart();
  if (rule?.background.some((re) => re.test(system)))
    return true;
  return !req.hasTools && GENERAL_BACKGROUND.test(system.slice(0, 300));
}
function isClientContext(rule, text) {
  const t = text.trim();
  return (rule?.context ?? []).some(([open, close]) => open.test(t) && close.test(t));
}
var CWD_STATEMENTS = [
  /<environment_context>[\s\S]*?<cwd>([^<\n]+)<\/cwd>/,
  // Codex
  /<env>[\s\S]*?Working directory:[ \t]*([^\n<]+)/,
  // opencode
  /I'm currently working in the directory:[ \t]*([^\n<]+)/,
  // Gemini CLI, Qwen Code
  /Current working directory:[ \t]*([^\n<]+)/
  // pi
];
function cwdOfText(text) {
  if (!text)
    return void 0;
  for (const re of CWD_STATEMENTS) {
    const cwd = re.exec(text)?.[1]?.trim();
    if (cwd)
      return cwd;
  }
  return void 0;
}
function prefilledContextEnd(input, received) {
  let end = 0;
  input.forEach((item, i) => {
    if (item.kind === "assistant_message" && !received(item, i))
      end = i;
  });
  return end;
}
function chatClientFacts(headers, request, top) {
  const system = request.input.find((i) => i.kind === "instructions")?.text;
  const rule = ruleFor(headers, system);
  const sessionId = clientSessionId(rule, headers);
  const hasTools = Array.isArray(top.tools) && top.tools.length > 0;
  return {
    // Codex keeps the client name its originator header gives (codex_exec, codex_cli_rs).
    ...rule && rule.name !== "codex" ? { client: rule.name } : {},
    ...sessionId ? { sessionId } : {},
    ...isBackgroundCall(rule, { headers, ...system !== void 0 ? { system } : {}, hasTools }) ? { background: true } : {},
    // Known clients' context is in the table; the prefilled-exchange rule is for the others.
    ...rule ? {} : { prefilledContext: true }
  };
}

// dist/capture/project.js
function cwdOfContext(text) {
  return cwdOfText(text);
}
var statesCwd = (kind) => kind === "injected_context" || kind === "instructions";
function cwdOfInput(input) {
  for (const item of input) {
    if (!statesCwd(item.kind))
      continue;
    const cwd = cwdOfContext(item.text);
    if (cwd)
      return cwd;
  }
  return void 0;
}
function projectSlug(name) {
  const hash = crypto.createHash("sha256").update(name).digest("hex").slice(0, 6);
  const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const folders = name.split(/[\\/]+/).filter(Boolean);
  const last = folders.length > 1 || name.startsWith("/") ? slug(folders.at(-1) ?? "") : slug(name);
  const words = last.length > 40 ? last.slice(0, 40).replace(/-+$/, "") : last;
  return `${words || "project"}-${hash}`;
}
function clientProject(client) {
  return client ? `client: ${client}` : "unknown client";
}
function decideProject(f) {
  if (f.cwd)
    return { id: f.storedId?.(f.cwd) ?? projectSlug(f.cwd), name: f.cwd, source: "cwd" };
  if (f.recorded)
    return { id: f.recorded, name: void 0, source: "recorded" };
  const name = clientProject(f.client);
  return { id: f.storedId?.(name) ?? projectSlug(name), name, source: "client" };
}

// dist/store/search-index.js
var ITEM_DOC_KIND = `CASE kind WHEN 'human_message' THEN 'human' WHEN 'assistant_message' THEN 'assistant'
  WHEN 'reasoning' THEN 'reasoning' WHEN 'tool_call' THEN 'tool_call' ELSE 'tool_output' END`;
var ITEM_TEXT = `replace(replace(CASE kind WHEN 'tool_call' THEN COALESCE(tool_name, '') || ' ' || COALESCE(arguments, '')
  WHEN 'tool_output' THEN COALESCE(output, '') ELSE COALESCE(text, '') END, char(1), ''), char(2), '')`;
var SEARCHABLE = `kind IN ('human_message', 'assistant_message', 'reasoning', 'tool_call', 'tool_output')`;
var ITEMS_INTO_INDEX = `
  INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project)
  SELECT ${ITEM_TEXT}, ${ITEM_DOC_KIND}, id, session_id, turn_id, NULL FROM items`;
var SEARCH_INDEX_MIGRATION = `
  CREATE VIRTUAL TABLE search_docs USING fts5(
    text, doc_kind UNINDEXED, ref_id UNINDEXED, session_id UNINDEXED, turn_id UNINDEXED, project UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  -- Documents that can be replaced (an insight re-run): their row in search_docs, by what they are.
  CREATE TABLE search_refs (doc_rowid INTEGER PRIMARY KEY, doc_kind TEXT NOT NULL, ref_id TEXT NOT NULL, UNIQUE (doc_kind, ref_id));
  -- Items up to this rowid are in the index.
  CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), items_rowid INTEGER NOT NULL);
  ${ITEMS_INTO_INDEX} WHERE ${SEARCHABLE} ORDER BY rowid;
  INSERT INTO search_state (id, items_rowid) SELECT 1, COALESCE(MAX(rowid), 0) FROM items;
`;
var MATCH_START = "";
var MATCH_END = "";
function toFtsQuery(words, match = "all", prefix = true) {
  const parts = words.split(/\s+/).map((w) => w.replace(/[\u0000-\u001f]/g, "")).filter((w) => /[\p{L}\p{N}]/u.test(w)).map((w) => `"${w.replace(/"/g, '""')}"`);
  if (parts.length === 0)
    return void 0;
  if (match === "any")
    return parts.join(" OR ");
  if (prefix)
    parts[parts.length - 1] += "*";
  return parts.join(" ");
}
var stripMarkers = (text) => text.replace(/[\u0001\u0002]/g, "");
var SearchIndex = class {
  db;
  hasSessionProject;
  constructor(db) {
    this.db = db;
    this.hasSessionProject = db.prepare(`PRAGMA table_info(sessions)`).all().some((c) => c.name === "project");
  }
  /** Indexes the items committed since the last call; run after each committed batch (and at start, after a crash). */
  catchUp() {
    return this.db.transaction(() => {
      const from = this.db.prepare(`SELECT items_rowid FROM search_state WHERE id = 1`).pluck().get();
      const to = this.db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM items`).pluck().get();
      if (to <= from)
        return 0;
      const added = this.db.prepare(`${ITEMS_INTO_INDEX} WHERE rowid > ? AND rowid <= ? AND ${SEARCHABLE} ORDER BY rowid`).run(from, to).changes;
      this.db.prepare(`UPDATE search_state SET items_rowid = ? WHERE id = 1`).run(to);
      return added;
    })();
  }
  /** Adds or replaces a document (an insight, summary or playbook the insight engine wrote). */
  indexDocument(doc) {
    this.db.transaction(() => {
      const old = this.db.prepare(`SELECT doc_rowid FROM search_refs WHERE doc_kind = ? AND ref_id = ?`).pluck().get(doc.docKind, doc.refId);
      if (old !== void 0)
        this.db.prepare(`DELETE FROM search_docs WHERE rowid = ?`).run(old);
      const { lastInsertRowid } = this.db.prepare(`INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project) VALUES (?, ?, ?, ?, ?, ?)`).run(stripMarkers(doc.text), doc.docKind, doc.refId, doc.sessionId, doc.turnId, doc.project);
      this.db.prepare(`INSERT OR REPLACE INTO search_refs (doc_rowid, doc_kind, ref_id) VALUES (?, ?, ?)`).run(lastInsertRowid, doc.docKind, doc.refId);
    })();
  }
  /** Ranked hits, best first. A query with no words finds nothing. */
  search(words, opts) {
    const match = toFtsQuery(words, opts.match, opts.window === void 0);
    if (!match)
      return [];
    const where = ["search_docs MATCH @match"];
    const params = { match, limit: opts.limit, offset: opts.offset ?? 0 };
    if (opts.excludeSession !== void 0) {
      params.excludeSession = opts.excludeSession;
      where.push(`(session_id IS NULL OR session_id != @excludeSession)`);
    }
    if (opts.kinds?.length) {
      where.push(`doc_kind IN (${opts.kinds.map((_, i) => `@k${i}`).join(", ")})`);
      opts.kinds.forEach((k, i) => params[`k${i}`] = k);
    }
    if (opts.project !== void 0) {
      params.project = opts.project;
      where.push(this.hasSessionProject ? `(project = @project OR session_id IN (SELECT id FROM sessions WHERE project = @project))` : `project = @project`);
    }
    if (opts.window !== void 0)
      return this.searchNewest(words, where, params, opts.window);
    const sql = `
      SELECT h.*, t.seq AS turnSeq FROM (
        SELECT doc_kind AS docKind, ref_id AS refId, session_id AS sessionId, turn_id AS turnId, project,
          snippet(search_docs, 0, char(1), char(2), '\u2026', 24) AS snippet, bm25(search_docs) AS score
        FROM search_docs WHERE ${where.join(" AND ")} ORDER BY rank LIMIT @limit OFFSET @offset
      ) h LEFT JOIN turns t ON t.id = h.turnId ORDER BY h.score`;
    return this.db.prepare(sql).all(params);
  }
  /** The newest `window` matches by rowid (FTS5 walks its lists backwards and stops), scored here; snippets only for the page. */
  searchNewest(words, where, params, window) {
    const newest = this.db.prepare(`SELECT rowid AS r, substr(text, 1, ${SCORED_CHARS}) AS text FROM search_docs WHERE ${where.join(" AND ")} ORDER BY rowid DESC LIMIT @window`).all({ ...params, window });
    const scores = termScores(newest.map((d) => d.text), queryTerms(words));
    const offset = params.offset ?? 0;
    const page = newest.map((d, i) => ({ r: d.r, score: -scores[i] })).sort((a, b) => a.score - b.score || b.r - a.r).slice(offset, offset + params.limit);
    const one = this.db.prepare(`
      SELECT doc_kind AS docKind, ref_id AS refId, session_id AS sessionId, turn_id AS turnId, project,
        snippet(search_docs, 0, char(1), char(2), '\u2026', 24) AS snippet, (SELECT seq FROM turns WHERE id = search_docs.turn_id) AS turnSeq
      FROM search_docs WHERE search_docs MATCH @match AND rowid = CAST(@r AS INTEGER)`);
    return page.map(({ r, score }) => ({ ...one.get({ match: params.match, r }), score }));
  }
};
var SCORED_CHARS = 2e4;
function queryTerms(words) {
  return [...new Set(words.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}
function termScores(texts, terms) {
  const k1 = 1.2;
  const b = 0.75;
  const lower = texts.map((t) => t.toLowerCase());
  const tf = lower.map((t) => terms.map((term) => countWord(t, term)));
  const avg = texts.reduce((n, t) => n + t.length, 0) / Math.max(1, texts.length) || 1;
  const idf = terms.map((_, j) => {
    const df = tf.filter((row) => row[j] > 0).length;
    return Math.log(1 + (texts.length - df + 0.5) / (df + 0.5));
  });
  return tf.map((row, i) => row.reduce((sum, f, j) => sum + (f === 0 ? 0 : idf[j] * f * (k1 + 1) / (f + k1 * (1 - b + b * lower[i].length / avg))), 0));
}
function countWord(text, word) {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    const before = i === 0 ? "" : text[i - 1];
    const after = text[i + word.length] ?? "";
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after))
      n++;
  }
  return n;
}

export {
  isObject,
  str,
  header,
  bodyMeta,
  headerMeta,
  mergeMeta,
  ruleFor,
  clientSessionId,
  isClientContext,
  prefilledContextEnd,
  chatClientFacts,
  cwdOfContext,
  statesCwd,
  cwdOfInput,
  projectSlug,
  decideProject,
  SEARCH_INDEX_MIGRATION,
  MATCH_START,
  MATCH_END,
  SearchIndex
};
