// How each op the store is handed becomes SQL: one prepared statement (or two) per kind of op, and
// what the row change means for the commit (announced, an ended turn, an item already stored).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from './checked-rows.js';
import type { ItemRecord, RequestResult, StoreOp, TurnStatus } from './records.js';

export interface OpOutcome {
  /** A row changed: the op is announced to listeners. */
  changed: boolean;
  /** An item the database already had: it gets no jsonl line. */
  duplicate?: boolean;
  /** The turn left `open` in this op. */
  endedTurn?: { turnId: string; sessionId: string; status: TurnStatus['status'] };
}

/** What a writer may need from the rest of its batch. */
export interface BatchContext {
  /** A new session's folder when one was given out before its row (folder-book.ts), else null: filed at its first message. */
  folderOf: (sessionId: string) => string | null;
}

type Writer<K extends StoreOp['op']> = (op: Extract<StoreOp, { op: K }>, batch: BatchContext) => OpOutcome;
export type OpWriters = { [K in StoreOp['op']]: Writer<K> };

const changed = (result: { changes: number }): OpOutcome => ({ changed: result.changes > 0 });

/** The statements, one (or two) per kind of op. */
function statements(db: Database.Database) {
  const session = db.prepare(
    `INSERT INTO sessions (id, identified_by, client, user_agent, started_at, folder, imported_from)
     VALUES (@id, @identifiedBy, @client, @userAgent, @startedAt, @folder, @importedFrom) ON CONFLICT(id) DO NOTHING`,
  );
  const turn = db.prepare(
    `INSERT INTO turns (id, session_id, seq, client_turn_id, started_at) VALUES (@id, @sessionId, @seq, @clientTurnId, @startedAt)
     ON CONFLICT DO NOTHING`,
  );
  const turnStatus = db.prepare(`UPDATE turns SET status = @status, ended_at = @endedAt WHERE id = @turnId`);
  const turnStatusOf = db.prepare(`SELECT status FROM turns WHERE id = ?`).pluck();
  const turnStatusIfOpen = db.prepare(`UPDATE turns SET status = @status, ended_at = @endedAt WHERE id = @turnId AND status = 'open'`);
  const request = db.prepare(
    `INSERT INTO requests (id, session_id, turn_id, transport, api, method, path, upstream, model, request_kind, started_at,
       previous_response_id, new_items, skipped_items, parse_errors)
     VALUES (@id, @sessionId, @turnId, @transport, @api, @method, @path, @upstream, @model, @requestKind, @startedAt,
       @previousResponseId, @newItems, @skippedItems, @parseErrors)`,
  );
  const requestResult = db.prepare(
    `UPDATE requests SET first_byte_ms = @firstByteMs, duration_ms = @durationMs, status_code = @statusCode, outcome = @outcome,
       response_id = @responseId, input_tokens = @inputTokens, cached_tokens = @cachedTokens, output_tokens = @outputTokens,
       reasoning_tokens = @reasoningTokens, total_tokens = @totalTokens, error = @error,
       parse_errors = parse_errors + @parseErrors, events = @events, ended_at = @endedAt, turn_id = COALESCE(turn_id, @turnId)
     WHERE id = @requestId`,
  );
  const item = db.prepare(
    `INSERT INTO items (id, session_id, turn_id, request_id, seq, direction, kind, item_type, role, protocol_id, call_id,
       tool_name, text, arguments, output, status, detail, dedup_key, created_at)
     VALUES (@id, @sessionId, @turnId, @requestId, @seq, @direction, @kind, @itemType, @role, @protocolId, @callId,
       @toolName, @text, @arguments, @output, @status, @detail, @dedupKey, @createdAt)
     ON CONFLICT DO NOTHING`,
  );
  const captureError = db.prepare(`INSERT INTO capture_errors (ts, session_id, request_id, stage, message) VALUES (@ts, @sessionId, @requestId, @stage, @message)`);
  return { session, turn, turnStatus, turnStatusOf, turnStatusIfOpen, request, requestResult, item, captureError };
}

/** A request's closing facts as the statement's parameters (SQLite takes null, not undefined). */
const requestResultRow = (r: RequestResult) => ({
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
  endedAt: r.endedAt,
});

const itemRow = (r: ItemRecord) => ({
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
  detail: r.detail ? JSON.stringify(r.detail) : null,
});

export function prepareOpWriters(db: Database.Database): OpWriters {
  const { session, turn, turnStatus, turnStatusOf, turnStatusIfOpen, request, requestResult, item, captureError } = statements(db);
  return {
    session: (op, batch) =>
      changed(session.run({ client: null, userAgent: null, importedFrom: null, ...op.rec, folder: batch.folderOf(op.rec.id) })),
    turn: (op) => changed(turn.run({ clientTurnId: null, ...op.rec })),
    'turn-status': (op) => {
      const { turnId, status, endedAt } = op.rec;
      const before = oneRow(z.string(), 'turn status', turnStatusOf, turnId);
      const result = (op.rec.onlyIfOpen ? turnStatusIfOpen : turnStatus).run({ turnId, status, endedAt });
      // Only a real change is announced; a turn leaving `open` is what the insight engine waits for.
      if (result.changes === 0 || before === status) return { changed: false };
      return { changed: true, ...(before === 'open' && status !== 'open' ? { endedTurn: { turnId, sessionId: op.rec.sessionId, status } } : {}) };
    },
    request: (op) => changed(request.run({ turnId: null, upstream: null, model: null, requestKind: null, previousResponseId: null, ...op.rec })),
    'request-result': (op) => changed(requestResult.run(requestResultRow(op.rec))),
    item: (op) => {
      const result = item.run(itemRow(op.rec));
      return { changed: result.changes > 0, duplicate: result.changes === 0 };
    },
    'capture-error': (op) => changed(captureError.run({ sessionId: null, requestId: null, ...op.rec })),
  };
}

/** Runs an op through its writer. */
export function writeOp(writers: OpWriters, op: StoreOp, batch: BatchContext): OpOutcome {
  return (writers[op.op] as (o: StoreOp, b: BatchContext) => OpOutcome)(op, batch);
}
