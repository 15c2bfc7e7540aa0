import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/store/session-folder.js
import { createHash } from "node:crypto";
var RESERVED = /* @__PURE__ */ new Set(["ui-token", "projects", "readme", "documents", "con", "prn", "aux", "nul", "clock$"]);
var RESERVED_PREFIX = /^(?:kx-|sessions|com\d|lpt\d)/i;
var PLAIN = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
function reserved(name) {
  return RESERVED.has(name.toLowerCase()) || RESERVED_PREFIX.test(name);
}
function sessionFolderName(sessionId) {
  if (PLAIN.test(sessionId) && !reserved(sessionId))
    return sessionId;
  const hash = createHash("sha256").update(sessionId, "utf8").digest("hex").slice(0, 16);
  const readable = sessionId.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^[_-]+|[_-]+$/g, "").slice(0, 40);
  const prefix = readable && !reserved(readable) ? readable : `s_${readable}`.slice(0, 40).replace(/[_-]+$/, "");
  return `${prefix}.${hash}`;
}
function legacyFolderName(sessionId) {
  return sessionId.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
}
var TITLE_WORDS = 5;
var TITLE_CHARS = 40;
function readableFolderName(sessionId, startedAt, firstMessage) {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(startedAt)?.[0];
  const words = (firstMessage ?? "").normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean).slice(0, TITLE_WORDS).join("-").slice(0, TITLE_CHARS).replace(/-+$/, "");
  return [day, words, sessionFolderName(sessionId)].filter(Boolean).join("_");
}

// dist/capture/ids.js
import { randomBytes } from "node:crypto";
var lastMs = 0;
var counter = 0;
function newId(prefix) {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `${prefix}_${now.toString(36).padStart(9, "0")}${counter.toString(36).padStart(3, "0")}${randomBytes(5).toString("hex")}`;
}

// dist/insight/jobs.js
function jobEvent(job) {
  return { type: "insight", sessionId: job.sessionId, turnId: job.kind === "turn" ? job.subjectId : null, jobKind: job.kind, state: job.state };
}
var POISON_REASON = "the job was running when kx stopped unexpectedly twice in a row; it is not run again (a poison job)";
var JOB_COLUMNS = `id, kind, subject_id AS subjectId, session_id AS sessionId, state, attempts, next_attempt_at AS nextAttemptAt,
  last_error AS lastError, input_tokens AS inputTokens, output_tokens AS outputTokens`;
function createJob(db, kind, subjectId, sessionId, now = (/* @__PURE__ */ new Date()).toISOString()) {
  const id = newId("j");
  const res = db.prepare(`INSERT INTO insight_jobs (id, kind, subject_id, session_id, state, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (kind, subject_id) DO NOTHING`).run(id, kind, subjectId, sessionId, now, now, now);
  if (res.changes > 0)
    return { id, created: true };
  return { id: db.prepare(`SELECT id FROM insight_jobs WHERE kind = ? AND subject_id = ?`).pluck().get(kind, subjectId), created: false };
}
var JobQueue = class {
  db;
  constructor(db) {
    this.db = db;
  }
  /**
   * At start, for jobs a crash left running. Once, a job runs again (its result had not landed, or it
   * would be done). A job that was running at two crashes in a row is the likeliest cause of both: it
   * is failed, visibly, so that it cannot stop kx a third time.
   */
  recoverRunning() {
    const now = (/* @__PURE__ */ new Date()).toISOString();
    return this.db.transaction(() => {
      const poisoned = this.db.prepare(`SELECT id FROM insight_jobs WHERE state = 'running' AND interrupted >= 1`).pluck().all();
      this.db.prepare(`UPDATE insight_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE state = 'running' AND interrupted >= 1`).run(POISON_REASON, now);
      const requeued = this.db.prepare(`UPDATE insight_jobs SET state = 'queued', interrupted = interrupted + 1, updated_at = ? WHERE state = 'running'`).run(now).changes;
      return { requeued, poisoned };
    })();
  }
  /** kx is stopping on purpose: the job goes back to the queue as if it had not been claimed. */
  release(id) {
    this.db.prepare(`UPDATE insight_jobs SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND state = 'running'`).run((/* @__PURE__ */ new Date()).toISOString(), id);
  }
  /** The host ended a worker stuck on this job: it fails, and is not run again. */
  failStalled(id, error) {
    this.db.prepare(`UPDATE insight_jobs SET state = 'failed', interrupted = 0, last_error = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(error, (/* @__PURE__ */ new Date()).toISOString(), id);
  }
  /** The host ended a worker: the jobs it was running go back to the queue, not counted as a crash. */
  releaseAllRunning() {
    return this.db.prepare(`UPDATE insight_jobs SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ? WHERE state = 'running' AND kind IN ('turn', 'session')`).run((/* @__PURE__ */ new Date()).toISOString()).changes;
  }
  get(id) {
    return this.db.prepare(`SELECT ${JOB_COLUMNS} FROM insight_jobs WHERE id = ?`).get(id);
  }
  /**
   * Due queued turn and session jobs, oldest first (`import` jobs belong to the importer). A summary
   * waits until its session's turn jobs have settled, so it is written from their notes.
   */
  due(limit, now = (/* @__PURE__ */ new Date()).toISOString()) {
    return this.db.prepare(`SELECT ${JOB_COLUMNS} FROM insight_jobs j WHERE state = 'queued' AND kind IN ('turn', 'session') AND next_attempt_at <= ?
           AND NOT (kind = 'session' AND EXISTS (SELECT 1 FROM insight_jobs t WHERE t.kind = 'turn' AND t.session_id = j.session_id
             AND t.state IN ('queued', 'running')))
         ORDER BY next_attempt_at, created_at LIMIT ?`).all(now, limit);
  }
  /** The earliest time a queued job becomes due, to sleep until then. */
  nextDueAt() {
    return this.db.prepare(`SELECT MIN(next_attempt_at) FROM insight_jobs j WHERE state = 'queued' AND kind IN ('turn', 'session')
             AND NOT (kind = 'session' AND EXISTS (SELECT 1 FROM insight_jobs t WHERE t.kind = 'turn' AND t.session_id = j.session_id
               AND t.state IN ('queued', 'running')))`).pluck().get() ?? void 0;
  }
  /** queued → running; false when another worker took it or it is no longer queued. */
  claim(id) {
    const now = (/* @__PURE__ */ new Date()).toISOString();
    return this.db.prepare(`UPDATE insight_jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'`).run(now, id).changes === 1;
  }
  retryLater(id, error, delayMs, tokens) {
    const now = Date.now();
    this.db.prepare(`UPDATE insight_jobs SET state = 'queued', interrupted = 0, last_error = ?, next_attempt_at = ?, updated_at = ?,
           input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ? AND state = 'running'`).run(error, new Date(now + delayMs).toISOString(), new Date(now).toISOString(), tokens.input, tokens.output, id);
  }
  fail(id, error, tokens) {
    this.db.prepare(`UPDATE insight_jobs SET state = 'failed', interrupted = 0, last_error = ?, updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?
         WHERE id = ? AND state = 'running'`).run(error, (/* @__PURE__ */ new Date()).toISOString(), tokens.input, tokens.output, id);
  }
  /** No credentials: the job waits, visibly, and is queued again when some arrive. */
  waitForKey(id, reason) {
    this.db.prepare(`UPDATE insight_jobs SET state = 'waiting_key', interrupted = 0, last_error = ?, attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND state = 'running'`).run(reason, (/* @__PURE__ */ new Date()).toISOString(), id);
  }
  /** Credentials arrived: every waiting job is queued again. */
  wakeWaiting() {
    const now = (/* @__PURE__ */ new Date()).toISOString();
    return this.db.prepare(`UPDATE insight_jobs SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE state = 'waiting_key'`).run(now, now).changes;
  }
  /** running → done with its tokens; false if it was not running (then its result must not land). */
  markDone(id, tokens) {
    return this.db.prepare(`UPDATE insight_jobs SET state = 'done', interrupted = 0, last_error = NULL, updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ? AND state = 'running'`).run((/* @__PURE__ */ new Date()).toISOString(), tokens.input, tokens.output, id).changes === 1;
  }
  counts() {
    const out = { queued: 0, running: 0, done: 0, failed: 0, waiting_key: 0 };
    for (const row of this.db.prepare(`SELECT state, COUNT(*) AS n FROM insight_jobs GROUP BY state`).all())
      out[row.state] = row.n;
    return out;
  }
  countsForSession(sessionId) {
    const out = { queued: 0, running: 0, done: 0, failed: 0, waiting_key: 0 };
    for (const row of this.db.prepare(`SELECT state, COUNT(*) AS n FROM insight_jobs WHERE session_id = ? GROUP BY state`).all(sessionId))
      out[row.state] = row.n;
    return out;
  }
  tokens(sinceIso) {
    const row = this.db.prepare(`SELECT COALESCE(SUM(input_tokens),0) AS input, COALESCE(SUM(output_tokens),0) AS output FROM insight_jobs WHERE updated_at >= ?`).get(sinceIso ?? "");
    return row;
  }
};

export {
  newId,
  sessionFolderName,
  legacyFolderName,
  readableFolderName,
  jobEvent,
  createJob,
  JobQueue
};
