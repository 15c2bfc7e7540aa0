// SQLite schema, applied as numbered migrations tracked in PRAGMA user_version.
// Rows are appended, never updated on the hot path, except a request's closing facts and a turn's status.

import type Database from 'better-sqlite3';
import { registerSearchFunctions, SEARCH_INDEX_IDENTIFIERS_MIGRATION, SEARCH_META_MIGRATION, SEARCH_INDEX_MIGRATION, SEARCH_INDEX_PORTER_MIGRATION, SEARCH_TYPED_TEXT_MIGRATION } from './search-index.js';

const MIGRATIONS: string[] = [
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
    id TEXT PRIMARY KEY,                  -- a_…
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
  `,
  // retrieval (issue 30): the search index stems words (porter), rebuilt from what it already holds.
  // A project's sessions by index: scoping a search or naming a project must not scan every session.
  `${SEARCH_INDEX_PORTER_MIGRATION}
  CREATE INDEX IF NOT EXISTS sessions_project ON sessions(project);`,
  // team memory (src/team/, docs/team.md): what waits to leave for the team's PostgreSQL (the outbox, filled
  // in the insight engine's landing transactions), each project's team name and sharing switch, what came
  // from the team (who and when), and the sync's state (machine id, pull cursor, status).
  `
  CREATE TABLE IF NOT EXISTS team_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                   -- note | gap | summary
    local_id TEXT NOT NULL,               -- turn id | gap id | session id
    project TEXT NOT NULL,
    session_id TEXT,
    payload TEXT,                         -- JSON of a note or summary as it landed; a gap is read when it is sent
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS team_projects (
    project TEXT PRIMARY KEY,
    team_key TEXT NOT NULL,               -- normalised git remote, else folder:<name>
    sharing INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS team_projects_key ON team_projects(team_key);
  CREATE TABLE IF NOT EXISTS team_received (
    machine_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    local_id TEXT NOT NULL,
    team_key TEXT NOT NULL,
    project TEXT NOT NULL,
    author TEXT NOT NULL,
    session_id TEXT,
    data TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (machine_id, kind, local_id)
  );
  CREATE INDEX IF NOT EXISTS team_received_local ON team_received(kind, local_id);
  CREATE TABLE IF NOT EXISTS team_gap_marks (gap_id TEXT PRIMARY KEY, stamp TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS team_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // retrieval (issue 30): identifiers split and joined in a column of their own (store/identifiers.ts).
  SEARCH_INDEX_IDENTIFIERS_MIGRATION,
  // retrieval (issue 30): documents' sessions and projects beside the index, for searches scoped to a project.
  SEARCH_META_MIGRATION,
  // A folder renamed in a commit (folder-book.ts) until it has moved on disk: a crash in between is finished at open.
  `CREATE TABLE IF NOT EXISTS folder_moves (session_id TEXT PRIMARY KEY, from_folder TEXT NOT NULL, to_folder TEXT NOT NULL);`,
  // search: what the person typed for a message learn mode sent rewritten, indexed beside what was sent (typed-text-docs.ts).
  SEARCH_TYPED_TEXT_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`documents/sessions.db has schema version ${current}, newer than this kx (${MIGRATIONS.length}); upgrade kx`);
  }
  if (current < MIGRATIONS.length) registerSearchFunctions(db);
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
