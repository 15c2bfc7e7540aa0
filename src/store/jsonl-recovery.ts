// The jsonl files are appended right after each SQLite commit. A crash (or a full disk) between the
// two would leave rows the files never got, so each commit also notes which rows its lines come
// from; on the next start, and after a failed append, the missing lines are rebuilt from those rows.
// Appending is idempotent: a line whose item (or request result) the file already has is skipped.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { appendPrivate } from './documents-dir.js';
import { jsonlLines } from './jsonl-lines.js';
import type { ItemRecord, Outcome, RequestResult, StoreOp } from './records.js';

export interface LineSources {
  /** Item ids whose records become lines. */
  items: string[];
  /** Request ids whose results become lines (usage, error). */
  results: string[];
}

export function lineSources(ops: readonly StoreOp[]): LineSources {
  const items: string[] = [];
  const results: string[] = [];
  for (const op of ops) {
    if (op.op === 'item') items.push(op.rec.id);
    else if (op.op === 'request-result') results.push(op.rec.requestId);
  }
  return { items, results };
}

export function joinSources(a: LineSources, b: LineSources): LineSources {
  return { items: [...a.items, ...b.items], results: [...a.results, ...b.results] };
}

/** What identifies a line in its file: its item, or its request and kind. */
function lineKey(line: string): string | undefined {
  try {
    const v = JSON.parse(line) as { item_id?: string; request_id?: string; kind?: string };
    return v.item_id ?? `${v.request_id ?? ''}|${v.kind ?? ''}`;
  } catch {
    return undefined;
  }
}

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

type Row = Record<string, unknown>;

function itemOp(r: Row): StoreOp {
  const rec: ItemRecord = {
    id: r.id as string,
    sessionId: r.session_id as string,
    requestId: r.request_id as string,
    seq: r.seq as number,
    direction: r.direction as ItemRecord['direction'],
    kind: r.kind as ItemRecord['kind'],
    itemType: r.item_type as string,
    dedupKey: r.dedup_key as string,
    createdAt: r.created_at as string,
  };
  const optional = {
    turnId: orUndefined(r.turn_id as string | null),
    role: orUndefined(r.role as string | null),
    protocolId: orUndefined(r.protocol_id as string | null),
    callId: orUndefined(r.call_id as string | null),
    toolName: orUndefined(r.tool_name as string | null),
    text: orUndefined(r.text as string | null),
    arguments: orUndefined(r.arguments as string | null),
    output: orUndefined(r.output as string | null),
    status: orUndefined(r.status as string | null),
    detail: r.detail ? (JSON.parse(r.detail as string) as Record<string, unknown>) : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (rec as unknown as Row)[k] = v;
  return { op: 'item', rec };
}

function resultOp(r: Row): StoreOp {
  const rec: RequestResult = {
    requestId: r.id as string,
    sessionId: r.session_id as string,
    durationMs: (r.duration_ms as number | null) ?? 0,
    outcome: (r.outcome as Outcome | null) ?? 'interrupted',
    parseErrors: r.parse_errors as number,
    events: r.events as number,
    endedAt: (r.ended_at as string | null) ?? (r.started_at as string),
  };
  if (r.turn_id) rec.turnId = r.turn_id as string;
  if (r.first_byte_ms !== null) rec.firstByteMs = r.first_byte_ms as number;
  if (r.status_code !== null) rec.statusCode = r.status_code as number;
  if (r.response_id) rec.responseId = r.response_id as string;
  if (r.total_tokens !== null) {
    rec.usage = {
      inputTokens: (r.input_tokens as number | null) ?? 0,
      cachedTokens: (r.cached_tokens as number | null) ?? 0,
      outputTokens: (r.output_tokens as number | null) ?? 0,
      reasoningTokens: (r.reasoning_tokens as number | null) ?? 0,
      totalTokens: r.total_tokens as number,
    };
  }
  if (r.error) rec.error = JSON.parse(r.error as string) as RequestResult['error'];
  return { op: 'request-result', rec };
}

function rowsFor(db: Database.Database, table: 'items' | 'requests', ids: readonly string[], order: string): Row[] {
  const rows: Row[] = [];
  // SQLite caps bound parameters; 500 at a time stays well under it.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(...(db.prepare(`SELECT * FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')}) ORDER BY ${order}`).all(...chunk) as Row[]));
  }
  return rows;
}

/** Appends the lines of these rows that their files lack. Returns how many lines were written. */
export function appendMissingLines(db: Database.Database, sessionDir: (sessionId: string) => string, sources: LineSources): number {
  const ops = [...rowsFor(db, 'items', sources.items, 'seq').map(itemOp), ...rowsFor(db, 'requests', sources.results, 'rowid').map(resultOp)];
  let written = 0;
  for (const [sessionId, lines] of jsonlLines(ops)) {
    const dir = sessionDir(sessionId);
    for (const [name, wanted] of [['user_actions.jsonl', lines.user], ['agent_actions.jsonl', lines.agent]] as const) {
      if (wanted.length === 0) continue;
      const file = path.join(dir, name);
      const present = new Set(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').map(lineKey) : []);
      const missing = wanted.filter((l) => !present.has(lineKey(l)));
      if (missing.length) appendPrivate(file, missing.join(''));
      written += missing.length;
    }
  }
  return written;
}
