// The jsonl files are appended right after each SQLite commit. A crash (or a full disk) between the
// two would leave rows the files never got, so each commit also notes which rows its lines come
// from; on the next start, and after a failed append, the missing lines are rebuilt from those rows.
// Appending is idempotent: a line whose item (or request result) the file already has is skipped.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { appendPrivate } from './documents-dir.js';
import { jsonlLines } from './jsonl-lines.js';
import { z } from 'zod';
import type { ItemKind } from '../protocol/items.js';
import { parseJson } from '../protocol/json-guards.js';
import { allRows } from './checked-rows.js';
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

/** What a commit noted in jsonl_pending, read back; nothing when it does not parse. */
export const storedLineSources = z.object({ items: z.array(z.string()), results: z.array(z.string()) }).catch({ items: [], results: [] });

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

const ITEM_KINDS = ['human_message', 'injected_context', 'instructions', 'assistant_message', 'reasoning', 'tool_call', 'tool_output', 'compaction', 'other'] as const satisfies readonly ItemKind[];
const OUTCOMES = ['completed', 'failed', 'incomplete', 'error', 'cut', 'aborted', 'interrupted', 'in_progress', 'undecodable'] as const satisfies readonly Outcome[];
// Both lists name every member of their union: a kind added to the union and not here fails to compile.
type Whole<Missing extends never> = Missing;
type ListsAreWhole = [Whole<Exclude<ItemKind, (typeof ITEM_KINDS)[number]>>, Whole<Exclude<Outcome, (typeof OUTCOMES)[number]>>];

const maybeText = z.string().nullable();
const maybeCount = z.number().nullable();
const itemRow = z.object({
  id: z.string(),
  session_id: z.string(),
  request_id: z.string(),
  seq: z.number(),
  direction: z.enum(['input', 'output']),
  kind: z.enum(ITEM_KINDS),
  item_type: z.string(),
  dedup_key: z.string(),
  created_at: z.string(),
  turn_id: maybeText,
  role: maybeText,
  protocol_id: maybeText,
  call_id: maybeText,
  tool_name: maybeText,
  text: maybeText,
  arguments: maybeText,
  output: maybeText,
  status: maybeText,
  detail: maybeText,
});
const requestRow = z.object({
  id: z.string(),
  session_id: z.string(),
  turn_id: maybeText,
  duration_ms: maybeCount,
  outcome: z.enum(OUTCOMES).nullable(),
  parse_errors: z.number(),
  events: z.number(),
  ended_at: maybeText,
  started_at: z.string(),
  first_byte_ms: maybeCount,
  status_code: maybeCount,
  response_id: maybeText,
  input_tokens: maybeCount,
  cached_tokens: maybeCount,
  output_tokens: maybeCount,
  reasoning_tokens: maybeCount,
  total_tokens: maybeCount,
  error: maybeText,
});
const upstreamError = z.object({ status: z.number().optional(), code: z.string().optional(), type: z.string().optional(), message: z.string() });
const detailObject = z.record(z.unknown());

/** The row's nullable columns that are set, as the record's optional fields. */
function present<T extends Record<string, unknown>>(fields: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

function itemOp(r: z.infer<typeof itemRow>): StoreOp {
  const detail = r.detail ? detailObject.safeParse(parseJson(r.detail)) : undefined;
  const rec: ItemRecord = {
    id: r.id,
    sessionId: r.session_id,
    requestId: r.request_id,
    seq: r.seq,
    direction: r.direction,
    kind: r.kind,
    itemType: r.item_type,
    dedupKey: r.dedup_key,
    createdAt: r.created_at,
    ...present({ turnId: r.turn_id, role: r.role, protocolId: r.protocol_id, callId: r.call_id, toolName: r.tool_name, text: r.text, arguments: r.arguments, output: r.output, status: r.status }),
    ...(detail?.success ? { detail: detail.data } : {}),
  };
  return { op: 'item', rec };
}

function resultOp(r: z.infer<typeof requestRow>): StoreOp {
  const error = r.error ? upstreamError.safeParse(parseJson(r.error)) : undefined;
  const rec: RequestResult = {
    requestId: r.id,
    sessionId: r.session_id,
    durationMs: r.duration_ms ?? 0,
    outcome: r.outcome ?? 'interrupted',
    parseErrors: r.parse_errors,
    events: r.events,
    endedAt: r.ended_at ?? r.started_at,
    ...present({ turnId: r.turn_id, firstByteMs: r.first_byte_ms, statusCode: r.status_code, responseId: r.response_id }),
    ...(error?.success ? { error: error.data } : {}),
  };
  if (r.total_tokens !== null) {
    rec.usage = {
      inputTokens: r.input_tokens ?? 0,
      cachedTokens: r.cached_tokens ?? 0,
      outputTokens: r.output_tokens ?? 0,
      reasoningTokens: r.reasoning_tokens ?? 0,
      totalTokens: r.total_tokens,
    };
  }
  return { op: 'request-result', rec };
}

function rowsFor<S extends z.ZodTypeAny>(db: Database.Database, schema: S, table: 'items' | 'requests', ids: readonly string[], order: string): Array<z.output<S>> {
  const rows: Array<z.output<S>> = [];
  // SQLite caps bound parameters; 500 at a time stays well under it.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(...allRows(schema, table === 'items' ? 'item' : 'request', db.prepare(`SELECT * FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')}) ORDER BY ${order}`), ...chunk));
  }
  return rows;
}

/** Appends the lines of these rows that their files lack. Returns how many lines were written. */
export function appendMissingLines(db: Database.Database, sessionDir: (sessionId: string) => string, sources: LineSources): number {
  const ops = [...rowsFor(db, itemRow, 'items', sources.items, 'seq').map(itemOp), ...rowsFor(db, requestRow, 'requests', sources.results, 'rowid').map(resultOp)];
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
