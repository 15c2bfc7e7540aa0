// Full-text search over what was said and done: the human's and the agent's messages, reasoning summaries,
// tool calls and their outputs (from `items`), plus documents the insight engine adds (insights, summaries,
// playbooks). SQLite FTS5 ranks hits with BM25; snippets mark matches with \u0001 … \u0002, never HTML,
// so whoever shows them decides how (the console renders them with Lit templates).

import type Database from 'better-sqlite3';
import type { SearchDocKindView, SearchHitView } from '../contracts/console.js';

/** Item kinds worth searching, and the document kind each becomes. Injected context and instructions are not the session's own words. */
const ITEM_DOC_KIND = `CASE kind WHEN 'human_message' THEN 'human' WHEN 'assistant_message' THEN 'assistant'
  WHEN 'reasoning' THEN 'reasoning' WHEN 'tool_call' THEN 'tool_call' ELSE 'tool_output' END`;
const ITEM_TEXT = `replace(replace(CASE kind WHEN 'tool_call' THEN COALESCE(tool_name, '') || ' ' || COALESCE(arguments, '')
  WHEN 'tool_output' THEN COALESCE(output, '') ELSE COALESCE(text, '') END, char(1), ''), char(2), '')`;
const SEARCHABLE = `kind IN ('human_message', 'assistant_message', 'reasoning', 'tool_call', 'tool_output')`;
const ITEMS_INTO_INDEX = `
  INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project)
  SELECT ${ITEM_TEXT}, ${ITEM_DOC_KIND}, id, session_id, turn_id, NULL FROM items`;

export const SEARCH_INDEX_MIGRATION = `
  CREATE VIRTUAL TABLE search_docs USING fts5(
    text, doc_kind UNINDEXED, ref_id UNINDEXED, session_id UNINDEXED, turn_id UNINDEXED, project UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  -- Documents that can be replaced (an insight re-run): their row in search_docs, by what they are.
  CREATE TABLE search_refs (doc_rowid INTEGER PRIMARY KEY, doc_kind TEXT NOT NULL, ref_id TEXT NOT NULL, UNIQUE (doc_kind, ref_id));
  -- Items up to this rowid are in the index.
  CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), items_rowid INTEGER NOT NULL);
  ${ITEMS_INTO_INDEX} WHERE ${SEARCHABLE} ORDER BY rowid;
  INSERT INTO search_state (id, items_rowid) SELECT 1, COALESCE(MAX(rowid), 0) FROM items;
`;

export interface SearchDocument {
  docKind: SearchDocKindView;
  /** What the document is about (an item, turn or summary id); indexing the same kind and ref again replaces it. */
  refId: string;
  sessionId: string | null;
  turnId: string | null;
  project: string | null;
  text: string;
}

export interface SearchOptions {
  project?: string;
  /** `any`: a hit needs one of the words, not all (learn mode looks up a whole message). Default `all`. */
  match?: 'all' | 'any';
  /** Leaves out one session's documents (learn mode wants the past, not the session asking). */
  excludeSession?: string;
  kinds?: SearchDocKindView[];
  limit: number;
  offset?: number;
  /**
   * Looks at only the newest `window` matching documents, as whole words (no prefix), and ranks them with a
   * term-frequency score computed here. FTS5's bm25() first counts every document holding each word, so one
   * word found in most of a large store costs hundreds of milliseconds; walking the newest matches costs
   * about as much as the window. Favours the recent past, which is what an agent asking mid-session usually
   * means (src/mcp/). The console ranks everything with BM25.
   */
  window?: number;
}

export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

/**
 * A person's words → an FTS5 query that cannot be a syntax error: each word a quoted phrase (so `exec_command`
 * and `<script>` mean their tokens, and `AND`, `*`, `"` are words), all required, the last one a prefix.
 */
export function toFtsQuery(words: string, match: 'all' | 'any' = 'all', prefix = true): string | undefined {
  const parts = words
    .split(/\s+/)
    .map((w) => w.replace(/[\u0000-\u001f]/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => `"${w.replace(/"/g, '""')}"`);
  if (parts.length === 0) return undefined;
  if (match === 'any') return parts.join(' OR ');
  if (prefix) parts[parts.length - 1] += '*';
  return parts.join(' ');
}

const stripMarkers = (text: string): string => text.replace(/[\u0001\u0002]/g, '');

export class SearchIndex {
  private readonly hasSessionProject: boolean;

  constructor(private readonly db: Database.Database) {
    // The insight engine adds sessions.project; until it exists, only documents carry a project.
    this.hasSessionProject = (db.prepare(`PRAGMA table_info(sessions)`).all() as Array<{ name: string }>).some((c) => c.name === 'project');
  }

  /** Indexes the items committed since the last call; run after each committed batch (and at start, after a crash). */
  catchUp(): number {
    return this.db.transaction(() => {
      const from = this.db.prepare(`SELECT items_rowid FROM search_state WHERE id = 1`).pluck().get() as number;
      const to = this.db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM items`).pluck().get() as number;
      if (to <= from) return 0;
      const added = this.db.prepare(`${ITEMS_INTO_INDEX} WHERE rowid > ? AND rowid <= ? AND ${SEARCHABLE} ORDER BY rowid`).run(from, to).changes;
      this.db.prepare(`UPDATE search_state SET items_rowid = ? WHERE id = 1`).run(to);
      return added;
    })();
  }

  /** Adds or replaces a document (an insight, summary or playbook the insight engine wrote). */
  indexDocument(doc: SearchDocument): void {
    this.db.transaction(() => {
      const old = this.db.prepare(`SELECT doc_rowid FROM search_refs WHERE doc_kind = ? AND ref_id = ?`).pluck().get(doc.docKind, doc.refId) as number | undefined;
      if (old !== undefined) this.db.prepare(`DELETE FROM search_docs WHERE rowid = ?`).run(old);
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(stripMarkers(doc.text), doc.docKind, doc.refId, doc.sessionId, doc.turnId, doc.project);
      this.db.prepare(`INSERT OR REPLACE INTO search_refs (doc_rowid, doc_kind, ref_id) VALUES (?, ?, ?)`).run(lastInsertRowid, doc.docKind, doc.refId);
    })();
  }

  /** Ranked hits, best first. A query with no words finds nothing. */
  search(words: string, opts: SearchOptions): SearchHitView[] {
    const match = toFtsQuery(words, opts.match, opts.window === undefined);
    if (!match) return [];
    const where = ['search_docs MATCH @match'];
    const params: Record<string, unknown> = { match, limit: opts.limit, offset: opts.offset ?? 0 };
    if (opts.excludeSession !== undefined) {
      params.excludeSession = opts.excludeSession;
      where.push(`(session_id IS NULL OR session_id != @excludeSession)`);
    }
    if (opts.kinds?.length) {
      where.push(`doc_kind IN (${opts.kinds.map((_, i) => `@k${i}`).join(', ')})`);
      opts.kinds.forEach((k, i) => (params[`k${i}`] = k));
    }
    if (opts.project !== undefined) {
      params.project = opts.project;
      where.push(
        this.hasSessionProject
          ? `(project = @project OR session_id IN (SELECT id FROM sessions WHERE project = @project))`
          : `project = @project`,
      );
    }
    if (opts.window !== undefined) return this.searchNewest(words, where, params, opts.window);
    const sql = `
      SELECT h.*, t.seq AS turnSeq FROM (
        SELECT doc_kind AS docKind, ref_id AS refId, session_id AS sessionId, turn_id AS turnId, project,
          snippet(search_docs, 0, char(1), char(2), '…', 24) AS snippet, bm25(search_docs) AS score
        FROM search_docs WHERE ${where.join(' AND ')} ORDER BY rank LIMIT @limit OFFSET @offset
      ) h LEFT JOIN turns t ON t.id = h.turnId ORDER BY h.score`;
    return this.db.prepare(sql).all(params) as SearchHitView[];
  }

  /** The newest `window` matches by rowid (FTS5 walks its lists backwards and stops), scored here; snippets only for the page. */
  private searchNewest(words: string, where: string[], params: Record<string, unknown>, window: number): SearchHitView[] {
    const newest = this.db
      .prepare(`SELECT rowid AS r, substr(text, 1, ${SCORED_CHARS}) AS text FROM search_docs WHERE ${where.join(' AND ')} ORDER BY rowid DESC LIMIT @window`)
      .all({ ...params, window }) as Array<{ r: number; text: string }>;
    const scores = termScores(newest.map((d) => d.text), queryTerms(words));
    const offset = (params.offset as number) ?? 0;
    const page = newest
      .map((d, i) => ({ r: d.r, score: -scores[i]! }))
      .sort((a, b) => a.score - b.score || b.r - a.r)
      .slice(offset, offset + (params.limit as number));
    // better-sqlite3 binds a JS number as a REAL, and FTS5 then ignores `rowid = ?` (every match came back): cast it.
    const one = this.db.prepare(`
      SELECT doc_kind AS docKind, ref_id AS refId, session_id AS sessionId, turn_id AS turnId, project,
        snippet(search_docs, 0, char(1), char(2), '…', 24) AS snippet, (SELECT seq FROM turns WHERE id = search_docs.turn_id) AS turnSeq
      FROM search_docs WHERE search_docs MATCH @match AND rowid = CAST(@r AS INTEGER)`);
    return page.map(({ r, score }) => ({ ...(one.get({ match: params.match, r }) as Omit<SearchHitView, 'score'>), score }));
  }
}

/** Characters of a document the windowed search scores (a long tool output counts by its start). */
const SCORED_CHARS = 20_000;

/** The words of a query as the index sees them, lower-cased (diacritics aside). */
export function queryTerms(words: string): string[] {
  return [...new Set(words.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}

/**
 * BM25's shape without its global counts: each word's frequency saturates (k1 = 1.2), longer documents
 * weigh less (b = 0.75, against the window's mean length), and a word rare in the window counts more.
 * Higher is better. Pure: texts and words in, one score per text out.
 */
export function termScores(texts: string[], terms: string[]): number[] {
  const k1 = 1.2;
  const b = 0.75;
  const lower = texts.map((t) => t.toLowerCase());
  const tf = lower.map((t) => terms.map((term) => countWord(t, term)));
  const avg = texts.reduce((n, t) => n + t.length, 0) / Math.max(1, texts.length) || 1;
  const idf = terms.map((_, j) => {
    const df = tf.filter((row) => row[j]! > 0).length;
    return Math.log(1 + (texts.length - df + 0.5) / (df + 0.5));
  });
  return tf.map((row, i) => row.reduce((sum, f, j) => sum + (f === 0 ? 0 : (idf[j]! * f * (k1 + 1)) / (f + k1 * (1 - b + (b * lower[i]!.length) / avg))), 0));
}

function countWord(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    const before = i === 0 ? '' : text[i - 1]!;
    const after = text[i + word.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) n++;
  }
  return n;
}
