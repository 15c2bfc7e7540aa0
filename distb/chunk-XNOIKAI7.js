import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  JobQueue,
  createJob,
  jobEvent
} from "./chunk-JFZII2VR.js";
import {
  j
} from "./chunk-ZEXPMZYJ.js";
import {
  external_exports
} from "./chunk-36VX2XZQ.js";
import {
  mdCode,
  mdLine,
  renderLearnings,
  when
} from "./chunk-ZVVK6MQD.js";
import {
  PROMPTS_DIR
} from "./chunk-UZUECKVP.js";

// dist/insight/model-access.js
function dialectOf(baseURL, accountId) {
  return accountId !== void 0 || /\/backend-api\/codex\/?$/.test(new URL(baseURL).pathname) ? "chatgpt" : "platform";
}
var ModelAccessResolver = class {
  settings;
  vault;
  constructor(settings, vault) {
    this.settings = settings;
    this.vault = vault;
  }
  resolve(sessionId) {
    if (this.settings.apiKey) {
      const baseURL = this.settings.baseUrl.href.replace(/\/+$/, "");
      return { baseURL, apiKey: this.settings.apiKey, defaultHeaders: {}, dialect: dialectOf(baseURL, void 0) };
    }
    const borrowed = this.vault.forSession(sessionId);
    if (!borrowed)
      return void 0;
    return {
      baseURL: borrowed.baseURL,
      apiKey: borrowed.token,
      defaultHeaders: borrowed.accountId ? { "chatgpt-account-id": borrowed.accountId } : {},
      dialect: dialectOf(borrowed.baseURL, borrowed.accountId)
    };
  }
  /** Why there is no access, for the status line and the API (never the key itself). */
  get waitingReason() {
    return "no KX_INSIGHT_API_KEY or OPENAI_API_KEY set, and no live session traffic to borrow credentials from yet";
  }
};
var installed;
function installModelAccess(resolver) {
  installed = resolver;
}
var ModelCallError = class extends Error {
  failure;
  retryAfterMs;
  constructor(failure, message, retryAfterMs2) {
    super(message);
    this.failure = failure;
    this.retryAfterMs = retryAfterMs2;
  }
};
function retryAfterMs(headers, now = Date.now()) {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0)
    return ms;
  const value = headers?.get("retry-after");
  if (!value)
    return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds))
    return Math.max(0, seconds * 1e3);
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}
var sdk;
var loadSdk = () => sdk ??= Promise.all([import("./openai-AGMBHHQT.js"), import("./zod-HUUACBWY.js")]).then(([openai, helpers]) => ({ openai, zodTextFormat: helpers.zodTextFormat }));
function classify(err, { APIConnectionTimeoutError, APIUserAbortError, APIError }) {
  if (err instanceof ModelCallError)
    return err;
  if (err instanceof APIConnectionTimeoutError)
    return new ModelCallError("timeout", "the model call timed out");
  if (err instanceof APIUserAbortError)
    return new ModelCallError("timeout", "the model call was aborted");
  if (err instanceof APIError && err.status !== void 0) {
    const message = `${err.status}: ${err.message}`;
    if (err.status === 429)
      return new ModelCallError("rate_limited", message, retryAfterMs(err.headers));
    if (err.status >= 500)
      return new ModelCallError("server", message, retryAfterMs(err.headers));
    if (err.status === 401 || err.status === 403)
      return new ModelCallError("auth", message);
    return new ModelCallError("refused", message);
  }
  return new ModelCallError("cut", err?.message ?? String(err));
}
function parseAnswer(text, schema) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelCallError("invalid_output", `the answer is not JSON: ${text.slice(0, 120)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelCallError("invalid_output", `the answer does not match the schema: ${issue?.path.join(".") || "(root)"} ${issue?.message ?? ""}`.trim());
  }
  return parsed.data;
}
function outputText(response) {
  if (typeof response.output_text === "string" && response.output_text)
    return response.output_text;
  const parts = [];
  for (const item of response.output ?? []) {
    if (item.type !== "message")
      continue;
    for (const c of item.content ?? [])
      if (c.type === "output_text" && typeof c.text === "string")
        parts.push(c.text);
  }
  return parts.join("");
}
async function callStructured(call) {
  const { openai, zodTextFormat } = await loadSdk();
  const client = new openai.default({
    apiKey: call.access.apiKey,
    baseURL: call.access.baseURL,
    defaultHeaders: call.access.defaultHeaders,
    maxRetries: 0,
    // the durable queue retries, with backoff that honours retry-after
    timeout: call.timeoutMs ?? 12e4
  });
  const format = zodTextFormat(call.schema, call.schemaName);
  const body = {
    model: call.model,
    instructions: call.instructions,
    input: [{ role: "user", content: [{ type: "input_text", text: call.input }] }],
    text: { format: { type: format.type, name: format.name, schema: format.schema, strict: format.strict } },
    store: false
  };
  let response;
  try {
    if (call.access.dialect === "chatgpt") {
      const stream = await client.responses.create({ ...body, stream: true }, { signal: call.signal });
      let done;
      for await (const event of stream) {
        if (event.type === "response.completed")
          done = event.response;
        if (event.type === "response.failed")
          throw new ModelCallError("server", `response.failed: ${JSON.stringify(event.response.error ?? {})}`);
      }
      if (!done)
        throw new ModelCallError("cut", "the stream ended before response.completed");
      response = done;
    } else {
      response = await client.responses.create(body, { signal: call.signal });
    }
  } catch (err) {
    throw classify(err, openai);
  }
  if (response.status && response.status !== "completed")
    throw new ModelCallError("cut", `the response ended ${response.status}`);
  const usage = { input: response.usage?.input_tokens ?? 0, output: response.usage?.output_tokens ?? 0 };
  try {
    return { output: parseAnswer(outputText(response), call.schema), usage };
  } catch (err) {
    if (err instanceof ModelCallError)
      Object.assign(err, { usage });
    throw err;
  }
}

// dist/store/live-events.js
var LiveEvents = class {
  onListenerError;
  listeners = /* @__PURE__ */ new Set();
  constructor(onListenerError = () => {
  }) {
    this.onListenerError = onListenerError;
  }
  /** Returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  /** Each listener runs on its own: one that throws neither stops the others nor reaches the publisher. */
  publish(event) {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
  get size() {
    return this.listeners.size;
  }
};

// dist/insight/credentials.js
var MAX_SESSIONS = 200;
var sameCredentials = (a, b) => a.token === b.token && a.accountId === b.accountId && a.baseURL === b.baseURL;
var CredentialVault = class {
  bySession = new j({ max: MAX_SESSIONS });
  latest;
  arrivedListeners = /* @__PURE__ */ new Set();
  /** Whether the offer changed what is held: only then does the worker need it (every request offers). */
  offer(offer) {
    const m = /^Bearer\s+(\S+)$/i.exec(offer.authorization ?? "");
    if (!m)
      return false;
    const creds = { token: m[1], accountId: offer.accountId, baseURL: offer.baseURL };
    const isNew = !this.latest || this.latest.token !== creds.token || this.latest.baseURL !== creds.baseURL;
    const latestChanged = isNew || this.latest?.accountId !== creds.accountId;
    this.latest = creds;
    let sessionChanged = false;
    if (offer.sessionId) {
      const held = this.bySession.get(offer.sessionId);
      sessionChanged = !held || !sameCredentials(held, creds);
      if (sessionChanged)
        this.bySession.set(offer.sessionId, creds);
    }
    if (isNew)
      for (const l of this.arrivedListeners)
        l();
    return latestChanged || sessionChanged;
  }
  /** The session's own credentials; else the most recent ones seen (the same person's kx). */
  forSession(sessionId) {
    return (sessionId ? this.bySession.get(sessionId) : void 0) ?? this.latest;
  }
  /** Called when credentials not seen before arrive, so jobs waiting for a key can run. */
  onArrival(listener) {
    this.arrivedListeners.add(listener);
    return () => void this.arrivedListeners.delete(listener);
  }
  /** What is held, as offers, to hand to another thread (the insight worker) after it starts. */
  offers() {
    const asOffer = (c, sessionId) => ({ authorization: `Bearer ${c.token}`, accountId: c.accountId, sessionId, baseURL: c.baseURL });
    const out = [...this.bySession].map(([id, c]) => asOffer(c, id));
    if (this.latest)
      out.push(asOffer(this.latest, void 0));
    return out;
  }
  forget() {
    this.bySession.clear();
    this.latest = void 0;
  }
};

// dist/insight/pages.js
import fs2 from "node:fs";
import path2 from "node:path";

// dist/store/markdown-files.js
import fs from "node:fs";
import path from "node:path";
function writeFileAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 448 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 384 });
  fs.renameSync(tmp, file);
}
function projectDir(documentsDir, projectId) {
  return path.join(documentsDir, "projects", projectId.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_"));
}

// dist/insight/profile-md.js
var times = (n) => n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
function renderProfile(p) {
  const lines = [
    `# ${mdLine(p.project.name)}: read before your next session`,
    "",
    `Project ${mdCode(p.project.id)} \xB7 ${p.project.sessionCount} session${p.project.sessionCount === 1 ? "" : "s"} \xB7 last activity ${when(p.project.lastActivityAt)} \xB7 ${p.openGaps.length} open gap${p.openGaps.length === 1 ? "" : "s"}`,
    "",
    `## Still open (${p.openGaps.length})`,
    ""
  ];
  if (p.openGaps.length === 0)
    lines.push("Nothing open. Well done, or nothing asked yet.", "");
  for (const g of p.openGaps) {
    lines.push(`- **${mdLine(g.question)}** (${mdLine(g.topic)}, ${mdCode(g.id)})`);
    lines.push(`  Seen ${times(g.timesSeen)}, first ${when(g.firstSeen.at)}, last ${when(g.lastSeen.at)}. You asked: \u201C${mdLine(g.evidence)}\u201D`);
  }
  if (p.openGaps.length)
    lines.push("");
  if (p.recurringTopics.length) {
    lines.push("## Keeps coming back", "");
    for (const t of p.recurringTopics)
      lines.push(`- ${mdLine(t.topic)}: seen ${times(t.timesSeen)}`);
    lines.push("");
  }
  lines.push(`## Learned (${p.resolvedGaps.length})`, "");
  if (p.resolvedGaps.length === 0)
    lines.push("No gap resolved yet.", "");
  for (const g of p.resolvedGaps) {
    const r = g.resolved;
    const how = r.by === "person" ? `you marked it resolved${r.note ? `: ${mdLine(r.note)}` : ""}` : mdLine(r.how ?? "");
    lines.push(`- **${mdLine(g.topic)}**: ${how} (${when(r.at)})`);
  }
  if (p.resolvedGaps.length)
    lines.push("");
  lines.push("## Last sessions", "");
  if (p.recentSummaries.length === 0)
    lines.push("No session summary yet: one is written when a session ends (`kx end`).", "");
  for (const s of p.recentSummaries) {
    lines.push(`### ${mdLine(s.title)}`, "", `Session ${mdCode(s.sessionId)}, summary version ${s.version}, ${when(s.createdAt)}.`, "");
    for (const h of s.highlights)
      lines.push(`- ${mdLine(h)}`);
    if (s.nextRepetitions.length)
      lines.push("", "Next time:", ...s.nextRepetitions.map((r) => `- [ ] ${mdLine(r)}`));
    if (s.playbook.length)
      lines.push("", "Playbook:", ...s.playbook.map((x, i) => `${i + 1}. ${mdLine(x.step)}${x.command ? `: ${mdCode(x.command)}` : ""}`));
    lines.push("");
  }
  return lines.join("\n");
}

// dist/insight/pages.js
function projectProfile(reader, projectId) {
  const project = reader.project(projectId);
  if (!project)
    return void 0;
  const openGaps = reader.gaps({ status: "open", project: projectId });
  const resolvedGaps = reader.gaps({ status: "resolved", project: projectId });
  const recurringTopics = [...openGaps, ...resolvedGaps].filter((g) => g.timesSeen > 1).sort((a, b) => b.timesSeen - a.timesSeen).map((g) => ({ topic: g.topic, timesSeen: g.timesSeen }));
  const input = { project, openGaps, resolvedGaps, recurringTopics, recentSummaries: reader.recentSummaries(projectId) };
  return { ...input, markdown: renderProfile(input) };
}
var InsightPages = class {
  d;
  constructor(d) {
    this.d = d;
  }
  /** learnings.md for the session and profile.md for its project. A failure is logged, never thrown. */
  rebuildSession(sessionId) {
    try {
      const session = this.d.reader.session(sessionId);
      if (!session)
        return;
      const turnStarts = new Map(this.d.db.prepare(`SELECT id, started_at AS startedAt FROM turns WHERE session_id = ?`).all(sessionId).map((t) => [t.id, t.startedAt]));
      const typed = new Map(this.d.db.prepare(`SELECT turn_id AS turnId, group_concat(text, '
') AS text FROM (SELECT turn_id, text FROM items WHERE session_id = ? AND kind = 'human_message' ORDER BY seq) GROUP BY turn_id`).all(sessionId).map((t) => [t.turnId, t.text]));
      const files = renderLearnings({ session, insightMode: this.d.mode, queue: this.d.queue.countsForSession(sessionId), summary: this.d.reader.summary(sessionId), turns: this.d.reader.turnInsights(sessionId), typed }, turnStarts);
      const dir = this.d.sessionDir(sessionId);
      writeFileAtomic(path2.join(dir, "learnings.md"), files.learnings);
      if (files.archive !== void 0)
        writeFileAtomic(path2.join(dir, "learnings.archive.md"), files.archive);
      if (session.project)
        this.rebuildProject(session.project);
    } catch (err) {
      this.d.log({ level: "error", msg: "learnings.md rebuild failed", session: sessionId, error: err.message });
    }
  }
  /**
   * Pages missing or older than the rows they show: a stop between a job's commit and its page's
   * rebuild (a crash, a kill) must not leave a page behind. Rebuilt at start.
   */
  stalePages() {
    const rows = this.d.db.prepare(`SELECT j.session_id AS id, MAX(j.updated_at) AS changedAt, s.project, s.ended_at AS endedAt FROM insight_jobs j JOIN sessions s ON s.id = j.session_id
         GROUP BY j.session_id`).all();
    const stale = (file, changedAt) => {
      try {
        return fs2.statSync(file).mtimeMs < Date.parse(changedAt);
      } catch {
        return true;
      }
    };
    const sessions = [];
    const projects = /* @__PURE__ */ new Map();
    for (const s of rows) {
      const changedAt = s.endedAt && s.endedAt > s.changedAt ? s.endedAt : s.changedAt;
      if (s.project && changedAt > (projects.get(s.project) ?? ""))
        projects.set(s.project, changedAt);
      if (stale(path2.join(this.d.sessionDir(s.id), "learnings.md"), changedAt))
        sessions.push(s.id);
    }
    const resolvedAt = this.d.db.prepare(`SELECT MAX(resolved_at) FROM gaps WHERE project = ?`).pluck();
    const staleProjects = [...projects].flatMap(([project, changedAt]) => {
      const resolved = resolvedAt.get(project);
      const newest = resolved && resolved > changedAt ? resolved : changedAt;
      return stale(path2.join(projectDir(this.d.documentsDir, project), "profile.md"), newest) ? [project] : [];
    });
    return { sessions, projects: staleProjects };
  }
  rebuildProject(projectId) {
    try {
      const profile = projectProfile(this.d.reader, projectId);
      if (profile)
        writeFileAtomic(path2.join(projectDir(this.d.documentsDir, projectId), "profile.md"), profile.markdown);
    } catch (err) {
      this.d.log({ level: "error", msg: "profile.md rebuild failed", project: projectId, error: err.message });
    }
  }
};

// dist/insight/insight-reader.js
function gapView(r) {
  return {
    id: r.id,
    project: r.project,
    topic: r.topic,
    question: r.question,
    evidence: r.evidence,
    status: r.status,
    timesSeen: r.times_seen,
    firstSeen: { sessionId: r.first_seen_session_id, turnId: r.first_seen_turn_id, at: r.first_seen_at },
    lastSeen: { sessionId: r.last_seen_session_id, turnId: r.last_seen_turn_id, at: r.last_seen_at },
    resolved: r.status === "resolved" && r.resolved_at ? { turnId: r.resolved_turn_id, how: r.resolved_how, by: r.resolved_by ?? "model", note: r.resolved_note, at: r.resolved_at } : null
  };
}
var PROJECT_SQL = `
  SELECT p.id, p.name,
    (SELECT COUNT(*) FROM sessions s WHERE s.project = p.id) AS sessionCount,
    (SELECT COUNT(*) FROM gaps g WHERE g.project = p.id AND g.status = 'open') AS openGaps,
    (SELECT COUNT(*) FROM gaps g WHERE g.project = p.id AND g.status = 'resolved') AS resolvedGaps,
    (SELECT MAX(r.started_at) FROM sessions s JOIN requests r ON r.session_id = s.id WHERE s.project = p.id) AS lastActivityAt
  FROM projects p`;
var InsightReader = class {
  db;
  constructor(db) {
    this.db = db;
  }
  session(id) {
    return this.db.prepare(`SELECT s.id, s.client, s.project, p.name AS projectName, s.cwd, s.started_at AS startedAt, s.ended_at AS endedAt,
           COALESCE((SELECT MAX(r.started_at) FROM requests r WHERE r.session_id = s.id), s.started_at) AS lastActivityAt,
           (SELECT substr(i.text, 1, 300) FROM items i WHERE i.session_id = s.id AND i.kind = 'human_message' ORDER BY i.seq LIMIT 1) AS title
         FROM sessions s LEFT JOIN projects p ON p.id = s.project WHERE s.id = ?`).get(id);
  }
  /** One view per turn, in order, with its job's state (`none` when no job was made, e.g. KX_INSIGHT=session). */
  turnInsights(sessionId) {
    const rows = this.db.prepare(`SELECT t.id AS turnId, t.seq AS turnSeq, j.state, j.last_error AS error, ti.data, ti.input_tokens AS input, ti.output_tokens AS output,
           ti.created_at AS createdAt, j.input_tokens AS jobInput, j.output_tokens AS jobOutput
         FROM turns t LEFT JOIN insight_jobs j ON j.kind = 'turn' AND j.subject_id = t.id LEFT JOIN turn_insights ti ON ti.turn_id = t.id
         WHERE t.session_id = ? ORDER BY t.seq`).all(sessionId);
    return rows.map((r) => {
      const data = r.data ? JSON.parse(r.data) : {};
      return {
        turnId: r.turnId,
        turnSeq: r.turnSeq,
        state: r.state ?? "none",
        error: r.state === "done" ? null : r.error,
        summary: data.summary ?? null,
        action: data.action ?? null,
        outcome: data.outcome ?? null,
        gaps: data.gaps ?? [],
        confusion: data.confusion ?? [],
        decisions: data.decisions ?? [],
        successes: data.successes ?? [],
        followUps: data.followUps ?? [],
        resolvedGaps: data.resolvedGaps ?? [],
        nextTime: data.nextTime ?? null,
        playbookSteps: data.playbookSteps ?? [],
        tokens: { input: r.jobInput ?? r.input ?? 0, output: r.jobOutput ?? r.output ?? 0 },
        createdAt: r.createdAt
      };
    });
  }
  summaryVersions(sessionId) {
    return this.db.prepare(`SELECT version, created_at AS createdAt FROM session_summaries WHERE session_id = ? ORDER BY version`).all(sessionId);
  }
  /** The given version, else the latest. */
  summary(sessionId, version) {
    const row = this.db.prepare(`SELECT version, data, created_at AS createdAt, input_tokens AS input, output_tokens AS output FROM session_summaries
         WHERE session_id = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1`).get(sessionId, version ?? null, version ?? null);
    if (!row)
      return null;
    return { sessionId, version: row.version, createdAt: row.createdAt, ...JSON.parse(row.data), tokens: { input: row.input, output: row.output } };
  }
  /** Most seen first, then most recently seen. */
  gaps(filter = {}) {
    const rows = this.db.prepare(`SELECT * FROM gaps WHERE (? IS NULL OR status = ?) AND (? IS NULL OR project = ?) ORDER BY times_seen DESC, last_seen_at DESC LIMIT ?`).all(filter.status ?? null, filter.status ?? null, filter.project ?? null, filter.project ?? null, filter.limit ?? -1);
    return rows.map(gapView);
  }
  gap(id) {
    const row = this.db.prepare(`SELECT * FROM gaps WHERE id = ?`).get(id);
    return row ? gapView(row) : void 0;
  }
  /**
   * Projects with something in them. Every session starts in its client's placeholder project
   * (`client: codex_exec`) until its working directory is seen, so most placeholders end up empty.
   */
  projects() {
    return this.db.prepare(`${PROJECT_SQL} WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.project = p.id) OR EXISTS (SELECT 1 FROM gaps g WHERE g.project = p.id)
         ORDER BY lastActivityAt DESC NULLS LAST, p.name`).all();
  }
  project(id) {
    return this.db.prepare(`${PROJECT_SQL} WHERE p.id = ?`).get(id);
  }
  /** A project by id, or by the name (working directory) it was made from. */
  findProject(idOrName) {
    return this.projects().find((p) => p.id === idOrName || p.name === idOrName);
  }
  recentSummaries(project, limit = 5) {
    const rows = this.db.prepare(`SELECT ss.session_id AS sessionId, MAX(ss.version) AS version FROM session_summaries ss JOIN sessions s ON s.id = ss.session_id
         WHERE s.project = ? GROUP BY ss.session_id ORDER BY MAX(ss.created_at) DESC LIMIT ?`).all(project, limit);
    return rows.map((r) => this.summary(r.sessionId, r.version)).filter((s) => s !== null);
  }
  /** Insight tokens spent on a session's jobs, beside the agent's own. */
  sessionTokens(sessionId) {
    return this.db.prepare(`SELECT COALESCE(SUM(input_tokens),0) AS input, COALESCE(SUM(output_tokens),0) AS output FROM insight_jobs WHERE session_id = ?`).get(sessionId);
  }
  sessionIds() {
    return this.db.prepare(`SELECT id FROM sessions ORDER BY started_at`).pluck().all();
  }
};

// dist/insight/desk.js
var InsightDesk = class {
  d;
  reader;
  queue;
  constructor(d) {
    this.d = d;
    this.reader = new InsightReader(d.db);
    this.queue = new JobQueue(d.db);
  }
  get mode() {
    return this.d.settings.mode;
  }
  /**
   * `kx end`, POST /api/sessions/:id/end, or idle: marks the end and queues a summary of the turns so far.
   * `endedAt`: when it ended, if not now (an idle session ended at its last activity).
   */
  endSession(sessionId, endedAt = (/* @__PURE__ */ new Date()).toISOString()) {
    const facts = this.reader.session(sessionId);
    if (!facts)
      return void 0;
    const lastSeq = this.d.db.prepare(`SELECT MAX(seq) FROM turns WHERE session_id = ?`).pluck().get(sessionId) ?? 0;
    const jobId = this.d.db.transaction(() => {
      this.d.db.prepare(`UPDATE sessions SET ended_at = ? WHERE id = ?`).run(endedAt, sessionId);
      return this.mode === "off" || lastSeq === 0 ? null : createJob(this.d.db, "session", `${sessionId}:${lastSeq}`, sessionId).id;
    })();
    this.d.live.publish({ type: "session", sessionId });
    const job = jobId ? this.queue.get(jobId) : void 0;
    if (job)
      this.d.live.publish(jobEvent(job));
    this.d.pagesChanged({ sessionId });
    return { sessionId, endedAt, summaryJobId: jobId };
  }
  /**
   * Sessions silent for KX_SESSION_IDLE_MINUTES that are not ended, or have turns not yet summarised,
   * are ended at their last activity (an imported session ends when it ended, not when kx saw it).
   */
  endIdleSessions(now = Date.now()) {
    if (this.mode === "off")
      return [];
    const cutoff = new Date(now - this.d.settings.idleMinutes * 6e4).toISOString();
    const idle = this.d.db.prepare(`SELECT id, lastActivityAt FROM (
           SELECT s.id, s.ended_at AS endedAt,
             (SELECT MAX(COALESCE(r.ended_at, r.started_at)) FROM requests r WHERE r.session_id = s.id) AS lastActivityAt,
             EXISTS (SELECT 1 FROM insight_jobs j WHERE j.kind = 'session'
               AND j.subject_id = s.id || ':' || (SELECT MAX(seq) FROM turns t WHERE t.session_id = s.id)) AS summarised
           FROM sessions s WHERE EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id))
         WHERE lastActivityAt < ? AND (endedAt IS NULL OR NOT summarised)`).all(cutoff);
    for (const s of idle)
      this.endSession(s.id, s.lastActivityAt);
    return idle.map((s) => s.id);
  }
  /** The person marks a gap resolved (with a note) or reopens it. */
  setGapStatus(gapId, status, note) {
    const now = (/* @__PURE__ */ new Date()).toISOString();
    const res = status === "resolved" ? this.d.db.prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_note = ?, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = ? WHERE id = ?`).run(note ?? null, now, gapId) : this.d.db.prepare(`UPDATE gaps SET status = 'open', resolved_by = NULL, resolved_note = NULL, resolved_how = NULL, resolved_turn_id = NULL, resolved_at = NULL WHERE id = ?`).run(gapId);
    if (res.changes === 0)
      return false;
    const gap = this.reader.gap(gapId);
    this.d.live.publish({ type: "gap", gapId, project: gap.project, status: status === "resolved" ? "resolved" : "reopened" });
    this.d.pagesChanged({ projectId: gap.project });
    return true;
  }
  /** The project's profile page and the facts it is made from. */
  profile(projectId) {
    return projectProfile(this.reader, projectId);
  }
  status() {
    const queue = this.queue.counts();
    const today = (/* @__PURE__ */ new Date()).toISOString().slice(0, 10);
    const waiting = queue.waiting_key ? this.d.db.prepare(`SELECT last_error FROM insight_jobs WHERE state = 'waiting_key' ORDER BY updated_at DESC LIMIT 1`).pluck().get() ?? this.d.waitingReason : null;
    return { mode: this.mode, queue, waitingReason: waiting, tokens: { today: this.queue.tokens(today), all: this.queue.tokens() } };
  }
};

// dist/insight/prompts.js
import fs3 from "node:fs";
import path3 from "node:path";
var INPUT_MARKER = /^=== input ===$/m;
function parsePrompt(name, text) {
  const header = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!header)
    throw new Error(`prompts/${name}.md must open with a --- header naming its schema and variables`);
  const schema = /^schema:\s*(\S+)/m.exec(header[1])?.[1];
  if (!schema)
    throw new Error(`prompts/${name}.md: the header has no "schema:" line`);
  const variables = [...header[1].matchAll(/^\s+-\s+([a-z_]+):/gm)].map((m) => m[1]);
  const body = text.slice(header[0].length);
  const marker = INPUT_MARKER.exec(body);
  if (!marker)
    throw new Error(`prompts/${name}.md: no "=== input ===" line between the instructions and the input template`);
  const instructions = body.slice(0, marker.index).trim();
  const template = body.slice(marker.index + marker[0].length).trim();
  const used = new Set([...template.matchAll(/\{\{([a-z_]+)\}\}/g)].map((m) => m[1]));
  const declared = new Set(variables);
  for (const v of used)
    if (!declared.has(v))
      throw new Error(`prompts/${name}.md uses {{${v}}} but its header does not declare it`);
  for (const v of declared)
    if (!used.has(v))
      throw new Error(`prompts/${name}.md declares ${v} but its template never uses it`);
  if (/\{\{/.test(instructions))
    throw new Error(`prompts/${name}.md: variables belong below "=== input ===", so the instructions stay the same on every call`);
  return { name, schema, variables, instructions, template };
}
function blockSafe(template, value) {
  const tags = [...new Set([...template.matchAll(/<\/?([a-z_]+)>/g)].map((m) => m[1]))];
  if (tags.length === 0)
    return value;
  return value.replace(new RegExp(`<(?=\\s*/?\\s*(?:${tags.join("|")})\\b)`, "gi"), "&lt;");
}
function renderPrompt(prompt, values) {
  for (const v of prompt.variables)
    if (values[v] === void 0)
      throw new Error(`prompt ${prompt.name}: no value for {{${v}}}`);
  return prompt.template.replace(/\{\{([a-z_]+)\}\}/g, (_m, v) => blockSafe(prompt.template, values[v] ?? ""));
}
function loadPrompt(name, schema, dir = PROMPTS_DIR) {
  const prompt = parsePrompt(name, fs3.readFileSync(path3.join(dir, `${name}.md`), "utf8"));
  if (prompt.schema !== schema)
    throw new Error(`prompts/${name}.md names schema ${prompt.schema}; kx sends ${schema}`);
  return prompt;
}
function loadPrompts(expect, dir = PROMPTS_DIR) {
  return { turn: loadPrompt("turn-insight", expect.turn, dir), session: loadPrompt("session-summary", expect.session, dir) };
}

// dist/insight/schemas.js
var TurnInsightOutput = external_exports.object({
  summary: external_exports.string(),
  action: external_exports.string(),
  outcome: external_exports.enum(["succeeded", "partly", "failed", "unclear"]),
  gaps: external_exports.array(external_exports.object({
    topic: external_exports.string(),
    question: external_exports.string(),
    evidence: external_exports.string(),
    confidence: external_exports.number().min(0).max(1),
    existing_gap_id: external_exports.string().nullable()
  })),
  confusion: external_exports.array(external_exports.object({ what: external_exports.string(), evidence: external_exports.string() })),
  decisions: external_exports.array(external_exports.object({ choice: external_exports.string(), why: external_exports.string() })),
  successes: external_exports.array(external_exports.string()),
  follow_ups: external_exports.array(external_exports.string()),
  resolved_gaps: external_exports.array(external_exports.object({ gap_id: external_exports.string(), how: external_exports.string() })),
  next_time: external_exports.string().nullable(),
  playbook_steps: external_exports.array(external_exports.object({ step: external_exports.string(), command: external_exports.string().nullable() }))
});
var TURN_INSIGHT_SCHEMA = "turn_insight";
var SessionSummaryOutput = external_exports.object({
  title: external_exports.string(),
  highlights: external_exports.array(external_exports.string()),
  unresolved_questions: external_exports.array(external_exports.string()),
  next_repetitions: external_exports.array(external_exports.string()),
  playbook: external_exports.array(external_exports.object({ step: external_exports.string(), command: external_exports.string().nullable(), why: external_exports.string().nullable() }))
});
var SESSION_SUMMARY_SCHEMA = "session_summary";

export {
  InsightReader,
  renderPrompt,
  loadPrompt,
  loadPrompts,
  ModelAccessResolver,
  installModelAccess,
  ModelCallError,
  callStructured,
  LiveEvents,
  CredentialVault,
  InsightPages,
  InsightDesk,
  TurnInsightOutput,
  TURN_INSIGHT_SCHEMA,
  SessionSummaryOutput,
  SESSION_SUMMARY_SCHEMA
};
