import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  CredentialVault,
  InsightDesk,
  InsightPages,
  LiveEvents,
  ModelAccessResolver,
  ModelCallError,
  SESSION_SUMMARY_SCHEMA,
  SessionSummaryOutput,
  TURN_INSIGHT_SCHEMA,
  TurnInsightOutput,
  callStructured,
  renderPrompt
} from "./chunk-XNOIKAI7.js";
import {
  JobQueue,
  jobEvent,
  newId,
  sessionFolderName
} from "./chunk-JFZII2VR.js";
import "./chunk-ZEXPMZYJ.js";
import "./chunk-36VX2XZQ.js";
import {
  SearchIndex,
  decideProject
} from "./chunk-WZ2QJHAO.js";
import "./chunk-ZVVK6MQD.js";
import "./chunk-UZUECKVP.js";
import "./chunk-FUKTGKM3.js";
import "./chunk-V4RWK56N.js";

// dist/insight/engine-worker.js
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

// dist/insight/engine.js
import { performance } from "node:perf_hooks";

// dist/insight/insight-store.js
function ensureProject(db2, sessionId) {
  const row = db2.prepare(`SELECT project, client, started_at AS startedAt FROM sessions WHERE id = ?`).get(sessionId);
  const storedId = (name) => db2.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck().get(name);
  const p = decideProject({ recorded: row?.project, client: row?.client, storedId });
  if (p.source === "recorded")
    return p.id;
  const id = p.id;
  db2.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`).run(id, p.name ?? id, row?.startedAt ?? (/* @__PURE__ */ new Date()).toISOString());
  db2.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`).run(id, sessionId);
  return id;
}
var normalTopic = (t) => t.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
function applyGaps(db2, facts, out, events) {
  const byId = db2.prepare(`SELECT id, status FROM gaps WHERE id = ? AND project = ?`);
  const byTopic = db2.prepare(`SELECT id, status, topic FROM gaps WHERE project = ?`);
  const seen = db2.prepare(`UPDATE gaps SET times_seen = times_seen + 1, last_seen_session_id = ?, last_seen_turn_id = ?, last_seen_at = ?,
       status = 'open', resolved_turn_id = NULL, resolved_how = NULL, resolved_by = NULL, resolved_note = NULL, resolved_at = NULL
     WHERE id = ?`);
  const insert = db2.prepare(`INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
       last_seen_session_id, last_seen_turn_id, last_seen_at) VALUES (?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?, ?, ?)`);
  const stored = [];
  const touched = /* @__PURE__ */ new Set();
  for (const gap of out.gaps) {
    let match = gap.existing_gap_id ? byId.get(gap.existing_gap_id, facts.project) : void 0;
    if (!match) {
      const want = normalTopic(gap.topic);
      match = byTopic.all(facts.project).find((g) => normalTopic(g.topic) === want);
    }
    let id;
    if (match) {
      id = match.id;
      if (!touched.has(id)) {
        seen.run(facts.sessionId, facts.turnId, facts.at, id);
        events.push({ type: "gap", gapId: id, project: facts.project, status: match.status === "resolved" ? "reopened" : "seen" });
      }
    } else {
      id = newId("g");
      insert.run(id, facts.project, gap.topic, gap.question, gap.evidence, facts.sessionId, facts.turnId, facts.at, facts.sessionId, facts.turnId, facts.at);
      events.push({ type: "gap", gapId: id, project: facts.project, status: "open" });
    }
    touched.add(id);
    stored.push({ gapId: id, topic: gap.topic, question: gap.question, evidence: gap.evidence, confidence: gap.confidence });
  }
  return stored;
}
function applyResolutions(db2, facts, out, events) {
  const resolve = db2.prepare(`UPDATE gaps SET status = 'resolved', resolved_turn_id = ?, resolved_how = ?, resolved_by = 'model', resolved_note = NULL, resolved_at = ?
     WHERE id = ? AND project = ? AND status = 'open'`);
  const resolved = [];
  for (const r of out.resolved_gaps) {
    if (resolve.run(facts.turnId, r.how, facts.at, r.gap_id, facts.project).changes === 0)
      continue;
    resolved.push({ gapId: r.gap_id, how: r.how });
    events.push({ type: "gap", gapId: r.gap_id, project: facts.project, status: "resolved" });
  }
  return resolved;
}
function landTurnInsight(db2, job, facts, out, model, tokens) {
  const queue = new JobQueue(db2);
  return db2.transaction(() => {
    if (!queue.markDone(job.id, tokens))
      return void 0;
    const events = [];
    const resolvedGaps = applyResolutions(db2, facts, out, events);
    const gaps = applyGaps(db2, facts, out, events);
    const data2 = {
      summary: out.summary,
      action: out.action,
      outcome: out.outcome,
      gaps,
      confusion: out.confusion,
      decisions: out.decisions,
      successes: out.successes,
      followUps: out.follow_ups,
      resolvedGaps,
      nextTime: out.next_time,
      playbookSteps: out.playbook_steps
    };
    db2.prepare(`INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(turn_id) DO NOTHING`).run(facts.turnId, facts.sessionId, job.id, JSON.stringify(data2), tokens.input, tokens.output, model, (/* @__PURE__ */ new Date()).toISOString());
    return events;
  })();
}
function sessionGapFacts(db2, sessionId) {
  const gapsOpened = db2.prepare(`SELECT id AS gapId, topic FROM gaps WHERE first_seen_session_id = ? ORDER BY first_seen_at`).all(sessionId);
  const gapsResolved = db2.prepare(`SELECT g.id AS gapId, g.topic, COALESCE(g.resolved_how, g.resolved_note, '') AS how FROM gaps g
       JOIN turns t ON t.id = g.resolved_turn_id WHERE t.session_id = ? ORDER BY g.resolved_at`).all(sessionId);
  return { gapsOpened, gapsResolved };
}
function landSummary(db2, job, sessionId, out, tokens) {
  const queue = new JobQueue(db2);
  return db2.transaction(() => {
    if (!queue.markDone(job.id, tokens))
      return void 0;
    const version = (db2.prepare(`SELECT MAX(version) FROM session_summaries WHERE session_id = ?`).pluck().get(sessionId) ?? 0) + 1;
    const data2 = {
      title: out.title,
      highlights: out.highlights,
      ...sessionGapFacts(db2, sessionId),
      unresolvedQuestions: out.unresolved_questions,
      nextRepetitions: out.next_repetitions,
      playbook: out.playbook
    };
    db2.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(sessionId, version, JSON.stringify(data2), job.id, tokens.input, tokens.output, (/* @__PURE__ */ new Date()).toISOString());
    return version;
  })();
}

// dist/insight/turn-input.js
var estimateTokens = (text) => Math.ceil(text.length / 4);
var CUT_WEIGHT = { tool_output: 8, tool_call: 4, reasoning: 3, error: 2, assistant: 2, human: 1 };
var MIN_PART_CHARS = 240;
var TOOL_OUTPUT_CHARS = 4e3;
function headAndTail(text, keep) {
  if (text.length <= keep)
    return text;
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return `${text.slice(0, head)}
[kx: ${text.length - keep} characters cut here]
${text.slice(text.length - tail)}`;
}
var SKIPPED_REQUEST_KINDS = /* @__PURE__ */ new Set(["background", "prewarm", "compaction"]);
var PART_READ_CHARS = 64e3;
var cutColumn = (expr, keep, as) => {
  const head = Math.ceil(keep * 0.6);
  return `length(${expr}) AS ${as}Chars, substr(${expr}, 1, ${head}) AS ${as}Head, CASE WHEN length(${expr}) > ${keep} THEN substr(${expr}, -${keep - head}) END AS ${as}Tail`;
};
var joinCut = (chars, head, tail, keep) => {
  if (chars === null || head === null)
    return "";
  if (tail === null)
    return head;
  return `${head}
[kx: ${chars - keep} characters cut here]
${tail}`;
};
function loadTurnParts(db2, turnId) {
  const rows = db2.prepare(`SELECT i.kind, i.item_type AS itemType, i.tool_name AS toolName, r.request_kind AS requestKind,
         ${cutColumn("CASE WHEN i.kind = 'tool_call' THEN COALESCE(i.arguments, i.text, '') WHEN i.kind = 'tool_output' THEN '' ELSE COALESCE(i.text, '') END", PART_READ_CHARS, "body")},
         ${cutColumn("COALESCE(i.output, i.text, '')", TOOL_OUTPUT_CHARS, "out")}
       FROM items i LEFT JOIN requests r ON r.id = i.request_id WHERE i.turn_id = ? ORDER BY i.seq`).all(turnId);
  const parts = [];
  for (const it of rows) {
    if (it.requestKind && SKIPPED_REQUEST_KINDS.has(it.requestKind))
      continue;
    const body = joinCut(it.bodyChars, it.bodyHead, it.bodyTail, PART_READ_CHARS);
    switch (it.kind) {
      case "human_message":
        parts.push({ kind: "human", label: "human", text: body });
        break;
      case "assistant_message":
        parts.push({ kind: "assistant", label: "agent", text: body });
        break;
      case "reasoning":
        if (body)
          parts.push({ kind: "reasoning", label: "reasoning summary", text: body });
        break;
      case "tool_call":
        parts.push({ kind: "tool_call", label: `tool call ${it.toolName ?? it.itemType}`, text: body });
        break;
      case "tool_output":
        parts.push({ kind: "tool_output", label: "tool output", text: joinCut(it.outChars, it.outHead, it.outTail, TOOL_OUTPUT_CHARS) });
        break;
      default:
        break;
    }
  }
  const errors = db2.prepare(`SELECT outcome, error FROM requests WHERE turn_id = ? AND error IS NOT NULL AND COALESCE(request_kind, '') NOT IN ('background', 'prewarm', 'compaction') ORDER BY started_at`).all(turnId);
  for (const e of errors)
    parts.push({ kind: "error", label: `error (${e.outcome ?? "failed"})`, text: e.error });
  return parts;
}
function renderParts(parts) {
  return parts.map((p) => `<${p.kind} label="${p.label}">
${p.text}
</${p.kind}>`).join("\n");
}
var renderedChars = (p, textChars) => 2 * p.kind.length + p.label.length + 16 + textChars + 1;
var cutChars = (chars, keep) => chars <= keep ? chars : keep + `
[kx: ${chars - keep} characters cut here]
`.length;
var keptChars = (p, level) => {
  const chars = p.text.length;
  const keep = Math.max(MIN_PART_CHARS, Math.floor(level / CUT_WEIGHT[p.kind]));
  return keep >= chars ? chars : Math.min(chars, cutChars(chars, keep));
};
var sizeAt = (parts, level) => parts.reduce((n, p) => n + renderedChars(p, keptChars(p, level)), 0);
var DROPPED = { kind: "error", label: "kx", text: "[kx: earlier steps left out to fit the size cap]" };
function fitParts(parts, budgetTokens) {
  const budget = budgetTokens * 4;
  let kept = parts;
  if (sizeAt(kept, 0) > budget && kept.length > 2) {
    const first = kept[0];
    const rest = kept.slice(1);
    let room = budget - renderedChars(first, keptChars(first, 0)) - renderedChars(DROPPED, DROPPED.text.length);
    let from = rest.length;
    while (from > 0) {
      const cost = renderedChars(rest[from - 1], keptChars(rest[from - 1], 0));
      if (cost > room && from < rest.length)
        break;
      room -= cost;
      from--;
    }
    if (from > 0)
      kept = [first, DROPPED, ...rest.slice(from)];
  }
  const top = kept.reduce((m, p) => Math.max(m, p.text.length * CUT_WEIGHT[p.kind]), 0);
  let lo = 0;
  let hi = top;
  if (sizeAt(kept, hi) <= budget)
    lo = hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (sizeAt(kept, mid) <= budget)
      lo = mid;
    else
      hi = mid;
  }
  return kept.map((p) => {
    const chars = keptChars(p, lo);
    if (chars === p.text.length)
      return { ...p };
    return { ...p, text: headAndTail(p.text, Math.max(MIN_PART_CHARS, Math.floor(lo / CUT_WEIGHT[p.kind]))) };
  });
}

// dist/insight/calls.js
var CAP_MARGIN_TOKENS = 600;
var MAX_OPEN_GAPS_SENT = 40;
var oneLineCut = (s, max) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
};
function openGapLines(d, project) {
  const open = d.reader.gaps({ status: "open", project, limit: MAX_OPEN_GAPS_SENT });
  return open.length ? open.map((g) => `${g.id} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`).join("\n") : "(none)";
}
function turnCall(d, turnId) {
  const turn = d.db.prepare(`SELECT id, session_id AS sessionId, seq, COALESCE(ended_at, started_at) AS at FROM turns WHERE id = ?`).get(turnId);
  if (!turn)
    throw new Error(`turn ${turnId} is not in the store`);
  const project = ensureProject(d.db, turn.sessionId);
  const projectName = d.reader.project(project)?.name ?? project;
  const prompt = d.prompts.turn;
  const fixed = { project: projectName, open_gaps: openGapLines(d, project) };
  const budget = d.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turn: "" })) - CAP_MARGIN_TOKENS;
  const parts = fitParts(loadTurnParts(d.db, turn.id), Math.max(500, budget));
  return {
    // The turn's own time, not the call's: an imported October session's gaps were first seen in October.
    facts: { turnId: turn.id, sessionId: turn.sessionId, seq: turn.seq, project, at: turn.at },
    instructions: prompt.instructions,
    input: renderPrompt(prompt, { ...fixed, turn: renderParts(parts) })
  };
}
function sessionCall(d, sessionId) {
  const project = ensureProject(d.db, sessionId);
  const projectName = d.reader.project(project)?.name ?? project;
  const prompt = d.prompts.session;
  const gapLines = d.db.prepare(`SELECT DISTINCT g.id, g.status, g.topic, g.question FROM gaps g LEFT JOIN turns t ON t.id = g.resolved_turn_id
       WHERE g.first_seen_session_id = ? OR g.last_seen_session_id = ? OR t.session_id = ? ORDER BY g.first_seen_at`).all(sessionId, sessionId, sessionId);
  const gaps = gapLines.length ? gapLines.map((g) => `${g.id} | ${g.status} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`).join("\n") : "(none)";
  const notes = d.reader.turnInsights(sessionId).map((t) => {
    if (t.state === "done") {
      const steps2 = t.playbookSteps.map((p) => `  - ${p.step}${p.command ? `: ${p.command}` : ""}`).join("\n");
      const text = [`summary: ${t.summary}`, `action: ${t.action}`, `outcome: ${t.outcome}`, `next time: ${t.nextTime ?? "-"}`, steps2 ? `steps:
${steps2}` : ""].filter(Boolean).join("\n");
      return { kind: "assistant", label: `turn ${t.turnSeq} notes`, text };
    }
    const raw = loadTurnParts(d.db, t.turnId);
    const human = raw.find((p) => p.kind === "human")?.text ?? "";
    const answer = [...raw].reverse().find((p) => p.kind === "assistant")?.text ?? "(no answer)";
    return { kind: "assistant", label: `turn ${t.turnSeq} (raw)`, text: `human: ${human}
agent: ${answer}` };
  });
  const fixed = { project: projectName, gaps };
  const budget = d.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turns: "" })) - CAP_MARGIN_TOKENS;
  return { instructions: prompt.instructions, input: renderPrompt(prompt, { ...fixed, turns: renderParts(fitParts(notes, Math.max(500, budget))) }) };
}

// dist/insight/engine.js
var NO_TOKENS = { input: 0, output: 0 };
var REBUILD_DELAY_MS = 200;
var notWatched = () => () => {
};
var InsightEngine = class {
  o;
  queue;
  inFlight = /* @__PURE__ */ new Map();
  running = /* @__PURE__ */ new Set();
  timer;
  idleTimer;
  closed = false;
  /** Sessions and projects whose pages are due for a rebuild, coalesced so a burst of jobs rebuilds once. */
  sessionsDue = /* @__PURE__ */ new Set();
  projectsDue = /* @__PURE__ */ new Set();
  rebuildTimer;
  log;
  busy;
  constructor(o) {
    this.o = o;
    this.queue = o.desk.queue;
    this.log = o.log ?? (() => {
    });
    this.busy = o.busy ?? notWatched;
  }
  start() {
    const { requeued, poisoned } = this.queue.recoverRunning();
    if (requeued)
      this.log({ level: "warn", msg: "insight jobs interrupted by a crash run again", jobs: requeued });
    for (const id of poisoned) {
      this.log({ level: "error", msg: "insight job failed: it was running at two crashes in a row", job: id });
      const job = this.queue.get(id);
      if (job)
        this.settled(job);
    }
    this.queue.wakeWaiting();
    const stale = this.step(null, "pages", () => this.o.pages.stalePages());
    for (const id of stale.sessions)
      this.sessionsDue.add(id);
    for (const id of stale.projects)
      this.projectsDue.add(id);
    if (stale.sessions.length + stale.projects.length)
      this.rebuildPending();
    this.idleTimer = setInterval(() => {
      this.o.desk.endIdleSessions();
      this.wake();
    }, this.o.idleCheckMs ?? 6e4);
    this.idleTimer.unref();
    this.wake();
  }
  /** Something may be due: new jobs were committed, credentials arrived, a retry time passed. */
  wake() {
    if (this.closed)
      return;
    if (this.timer)
      clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), 0);
    this.timer.unref();
  }
  /** Credentials arrived: jobs waiting for a key run now. */
  credentialsArrived() {
    if (this.queue.wakeWaiting() > 0)
      this.wake();
  }
  pump() {
    this.timer = void 0;
    if (this.closed)
      return;
    const free = this.o.settings.concurrency - this.inFlight.size;
    if (free > 0) {
      for (const job of this.queue.due(free + this.inFlight.size).filter((j) => !this.inFlight.has(j.id)).slice(0, free)) {
        if (!this.queue.claim(job.id))
          continue;
        this.publishJob({ ...job, state: "running" });
        const controller = new AbortController();
        this.inFlight.set(job.id, controller);
        const run = this.run(job, controller.signal).catch((err) => this.log({ level: "error", msg: "insight job crashed", job: job.id, error: err.message })).finally(() => {
          this.inFlight.delete(job.id);
          this.running.delete(run);
          this.wake();
        });
        this.running.add(run);
      }
    }
    const next = this.queue.nextDueAt();
    if (next && !this.timer && this.inFlight.size < this.o.settings.concurrency) {
      const delay = Math.max(1, Date.parse(next) - Date.now());
      this.timer = setTimeout(() => this.pump(), Math.min(delay, 6e4));
      this.timer.unref();
    }
  }
  /** Runs a synchronous step under the host's watch. */
  step(jobId, step, fn) {
    const done = this.busy(jobId, step);
    try {
      return fn();
    } finally {
      done();
    }
  }
  async run(job, signal) {
    const access2 = this.o.access.resolve(job.sessionId ?? void 0);
    if (!access2) {
      this.queue.waitForKey(job.id, this.o.access.waitingReason);
      return this.settled(job);
    }
    const calls = { db: this.o.db, reader: this.o.desk.reader, prompts: this.o.prompts, settings: this.o.settings };
    const { model, timeoutMs } = this.o.settings;
    let spent = NO_TOKENS;
    try {
      if (job.kind === "turn") {
        const { facts, instructions, input } = this.step(job.id, "build", () => turnCall(calls, job.subjectId));
        const answer = await callStructured({ access: access2, model, instructions, input, schema: TurnInsightOutput, schemaName: TURN_INSIGHT_SCHEMA, signal, timeoutMs });
        spent = answer.usage;
        const events = this.step(job.id, "land", () => landTurnInsight(this.o.db, job, facts, answer.output, model, answer.usage));
        if (events)
          this.told({ kind: "turn", sessionId: facts.sessionId, turnId: facts.turnId, project: facts.project, output: answer.output });
        for (const e of events ?? [])
          this.o.live.publish(e);
      } else {
        const sessionId = job.sessionId;
        const { instructions, input } = this.step(job.id, "build", () => sessionCall(calls, sessionId));
        const answer = await callStructured({ access: access2, model, instructions, input, schema: SessionSummaryOutput, schemaName: SESSION_SUMMARY_SCHEMA, signal, timeoutMs });
        spent = answer.usage;
        const version = this.step(job.id, "land", () => landSummary(this.o.db, job, sessionId, answer.output, answer.usage));
        if (version !== void 0)
          this.told({ kind: "summary", sessionId, project: ensureProject(this.o.db, sessionId), version, output: answer.output });
      }
    } catch (err) {
      if (this.closed)
        return;
      this.failed(job, err, err.usage ?? spent);
    }
    this.settled(job);
  }
  told(stored) {
    try {
      this.o.onStoredInsight?.(stored);
    } catch (err) {
      this.log({ level: "error", msg: "a listener of stored insights failed", session: stored.sessionId, error: err.message });
    }
  }
  failed(job, err, tokens) {
    const attempts = job.attempts + 1;
    if (!(err instanceof ModelCallError)) {
      this.queue.fail(job.id, err.message ?? String(err), tokens);
      return;
    }
    const reason = `${err.failure}: ${err.message}`;
    switch (err.failure) {
      case "auth":
        this.queue.waitForKey(job.id, `the credentials were refused (${err.message})`);
        return;
      case "refused":
        this.queue.fail(job.id, reason, tokens);
        return;
      case "invalid_output":
        if (attempts < 2)
          this.queue.retryLater(job.id, reason, 0, tokens);
        else
          this.queue.fail(job.id, reason, tokens);
        return;
      default: {
        const maxAttempts = this.o.maxAttempts ?? 5;
        if (attempts >= maxAttempts) {
          this.queue.fail(job.id, `${reason} (gave up after ${attempts} attempts)`, tokens);
          return;
        }
        const backoff = (this.o.retryBaseMs ?? 2e3) * 2 ** (attempts - 1);
        this.queue.retryLater(job.id, reason, Math.min(err.retryAfterMs ?? backoff, 10 * 6e4), tokens);
      }
    }
  }
  /** After a job changed state: tell subscribers and rebuild the pages that show it. */
  settled(job) {
    const now = this.queue.get(job.id);
    if (now)
      this.publishJob(now);
    if (job.sessionId)
      this.pagesChanged({ sessionId: job.sessionId });
  }
  /** Pages to rebuild; jobs that settle close together share one rebuild, a few ms later. */
  pagesChanged(change) {
    if (change.sessionId)
      this.sessionsDue.add(change.sessionId);
    if (change.projectId)
      this.projectsDue.add(change.projectId);
    if (this.rebuildTimer || this.closed)
      return;
    this.rebuildTimer = setTimeout(() => this.rebuildPending(), REBUILD_DELAY_MS);
    this.rebuildTimer.unref();
  }
  rebuildPending() {
    this.rebuildTimer = void 0;
    const sessions = [...this.sessionsDue];
    const projects = [...this.projectsDue];
    this.sessionsDue.clear();
    this.projectsDue.clear();
    const started = performance.now();
    this.step(null, "pages", () => {
      for (const id of sessions)
        this.o.pages.rebuildSession(id);
      for (const id of projects)
        this.o.pages.rebuildProject(id);
    });
    if (sessions.length + projects.length > 0)
      this.log({ level: "debug", msg: "insight pages rebuilt", sessions: sessions.length, projects: projects.length, ms: Math.round(performance.now() - started) });
  }
  publishJob(job) {
    this.o.live.publish(jobEvent(job));
  }
  /** Stops taking jobs; calls in flight are abandoned, go back to the queue and run again at the next start. */
  async close() {
    this.closed = true;
    if (this.timer)
      clearTimeout(this.timer);
    if (this.idleTimer)
      clearInterval(this.idleTimer);
    const abandoned = [...this.inFlight.keys()];
    for (const c of this.inFlight.values())
      c.abort();
    await Promise.allSettled([...this.running]);
    for (const id of abandoned)
      this.queue.release(id);
    if (this.rebuildTimer)
      clearTimeout(this.rebuildTimer);
    this.rebuildPending();
  }
};

// dist/insight/search-docs.js
var lines = (parts) => parts.filter((p) => !!p && p.trim() !== "").join("\n");
var steps = (list) => lines(list.map((s) => lines([s.step, s.command, s.why])));
function insightSearchDocs(stored) {
  const docs = [];
  if (stored.kind === "turn") {
    const o2 = stored.output;
    const where2 = { sessionId: stored.sessionId, turnId: stored.turnId, project: stored.project };
    docs.push({
      docKind: "insight",
      refId: stored.turnId,
      ...where2,
      text: lines([
        o2.summary,
        o2.action,
        ...o2.gaps.map((g) => `${g.topic}: ${g.question}`),
        ...o2.confusion.map((c) => c.what),
        ...o2.decisions.map((d) => `${d.choice} (${d.why})`),
        ...o2.successes,
        ...o2.follow_ups,
        ...o2.resolved_gaps.map((r) => r.how),
        o2.next_time
      ])
    });
    if (o2.playbook_steps.length)
      docs.push({ docKind: "playbook", refId: stored.turnId, ...where2, text: steps(o2.playbook_steps) });
    return docs;
  }
  const o = stored.output;
  const where = { sessionId: stored.sessionId, turnId: null, project: stored.project };
  docs.push({ docKind: "summary", refId: stored.sessionId, ...where, text: lines([o.title, ...o.highlights, ...o.unresolved_questions, ...o.next_repetitions]) });
  if (o.playbook.length)
    docs.push({ docKind: "playbook", refId: `summary:${stored.sessionId}`, ...where, text: steps(o.playbook) });
  return docs;
}

// dist/insight/engine-worker.js
var data = workerData;
var port = parentPort;
var send = (m) => port.postMessage(m);
var log = (line) => send({ type: "log", line });
var db = new Database(data.dbPath);
db.pragma("busy_timeout = 5000");
var settings = { ...data.settings, baseUrl: new URL(data.settings.baseUrl) };
var live = new LiveEvents((err) => log({ level: "error", msg: "live event relay failed", error: err.message }));
live.subscribe((event) => send({ type: "live", event }));
var vault = new CredentialVault();
var access = new ModelAccessResolver(settings, vault);
var folderOf = db.prepare(`SELECT folder FROM sessions WHERE id = ?`).pluck();
var sessionDir = (id) => path.join(data.documentsDir, folderOf.get(id) ?? sessionFolderName(id));
var engine;
var desk = new InsightDesk({
  db,
  settings,
  live,
  waitingReason: access.waitingReason,
  pagesChanged: (change) => {
    engine?.pagesChanged(change);
    engine?.wake();
  }
});
var pages = new InsightPages({ db, reader: desk.reader, queue: desk.queue, documentsDir: data.documentsDir, sessionDir, mode: settings.mode, log });
var search = new SearchIndex(db);
engine = new InsightEngine({
  db,
  desk,
  pages,
  settings,
  prompts: data.prompts,
  access,
  live,
  log,
  busy: (jobId, step) => {
    send({ type: "busy", jobId, step });
    return () => send({ type: "free" });
  },
  onStoredInsight: (stored) => {
    for (const doc of insightSearchDocs(stored))
      search.indexDocument(doc);
  },
  ...data.timing
});
vault.onArrival(() => engine?.credentialsArrived());
var heartbeat = setInterval(() => send({ type: "heartbeat" }), data.heartbeatMs);
port.on("message", (m) => {
  switch (m.type) {
    case "wake":
      engine?.wake();
      break;
    case "credentials":
      vault.offer(m.offer);
      break;
    case "pages":
      engine?.pagesChanged(m.change);
      break;
    case "close":
      clearInterval(heartbeat);
      void engine.close().finally(() => {
        db.close();
        port.close();
      });
      break;
  }
});
engine.start();
send({ type: "ready" });
