// Full-text search over what was said and done: the human's and the agent's messages, reasoning summaries,
// tool calls and their outputs (from `items`), plus documents the insight engine adds (insights, summaries,
// playbooks). SQLite FTS5 ranks hits with BM25; snippets mark matches with \u0001 … \u0002, never HTML,
// so whoever shows them decides how (the console renders them with Lit templates).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from './checked-rows.js';
import type { SearchDocKindView, SearchHitView } from '../contracts/console.js';
import { Retrieval, type RetrievalOptions, type SessionHit } from './retrieval.js';
import { identifierWords } from './identifiers.js';
import { rewriteLookup, TYPED_REF, TYPED_TEXT, type Rewrite } from './typed-text-docs.js';
import { rewrittenAsTyped } from './rewritten-hits.js';

/** Item kinds worth searching, and the document kind each becomes. Injected context and instructions are not the session's own words. */
const ITEM_DOC_KIND = `CASE kind WHEN 'human_message' THEN 'human' WHEN 'assistant_message' THEN 'assistant'
  WHEN 'reasoning' THEN 'reasoning' WHEN 'tool_call' THEN 'tool_call' ELSE 'tool_output' END`;
const ITEM_TEXT = `replace(replace(CASE kind WHEN 'tool_call' THEN COALESCE(tool_name, '') || ' ' || COALESCE(arguments, '')
  WHEN 'tool_output' THEN COALESCE(output, '') ELSE COALESCE(text, '') END, char(1), ''), char(2), '')`;
const SEARCHABLE = `kind IN ('human_message', 'assistant_message', 'reasoning', 'tool_call', 'tool_output')`;
const ITEMS_INTO_INDEX = `
  INSERT INTO search_docs (text, doc_kind, ref_id, session_id, turn_id, project)
  SELECT ${ITEM_TEXT}, ${ITEM_DOC_KIND}, id, session_id, turn_id, NULL FROM items`;
/** The same, with each item's identifiers in their own column (identifiers.ts); `kx_identifiers` is registered by registerSearchFunctions. */
const ITEMS_INTO_INDEX_WITH_IDENTIFIERS = `
  INSERT INTO search_docs (text, idents, doc_kind, ref_id, session_id, turn_id, project)
  SELECT t, kx_identifiers(t), k, id, session_id, turn_id, NULL FROM (SELECT ${ITEM_TEXT} AS t, ${ITEM_DOC_KIND} AS k, id, session_id, turn_id FROM items`;

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

/**
 * Issue 30: the same index under the porter stemmer ("refreshes" finds "refresh"; measured in bench/retrieval.ts:
 * questions and project-scoped queries find more), rebuilt from the documents already stored, rowids kept so
 * search_refs still points at them.
 */
export const SEARCH_INDEX_PORTER_MIGRATION = `
  CREATE VIRTUAL TABLE search_docs_porter USING fts5(
    text, doc_kind UNINDEXED, ref_id UNINDEXED, session_id UNINDEXED, turn_id UNINDEXED, project UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  INSERT INTO search_docs_porter (rowid, text, doc_kind, ref_id, session_id, turn_id, project)
    SELECT rowid, text, doc_kind, ref_id, session_id, turn_id, project FROM search_docs;
  DROP TABLE search_docs;
  ALTER TABLE search_docs_porter RENAME TO search_docs;
`;

/**
 * Issue 30: identifiers indexed a second time, split and joined, in a column of their own (identifiers.ts;
 * bench/retrieval.ts measured it), rebuilt from the documents already stored, rowids kept.
 */
export const SEARCH_INDEX_IDENTIFIERS_MIGRATION = `
  CREATE VIRTUAL TABLE search_docs_idents USING fts5(
    text, idents, doc_kind UNINDEXED, ref_id UNINDEXED, session_id UNINDEXED, turn_id UNINDEXED, project UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  INSERT INTO search_docs_idents (rowid, text, idents, doc_kind, ref_id, session_id, turn_id, project)
    SELECT rowid, text, kx_identifiers(text), doc_kind, ref_id, session_id, turn_id, project FROM search_docs;
  DROP TABLE search_docs;
  ALTER TABLE search_docs_idents RENAME TO search_docs;
`;

/**
 * Issue 30: each document's session and project in a small table of their own, so a search scoped to a project
 * checks its matches against the project's documents without reading each match's row in the FTS5 table.
 */
export const SEARCH_META_MIGRATION = `
  CREATE TABLE IF NOT EXISTS search_docs_meta (rowid INTEGER PRIMARY KEY, session_id TEXT, project TEXT);
  INSERT OR REPLACE INTO search_docs_meta (rowid, session_id, project) SELECT rowid, session_id, project FROM search_docs;
  CREATE INDEX IF NOT EXISTS search_docs_meta_session ON search_docs_meta(session_id);
  CREATE INDEX IF NOT EXISTS search_docs_meta_project ON search_docs_meta(project) WHERE project IS NOT NULL;
`;
/** The meta rows of documents indexed since the last (catchUp adds items in rowid order). */
const META_OF_NEW_DOCS = `INSERT INTO search_docs_meta (rowid, session_id, project)
  SELECT rowid, session_id, project FROM search_docs WHERE rowid > (SELECT COALESCE(MAX(rowid), 0) FROM search_docs_meta)`;

/** What the person typed for the items `range` picks that learn mode sent rewritten, as documents of their own (typed-text-docs.ts). */
const typedIntoIndex = (range: string): string => `
  INSERT INTO search_docs (text, idents, doc_kind, ref_id, session_id, turn_id, project)
  SELECT t, kx_identifiers(t), 'human', '${TYPED_REF}' || id, session_id, turn_id, NULL FROM (
    SELECT replace(replace(${TYPED_TEXT}, char(1), ''), char(2), '') AS t, id, session_id, turn_id, rowid AS r FROM items
    WHERE ${range} AND kind = 'human_message')
  WHERE t IS NOT NULL ORDER BY r`;

/** What the person typed for the rewritten messages the index already holds as sent; catchUp indexes it for later ones. */
export const SEARCH_TYPED_TEXT_MIGRATION = `
  ${typedIntoIndex('rowid <= (SELECT items_rowid FROM search_state WHERE id = 1)')};
  ${META_OF_NEW_DOCS};
`;

/** SQL functions the index's statements use; every connection that writes the index registers them. */
export function registerSearchFunctions(db: Database.Database): void {
  db.function('kx_identifiers', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? identifierWords(text) : ''));
}

export interface SearchDocument {
  docKind: SearchDocKindView;
  /** What the document is about (an item, turn or summary id); indexing the same kind and ref again replaces it. */
  refId: string;
  sessionId: string | null;
  turnId: string | null;
  project: string | null;
  text: string;
}

export type SearchOptions = RetrievalOptions;

export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

const stripMarkers = (text: string): string => text.replace(/[\u0001\u0002]/g, '');

export class SearchIndex {
  readonly retrieval: Retrieval;

  constructor(private readonly db: Database.Database) {
    registerSearchFunctions(db);
    this.retrieval = new Retrieval(db);
  }

  // Prepared once: catchUp runs after every commit, and preparing its statements cost more than running them.
  private catchUpTransaction: Database.Transaction<() => number> | undefined;

  /** Indexes the items committed since the last call; run after each committed batch (and at start, after a crash). */
  catchUp(): number {
    // Immediate: kx and an import in another process both catch up; a deferred read-then-write could not commit.
    return (this.catchUpTransaction ??= this.prepareCatchUp()).immediate();
  }

  private prepareCatchUp(): Database.Transaction<() => number> {
    const s = {
      from: this.db.prepare(`SELECT items_rowid FROM search_state WHERE id = 1`).pluck(),
      to: this.db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM items`).pluck(),
      index: this.db.prepare(`${ITEMS_INTO_INDEX_WITH_IDENTIFIERS} WHERE rowid > ? AND rowid <= ? AND ${SEARCHABLE} ORDER BY rowid)`),
      typed: this.db.prepare(typedIntoIndex('rowid > @from AND rowid <= @to')),
      meta: this.db.prepare(META_OF_NEW_DOCS),
      mark: this.db.prepare(`UPDATE search_state SET items_rowid = ? WHERE id = 1`),
    };
    return this.db.transaction(() => {
      const from = oneRow(z.number(), 'indexed rowid', s.from) ?? 0;
      const to = oneRow(z.number(), 'item rowid', s.to) ?? 0;
      if (to <= from) return 0;
      const added = s.index.run(from, to).changes + s.typed.run({ from, to }).changes;
      if (added) s.meta.run();
      s.mark.run(to);
      return added;
    });
  }

  /** Adds or replaces a document (an insight, summary or playbook the insight engine wrote). */
  indexDocument(doc: SearchDocument): void {
    this.db.transaction(() => {
      const old = oneRow(z.number(), 'search ref', this.db.prepare(`SELECT doc_rowid FROM search_refs WHERE doc_kind = ? AND ref_id = ?`).pluck(), doc.docKind, doc.refId);
      if (old !== undefined) {
        this.db.prepare(`DELETE FROM search_docs WHERE rowid = ?`).run(old);
        this.db.prepare(`DELETE FROM search_docs_meta WHERE rowid = ?`).run(old);
      }
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO search_docs (text, idents, doc_kind, ref_id, session_id, turn_id, project) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(stripMarkers(doc.text), identifierWords(doc.text), doc.docKind, doc.refId, doc.sessionId, doc.turnId, doc.project);
      this.db.prepare(`INSERT OR REPLACE INTO search_refs (doc_rowid, doc_kind, ref_id) VALUES (?, ?, ?)`).run(lastInsertRowid, doc.docKind, doc.refId);
      this.db.prepare(`INSERT OR REPLACE INTO search_docs_meta (rowid, session_id, project) VALUES (?, ?, ?)`).run(lastInsertRowid, doc.sessionId, doc.project);
    })();
  }

  /**
   * Documents of the best sessions first (see retrieval.ts): each session's best few, in session order, as the
   * console lists them and learn mode quotes them. `score` is the session's, with SQLite's sign (lower is better).
   */
  search(words: string, opts: SearchOptions): SearchHitView[] {
    return this.docHits(this.retrieval.sessions(words, SearchIndex.sessionsFor(opts)), opts);
  }

  /** The sessions a page of `opts` needs (each holds up to five documents, so never more than offset + limit). */
  static sessionsFor(opts: SearchOptions): SearchOptions {
    return { ...opts, offset: 0, limit: (opts.offset ?? 0) + opts.limit };
  }

  /** Sessions found (here or on the search thread) → the page of documents `opts` asks for. */
  docHits(sessions: readonly SessionHit[], opts: SearchOptions): SearchHitView[] {
    const offset = opts.offset ?? 0;
    return this.documents(sessions).slice(offset, offset + opts.limit);
  }

  /**
   * The console's page: as docHits, but a human message learn mode sent rewritten is one hit quoting what the
   * person typed, the rewrite beside it (rewritten-hits.ts).
   */
  consoleHits(sessions: readonly SessionHit[], opts: SearchOptions): SearchHitView[] {
    const offset = opts.offset ?? 0;
    this.rewriteOf ??= rewriteLookup(this.db);
    return rewrittenAsTyped(this.documents(sessions), this.rewriteOf).slice(offset, offset + opts.limit);
  }

  private rewriteOf: ((itemId: string) => Rewrite | undefined) | undefined;

  private documents(sessions: readonly SessionHit[]): SearchHitView[] {
    return sessions.flatMap((h) =>
      h.docs.map((d) => ({
        docKind: d.docKind, refId: d.refId, sessionId: h.sessionId, turnId: d.turnId, turnSeq: this.seqOf(d.turnId), project: h.project, snippet: d.snippet, score: -h.score,
        ...(d.words.length ? { words: d.words } : {}),
        ...(h.near ? { similarity: Math.round((1 - h.near.distance) * 100) / 100 } : {}),
      })),
    );
  }

  private seqOf(turnId: string | null): number | null {
    if (turnId === null) return null;
    return oneRow(z.number(), 'turn seq', this.db.prepare(`SELECT seq FROM turns WHERE id = ?`).pluck(), turnId) ?? null;
  }
}
