// Read side of the store: what the API and capture's warm-up need. Never on the request path.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { itemView, turnView, type ItemView, type TurnView } from '../contracts/console.js';
import { parseJson } from '../protocol/json-guards.js';
import { allRows, oneRow } from './checked-rows.js';
import { TYPED_TEXT_SQL } from './session-folder.js';
import { knownProjects } from './name-match.js';

export interface SessionSummary {
  id: string;
  client: string | null;
  userAgent: string | null;
  identifiedBy: string;
  startedAt: string;
  /** The Codex rollout file the session was imported from, or null when kx recorded it live first. */
  importedFrom: string | null;
  lastActivityAt: string;
  turnCount: number;
  requestCount: number;
  usage: { inputTokens: number; cachedTokens: number; outputTokens: number; reasoningTokens: number; totalTokens: number };
  /** The project id (from the working directory, else the client), the working directory, and when the session was ended. */
  project: string | null;
  cwd: string | null;
  endedAt: string | null;
  /** Tokens kx's own insight calls spent on this session, beside the agent's `usage`. */
  insightTokens: { input: number; output: number };
  /** Calls the agent made to kx's memory tools (MCP, src/mcp/) during this session. */
  memoryLookups: number;
}

export interface StoredRequest {
  id: string;
  turnId: string | null;
  transport: string;
  api: string;
  path: string;
  /** Upstream base the request went to (origin and path); null when kx answered it itself or it predates the column. */
  upstream: string | null;
  model: string | null;
  requestKind: string | null;
  startedAt: string;
  firstByteMs: number | null;
  durationMs: number | null;
  statusCode: number | null;
  outcome: string | null;
  responseId: string | null;
  usage: { inputTokens: number | null; cachedTokens: number | null; outputTokens: number | null; reasoningTokens: number | null; totalTokens: number | null };
  error: unknown;
  newItems: number;
  skippedItems: number;
  parseErrors: number;
  /** Stream events the response had (SSE events or WebSocket frames). */
  events: number;
}

export interface SessionDetail extends SessionSummary {
  turns: TurnView[];
  /** Items before the first human message (instructions, prewarm) or outside any turn. */
  preamble: ItemView[];
  requests: StoredRequest[];
}

/** What capture needs to continue a session stored by an earlier run of kx. */
export interface SessionResumeState {
  dedupKeys: Set<string>;
  maxItemSeq: number;
  maxTurnSeq: number;
  lastTurnId: string | undefined;
  /** The answers the session received (output messages and tool calls), for capture to tell which history a request resends. */
  answers?: { dedupKey: string; kind: string; protocolId: string | null; callId: string | null; text: string | null }[];
}

const SUMMARY_SQL = `
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

const text = z.string();
const maybeText = z.string().nullable();
const answerRow = z.object({ dedupKey: text, kind: text, protocolId: maybeText, callId: maybeText, text: maybeText });
const ANSWERS_SQL = `SELECT dedup_key AS dedupKey, kind, protocol_id AS protocolId, call_id AS callId, text FROM items
  WHERE session_id = ? AND direction = 'output' AND kind IN ('assistant_message', 'tool_call')`;
const count = z.number();
const maybeCount = z.number().nullable();
const summaryRow = z.object({
  id: text,
  client: maybeText,
  project: maybeText,
  cwd: maybeText,
  endedAt: maybeText,
  insightInput: count,
  insightOutput: count,
  userAgent: maybeText,
  identifiedBy: text,
  startedAt: text,
  importedFrom: maybeText,
  lastActivityAt: text,
  turnCount: count,
  memoryLookups: count,
  requestCount: count,
  inputTokens: count,
  cachedTokens: count,
  outputTokens: count,
  reasoningTokens: count,
  totalTokens: count,
});
type SummaryRow = z.infer<typeof summaryRow>;
const labelRow = z.object({ title: maybeText, startedAt: text, project: maybeText, projectName: maybeText });
const turnRow = turnView.omit({ items: true });
const requestRow = z.object({
  id: text,
  turnId: maybeText,
  transport: text,
  api: text,
  path: text,
  upstream: maybeText,
  model: maybeText,
  requestKind: maybeText,
  startedAt: text,
  firstByteMs: maybeCount,
  durationMs: maybeCount,
  statusCode: maybeCount,
  outcome: maybeText,
  responseId: maybeText,
  input_tokens: maybeCount,
  cached_tokens: maybeCount,
  output_tokens: maybeCount,
  reasoning_tokens: maybeCount,
  total_tokens: maybeCount,
  error: z.unknown(),
  newItems: count,
  skippedItems: count,
  parseErrors: count,
  events: count,
});
const lastTurnRow = z.object({ id: text, seq: count });

function toSummary(row: SummaryRow): SessionSummary {
  const { inputTokens, cachedTokens, outputTokens, reasoningTokens, totalTokens, insightInput, insightOutput, ...rest } = row;
  return { ...rest, usage: { inputTokens, cachedTokens, outputTokens, reasoningTokens, totalTokens }, insightTokens: { input: insightInput, output: insightOutput } };
}

const ITEMS_SQL = `SELECT id, seq, turn_id AS turnId, request_id AS requestId, direction, kind, item_type AS itemType, role,
    protocol_id AS protocolId, call_id AS callId, tool_name AS toolName, text, arguments, output, status, detail, created_at AS createdAt
  FROM items WHERE session_id = ? ORDER BY seq`;
const TURNS_SQL = `SELECT id, seq, client_turn_id AS clientTurnId, started_at AS startedAt, ended_at AS endedAt, status
  FROM turns WHERE session_id = ? ORDER BY seq`;
const REQUESTS_SQL = `SELECT id, turn_id AS turnId, transport, api, path, upstream, model, request_kind AS requestKind, started_at AS startedAt,
    first_byte_ms AS firstByteMs, duration_ms AS durationMs, status_code AS statusCode, outcome, response_id AS responseId,
    input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error,
    new_items AS newItems, skipped_items AS skippedItems, parse_errors AS parseErrors, events
  FROM requests WHERE session_id = ? ORDER BY started_at, rowid`;

/** A stored JSON column as its value; text that is not JSON as itself. */
function jsonOrText(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  const value = parseJson(text);
  return value === undefined ? text : value;
}

export class SessionReader {
  constructor(private readonly db: Database.Database) {}

  /** Every project kx has seen, for naming one (api/project-param.ts). */
  knownProjects(): Array<{ id: string; name: string }> {
    return knownProjects(this.db);
  }

  listSessions(limit = 200): SessionSummary[] {
    return allRows(summaryRow, 'session', this.db.prepare(`${SUMMARY_SQL} ORDER BY lastActivityAt DESC LIMIT ?`), limit).map(toSummary);
  }

  /** What names a session to a person: its first message, when it started, and its project's folder. */
  sessionLabel(id: string): { title: string | null; startedAt: string; project: string | null; projectName: string | null } | undefined {
    const sql = `SELECT (SELECT substr(${TYPED_TEXT_SQL}, 1, 200) FROM items i WHERE i.session_id = s.id AND i.kind = 'human_message' ORDER BY i.seq LIMIT 1) AS title,
        s.started_at AS startedAt, s.project, COALESCE(s.cwd, s.project) AS projectName
      FROM sessions s WHERE s.id = ?`;
    return oneRow(labelRow, 'session label', this.db.prepare(sql), id);
  }

  private importedFromStatement: Database.Statement | undefined;

  /**
   * The rollout a session was imported from; null when it was recorded live (or is unknown). One
   * column by key, for what runs on every live event: a summary's sums grow with the session.
   */
  importedFrom(id: string): string | null {
    const statement = (this.importedFromStatement ??= this.db.prepare(`SELECT imported_from FROM sessions WHERE id = ?`).pluck());
    return oneRow(z.string().nullable(), 'session imported_from', statement, id) ?? null;
  }

  getSummary(id: string): SessionSummary | undefined {
    const row = oneRow(summaryRow, 'session', this.db.prepare(`${SUMMARY_SQL} WHERE s.id = ?`), id);
    return row ? toSummary(row) : undefined;
  }

  getSession(id: string): SessionDetail | undefined {
    const row = oneRow(summaryRow, 'session', this.db.prepare(`${SUMMARY_SQL} WHERE s.id = ?`), id);
    if (!row) return undefined;
    const items = allRows(itemView, 'item', this.db.prepare(ITEMS_SQL), id).map((it) => ({ ...it, detail: jsonOrText(it.detail) }));
    const turns = allRows(turnRow, 'turn', this.db.prepare(TURNS_SQL), id);
    const byTurn = new Map<string, ItemView[]>(turns.map((t) => [t.id, []]));
    const preamble: ItemView[] = [];
    for (const it of items) (it.turnId ? byTurn.get(it.turnId) : undefined)?.push(it) ?? preamble.push(it);
    const requests = allRows(requestRow, 'request', this.db.prepare(REQUESTS_SQL), id).map((r): StoredRequest => {
      const { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error, ...rest } = r;
      const usage = { inputTokens: input_tokens, cachedTokens: cached_tokens, outputTokens: output_tokens, reasoningTokens: reasoning_tokens, totalTokens: total_tokens };
      return { ...rest, usage, error: jsonOrText(error) };
    });
    return {
      ...toSummary(row),
      turns: turns.map((t) => ({ ...t, items: byTurn.get(t.id) ?? [] })),
      preamble,
      requests,
    };
  }

  resumeState(sessionId: string): SessionResumeState | undefined {
    const exists = this.db.prepare(`SELECT 1 FROM sessions WHERE id = ?`).get(sessionId);
    if (!exists) return undefined;
    const keys = allRows(text, 'dedup key', this.db.prepare(`SELECT dedup_key FROM items WHERE session_id = ?`).pluck(), sessionId);
    const maxItemSeq = oneRow(count, 'item seq', this.db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM items WHERE session_id = ?`).pluck(), sessionId) ?? 0;
    const last = oneRow(lastTurnRow, 'turn', this.db.prepare(`SELECT id, seq FROM turns WHERE session_id = ? ORDER BY seq DESC LIMIT 1`), sessionId);
    const answers = allRows(answerRow, 'answer', this.db.prepare(ANSWERS_SQL), sessionId);
    return { dedupKeys: new Set(keys), maxItemSeq, maxTurnSeq: last?.seq ?? 0, lastTurnId: last?.id, answers };
  }

  /** The session a response id belongs to (for previous_response_id chains across restarts). */
  sessionOfResponse(responseId: string): string | undefined {
    return oneRow(maybeText, 'request', this.db.prepare(`SELECT session_id FROM requests WHERE response_id = ? LIMIT 1`).pluck(), responseId) ?? undefined;
  }
}
