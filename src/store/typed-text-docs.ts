// A human message learn mode sent rewritten is stored as what was sent, with what the person typed beside it
// (`detail.originalText`, protocol/human-text.ts). Search indexes both: the item's text as for any message, and
// what was typed as a second `human` document, ref `typed:<item id>`, so a person finds the session by their
// own words. A ref that is not the item's own keeps every reader that looks an item's typed text up by its ref
// (MCP's memory) from taking these words for the rewrite.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from './checked-rows.js';

/** Before the item's id, the ref of the document holding what the person typed for a message. */
export const TYPED_REF = 'typed:';

/** True for the document of what the person typed. */
export const isTypedRef = (refId: string): boolean => refId.startsWith(TYPED_REF);

/** The message a human document is of: a word in its typed text and in its rewrite counts once (retrieval.ts). */
export const messageOf = (refId: string): string => (isTypedRef(refId) ? refId.slice(TYPED_REF.length) : refId);

/**
 * SQL over `items` (`item`: the table's alias and a dot, when it has one): what the person typed, for a human
 * message learn mode sent rewritten; NULL for any other item, for a message sent as typed, and for a detail that
 * is not JSON (a bad row must not stop indexing, nor a memory answer).
 */
export const typedTextSql = (item = ''): string => `CASE WHEN ${item}kind = 'human_message' AND json_valid(${item}detail) THEN
  CASE WHEN json_type(${item}detail, '$.originalText') = 'text' AND json_extract(${item}detail, '$.originalText') IS NOT ${item}text
  THEN json_extract(${item}detail, '$.originalText') END END`;
export const TYPED_TEXT = typedTextSql();

/**
 * SQL over `items`, as typedTextSql: 1 when what was sent for a human message is the person's own edit of learn
 * mode's proposal (the approval's decision `edited`), not kx's rewrite.
 */
export const editedByPersonSql = (item = ''): string => `CASE WHEN json_valid(${item}detail) THEN
  (SELECT a.decision = 'edited' FROM approvals a WHERE a.id = json_extract(${item}detail, '$.approvalId')) END`;

/** What the person typed for a message learn mode sent rewritten, and whether what was sent is their own edit. */
export interface Rewrite {
  typed: string;
  edited: boolean;
}

const rewriteRow = z.object({ typed: z.string().nullable(), edited: z.number().nullable() });

/** An item's rewrite by its id, one statement on `db`: undefined for any item sent as typed. */
export function rewriteLookup(db: Database.Database): (itemId: string) => Rewrite | undefined {
  const statement = db.prepare(`SELECT ${TYPED_TEXT} AS typed, ${editedByPersonSql()} AS edited FROM items WHERE id = ?`);
  return (itemId) => {
    const row = oneRow(rewriteRow, 'rewritten message', statement, itemId);
    return row?.typed != null ? { typed: row.typed, edited: row.edited === 1 } : undefined;
  };
}

/**
 * A session's scores for a word, one per document, except that what the person typed and the rewrite learn mode
 * sent are one message: a word in both counts once, at the better of the two (retrieval.ts groupBySession).
 * Only messages with a typed document among the rows are looked up, so a search without any costs a check.
 */
export class OncePerMessage {
  private readonly rewritten = new Set<string>();
  private readonly placed = new Map<string, number>();

  constructor(rows: Iterable<{ docKind: string; refId: string }>) {
    for (const r of rows) if (r.docKind === 'human' && isTypedRef(r.refId)) this.rewritten.add(messageOf(r.refId));
  }

  /** Adds the document's score for `word` to the session's list of that word's scores. */
  add(list: number[], doc: { docKind: string; refId: string }, word: string, score: number): void {
    const message = this.rewritten.size && doc.docKind === 'human' ? messageOf(doc.refId) : undefined;
    if (message === undefined || !this.rewritten.has(message)) {
      list.push(score);
      return;
    }
    const key = `${message}\u0000${word}`;
    const at = this.placed.get(key);
    if (at === undefined) this.placed.set(key, list.push(score) - 1);
    else list[at] = Math.max(list[at]!, score);
  }
}
