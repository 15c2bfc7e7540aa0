// What one insight call is sent about a turn: the human's message, the agent's messages, reasoning
// summaries, tool calls with arguments and output, and errors, in order, as stored (already
// redacted). Long parts are cut to their head and tail until the whole call fits the token cap.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import { dataBlock, quoteData } from '../store/quoted-data.js';
import { editedByPersonSql, typedTextSql } from '../store/typed-text-docs.js';
import { estimateTokens } from '../text/tokens.js';
import { cutMark, headAndTail, headShare } from '../text/head-and-tail.js';

export interface TurnPart {
  /** `sent_rewritten`: what learn mode sent upstream in place of the human's message (the `human` part is what they typed). */
  kind: 'human' | 'sent_rewritten' | 'assistant' | 'reasoning' | 'tool_call' | 'tool_output' | 'error' | 'note';
  label: string;
  text: string;
  /** On `sent_rewritten`: the person edited learn mode's proposal before it was sent, so it is their text, not kx's. */
  editedByPerson?: boolean;
}

/** Rough and on the safe side for English and code: a token is about four characters. */

/** What to shorten first: tool output is the bulk and the least read; the human's words last. */
const CUT_WEIGHT: Record<TurnPart['kind'], number> = { tool_output: 8, tool_call: 4, reasoning: 3, error: 2, assistant: 2, sent_rewritten: 2, human: 1, note: 1 };
const MIN_PART_CHARS = 240;
/** A tool output is shown as its head and tail from the start, however much room there is. */
const TOOL_OUTPUT_CHARS = 4000;


const SKIPPED_REQUEST_KINDS = new Set(['background', 'prewarm', 'compaction']);

/** Anything else is read at most this long: more than a whole call's budget, so fitParts still decides. */
const PART_READ_CHARS = 64_000;

/**
 * A column read as `headAndTail(column, keep)` would show it, with only the head and the tail leaving
 * SQLite: a turn of 160 one-megabyte outputs must not be loaded whole to keep 4 KB of each.
 */
const cutColumn = (expr: string, keep: number, as: string): string => {
  const head = headShare(keep);
  return `length(${expr}) AS ${as}Chars, substr(${expr}, 1, ${head}) AS ${as}Head, CASE WHEN length(${expr}) > ${keep} THEN substr(${expr}, -${keep - head}) END AS ${as}Tail`;
};

const joinCut = (chars: number | null, head: string | null, tail: string | null, keep: number): string => {
  if (chars === null || head === null) return '';
  if (tail === null) return head;
  return head + cutMark(chars - keep) + tail;
};


const PARTS_SQL = `SELECT i.kind, i.item_type AS itemType, i.tool_name AS toolName, r.request_kind AS requestKind,
    ${cutColumn("CASE WHEN i.kind = 'tool_call' THEN COALESCE(i.arguments, i.text, '') WHEN i.kind = 'tool_output' THEN '' ELSE COALESCE(i.text, '') END", PART_READ_CHARS, 'body')},
    ${cutColumn("COALESCE(i.output, i.text, '')", TOOL_OUTPUT_CHARS, 'out')},
    substr(${typedTextSql('i.')}, 1, ${PART_READ_CHARS}) AS typed, ${editedByPersonSql('i.')} AS edited
  FROM items i LEFT JOIN requests r ON r.id = i.request_id WHERE i.turn_id = ? ORDER BY i.seq`;
const maybeText = z.string().nullable();
const maybeCount = z.number().nullable();
const partRow = z.object({
  kind: z.string(), itemType: z.string(), toolName: maybeText, requestKind: maybeText,
  bodyChars: maybeCount, bodyHead: maybeText, bodyTail: maybeText, outChars: maybeCount, outHead: maybeText, outTail: maybeText, typed: maybeText, edited: maybeCount,
});
const errorRow = z.object({ outcome: maybeText, error: z.string() });

/**
 * About how many characters `loadTurnParts` gives a turn, counted in SQLite without reading the text:
 * each part as long as it is read (tool output's head and tail, the rest up to its read limit), plus
 * its tags. What `kx import codex` estimates its jobs' cost with, at thousands of turns.
 */
export function turnPartChars(db: Database.Database, turnId: string): number {
  const sql = `SELECT COALESCE(SUM(40 + CASE
        WHEN i.kind = 'tool_output' THEN MIN(length(COALESCE(i.output, i.text, '')), ${TOOL_OUTPUT_CHARS})
        WHEN i.kind = 'tool_call' THEN MIN(length(COALESCE(i.arguments, i.text, '')), ${PART_READ_CHARS})
        ELSE MIN(length(COALESCE(i.text, '')), ${PART_READ_CHARS}) END), 0)
    FROM items i LEFT JOIN requests r ON r.id = i.request_id
    WHERE i.turn_id = ? AND i.kind IN ('human_message', 'assistant_message', 'reasoning', 'tool_call', 'tool_output')
      AND COALESCE(r.request_kind, '') NOT IN (${[...SKIPPED_REQUEST_KINDS].map((k) => `'${k}'`).join(', ')})`;
  return oneRow(z.number(), 'turn size', db.prepare(sql).pluck(), turnId) ?? 0;
}

/** The turn's parts in order, from the store; background, prewarm and compaction calls are left out. */
export function loadTurnParts(db: Database.Database, turnId: string): TurnPart[] {
  const rows = allRows(partRow, 'turn part', db.prepare(PARTS_SQL), turnId);
  const parts: TurnPart[] = [];
  for (const it of rows) {
    if (it.requestKind && SKIPPED_REQUEST_KINDS.has(it.requestKind)) continue;
    // Quoted as it is read, so the fitting below counts the characters that are sent.
    const body = quoteData(joinCut(it.bodyChars, it.bodyHead, it.bodyTail, PART_READ_CHARS));
    switch (it.kind) {
      case 'human_message':
        parts.push(...humanParts(body, it.typed, it.edited === 1));
        break;
      case 'assistant_message':
        parts.push({ kind: 'assistant', label: 'agent', text: body });
        break;
      case 'reasoning':
        if (body) parts.push({ kind: 'reasoning', label: 'reasoning summary', text: body });
        break;
      case 'tool_call':
        parts.push({ kind: 'tool_call', label: `tool call ${toolLabel(it.toolName ?? it.itemType)}`, text: body });
        break;
      case 'tool_output':
        // A tool output is shown as its head and tail from the start, however much room there is.
        parts.push({ kind: 'tool_output', label: 'tool output', text: quoteData(joinCut(it.outChars, it.outHead, it.outTail, TOOL_OUTPUT_CHARS)) });
        break;
      default:
        break;
    }
  }
  const errorsSql = `SELECT outcome, error FROM requests WHERE turn_id = ? AND error IS NOT NULL AND COALESCE(request_kind, '') NOT IN ('background', 'prewarm', 'compaction') ORDER BY started_at`;
  const errors = allRows(errorRow, 'request error', db.prepare(errorsSql), turnId);
  for (const e of errors) parts.push({ kind: 'error', label: `error (${toolLabel(e.outcome ?? 'failed')})`, text: quoteData(e.error) });
  return parts;
}

/**
 * The human's message: what they typed. When learn mode sent a rewrite in its place, that follows as what kx
 * sent, so a note says what the human asked and the rewrite's added context is not taken for their words; or,
 * when the person edited the rewrite before it went, as their own edit.
 */
function humanParts(sent: string, typed: string | null, edited: boolean): TurnPart[] {
  if (typed === null) return [{ kind: 'human', label: 'human', text: sent }];
  const label = edited ? "sent upstream in its place: the human's own edit of the rewrite kx's learn mode proposed" : "sent upstream in its place by kx's learn mode, with the human's approval";
  return [{ kind: 'human', label: 'human, as typed', text: quoteData(typed) }, { kind: 'sent_rewritten', label, text: sent, ...(edited ? { editedByPerson: true } : {}) }];
}

/** A recorded name in a label attribute: only characters that cannot end the attribute or its tag. */
const toolLabel = (name: string): string => name.replace(/[^\w.:()-]/g, '_').slice(0, 120);

/** Each part as a block of quoted data (src/store/quoted-data.ts): no recorded text can close or forge one. */
export function renderParts(parts: TurnPart[]): string {
  return parts.map((p) => dataBlock(p.kind, p.text, { label: p.label })).join('\n');
}

/** The characters `renderParts` spends on a part: its tags, its text, and the newline joining it to the next. */
const renderedChars = (p: Pick<TurnPart, 'kind' | 'label'>, textChars: number): number => 2 * p.kind.length + p.label.length + 16 + textChars + 1;

/** How long `headAndTail(text, keep)` is, without building it. */
const cutChars = (chars: number, keep: number): number => (chars <= keep ? chars : keep + cutMark(chars - keep).length);

/**
 * What a part keeps at cut level `level`: heavier kinds get less, nothing under MIN_PART_CHARS, and a
 * cut that would not make the part shorter (the marker costs ~30 characters) is not made.
 */
const keptChars = (p: TurnPart, level: number): number => {
  const chars = p.text.length;
  const keep = Math.max(MIN_PART_CHARS, Math.floor(level / CUT_WEIGHT[p.kind]));
  return keep >= chars ? chars : Math.min(chars, cutChars(chars, keep));
};

const sizeAt = (parts: TurnPart[], level: number): number => parts.reduce((n, p) => n + renderedChars(p, keptChars(p, level)), 0);

// A note from kx, not an error of the turn: read as one, it made the model report a failure that never happened.
const DROPPED: TurnPart = { kind: 'note', label: 'kx', text: 'Some earlier steps of this turn are left out here, to fit the size of this request. They happened; they are not shown.' };

/**
 * Cuts the parts, head and tail kept, so the rendered turn fits `budgetTokens`. One cut level is
 * found by bisection (a part's share falls with its weight), so the work is bounded by the number of
 * parts, whatever their sizes: the old "halve the heaviest part" loop could pick a part whose cut
 * gave back as much as it took, and spin for good on the forwarding thread. When even every part at
 * its minimum is too big, the middle steps go: the human's message and the latest steps stay.
 */
export function fitParts(parts: TurnPart[], budgetTokens: number): TurnPart[] {
  const budget = budgetTokens * 4;
  let kept = parts;
  if (sizeAt(kept, 0) > budget && kept.length > 2) {
    const first = kept[0]!;
    const rest = kept.slice(1);
    // Keep the latest steps that fit beside the first part and the marker; at least the last one.
    let room = budget - renderedChars(first, keptChars(first, 0)) - renderedChars(DROPPED, DROPPED.text.length);
    let from = rest.length;
    while (from > 0) {
      const cost = renderedChars(rest[from - 1]!, keptChars(rest[from - 1]!, 0));
      if (cost > room && from < rest.length) break;
      room -= cost;
      from--;
    }
    if (from > 0) kept = [first, DROPPED, ...rest.slice(from)];
  }
  // The highest level that fits; each part's size only grows with the level.
  const top = kept.reduce((m, p) => Math.max(m, p.text.length * CUT_WEIGHT[p.kind]), 0);
  let lo = 0;
  let hi = top;
  if (sizeAt(kept, hi) <= budget) lo = hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (sizeAt(kept, mid) <= budget) lo = mid;
    else hi = mid;
  }
  return kept.map((p) => {
    const chars = keptChars(p, lo);
    if (chars === p.text.length) return { ...p };
    return { ...p, text: headAndTail(p.text, Math.max(MIN_PART_CHARS, Math.floor(lo / CUT_WEIGHT[p.kind]))) };
  });
}
