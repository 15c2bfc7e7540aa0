// The one retrieval used by the agent's `search`, the console's search and learn mode: any word of the
// query (stop words out), BM25 over every match in the FTS5 index, each document weighed by what it is
// (what the human said and the agent answered above tool output), then documents grouped by turn and
// session, so a session that solved something across several items outranks one short mention. Recency only
// breaks ties. Each hit says why it matched: which words, in which field.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from './checked-rows.js';
import { searchDocKind, type SearchDocKindView } from '../contracts/console.js';
import { anyWordQuery, isStopWord, queryWords, typedForms } from './query-words.js';
import { expandQuery, type SynonymTable } from './synonyms.js';
import { SYNONYMS } from './synonym-groups.js';
import { identifierPassage, markedWords } from './identifier-passage.js';
import { OncePerMessage } from './typed-text-docs.js';
import { unmarkRedactionKinds } from '../text/redaction-marks.js';

/** How much a match counts by where it was found. Tool output is long and noisy; notes are written to be found. */
export const FIELD_WEIGHTS: Record<SearchDocKindView, number> = {
  human: 1,
  assistant: 1,
  insight: 1,
  summary: 1,
  search_terms: 1,
  playbook: 0.8,
  reasoning: 0.6,
  tool_call: 0.5,
  tool_output: 0.4,
};

/** BM25 weight of a match in the identifier column (identifiers.ts) beside one in the text itself. */
export const IDENTIFIER_WEIGHT = 0.5;

/** Matching documents ranked before grouping: enough for the sessions a page shows, bounded for common words. */
const CANDIDATES = 2000;
/** A query with no distinctive word ranks only its newest this many matches (see matchFor). */
const NEWEST_CANDIDATES = 500;
/** A session's documents after its best count less and less (1, ½, ¼ …): breadth helps, repetition saturates. */
const DECAY = 0.5;
const DOCS_PER_SESSION = 6;
/** Documents a hit carries with snippets: the console lists them under the session; MCP quotes the first three. */
const SHOWN_DOCS = 5;
/** What a match on another word for a query's word counts beside a match on the word typed (synonyms.ts). */
export const SYNONYM_WEIGHT = 0.5;
/** A word in more documents than both of these is common (see matchFor); ranking 5,000 matches costs ~15 ms. */
const COMMON_DOCS = 5000;
const COMMON_SHARE = 0.05;
/** The best sessions a query's common words rank again (see reranked): more than a console page shows. */
const RERANK = 100;

export interface RetrievalOptions {
  project?: string;
  excludeSession?: string;
  kinds?: SearchDocKindView[];
  limit: number;
  offset?: number;
  /** The last word also matches as a prefix (search as you type). */
  prefix?: boolean;
}

/** One document that matched, and why: its field and the query words found in it. */
export interface MatchedDoc {
  rowid: number;
  docKind: SearchDocKindView;
  refId: string;
  turnId: string | null;
  score: number;
  words: string[];
  snippet: string;
}

export interface SessionHit {
  sessionId: string | null;
  project: string | null;
  score: number;
  /** The best turn's id and seq (null for a session-level document such as a summary). */
  turnId: string | null;
  turnSeq: number | null;
  /** Query words found anywhere in the session's matching documents. */
  words: string[];
  /** The session's best documents, best first (at most SHOWN_DOCS, with snippets). */
  docs: MatchedDoc[];
  /** Found by meaning (embeddings, hybrid-retrieval.ts): the nearest turn and its cosine distance. */
  near?: { turnId: string; distance: number };
}

export interface Row {
  rowid: number;
  docKind: SearchDocKindView;
  refId: string;
  sessionId: string | null;
  turnId: string | null;
  project: string | null;
  /** BM25 of the document for each query word it holds (flipped: higher is better). */
  byWord: Record<string, number>;
  /** For a query word found only as another word for it: that word (synonyms.ts). */
  via?: Record<string, string>;
}

const maybeText = z.string().nullable();
const matchRow = z.object({ rowid: z.number(), docKind: searchDocKind, refId: z.string(), sessionId: maybeText, turnId: maybeText, project: maybeText, score: z.number() });
// snippet() is NULL for a column a document leaves empty (documents with no identifiers).
const snippetRow = z.object({ text: maybeText, idents: maybeText });

/** What a query looks for: each kept word and its FTS5 term; `common` when every word is in most documents. */
interface Plan {
  terms: Term[];
  common: boolean;
  /** Words, and other names for them, too common to find sessions by: they rank the sessions the others found. */
  rerank: Term[];
}
/** `word` is the query's word a match counts for; another word for it (`via`) counts SYNONYM_WEIGHT. */
type Term = { word: string; fts: string; via?: string };

export class Retrieval {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    /** The FTS5 table; the bench compares tokenizers by pointing this at a copy. */
    private readonly table = 'search_docs',
    /** Other words for a query's words; null for none (the bench measures without them too). */
    private readonly synonyms: SynonymTable | null = SYNONYMS,
  ) {}

  /** Statements are prepared once per connection: preparing one costs about as much as a small search's query. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  /** Sessions best first, each with why it matched. A query with no words worth looking for finds nothing. */
  sessions(query: string, opts: RetrievalOptions): SessionHit[] {
    const ranked = this.ranked(query, opts);
    return ranked.explain(ranked.sessions.slice(opts.offset ?? 0, (opts.offset ?? 0) + opts.limit));
  }

  /**
   * Every matching session, best first, by id only; `explain` turns those a page shows into hits (their
   * snippets cost a query each, so fusion ranks deep and explains only what it shows).
   */
  ranked(query: string, opts: RetrievalOptions): { sessions: string[]; explain: (ids: readonly string[]) => SessionHit[] } {
    const plan = this.plan(query, opts.prefix);
    if (!plan) return { sessions: [], explain: () => [] };
    const found = plan.common ? this.candidates(plan.terms.map((t) => t.fts).join(' AND '), '*', opts, true) : this.byWord(plan.terms, opts);
    const groups = this.reranked(groupBySession(found), found, plan.rerank, opts);
    const byKey = new Map(groups.map((g) => [g.key, g]));
    const match = [...plan.terms, ...plan.rerank].map((t) => t.fts).join(plan.common ? ' AND ' : ' OR ');
    const typed = typedForms(query);
    const asTyped = (w: string): string => typed.get(w) ?? w;
    const words = plan.common ? plan.terms.map((t) => asTyped(t.word)) : undefined;
    const explain = (g: Group) => this.explain(g, match, words, asTyped);
    return { sessions: groups.map((g) => g.key), explain: (ids) => ids.flatMap((id) => (byKey.has(id) ? [explain(byKey.get(id)!)] : [])) };
  }

  /**
   * Any of the words, except words in so many documents that ranking their matches would cost more than it
   * tells (BM25 gives them little weight anyway): those only rank again what the rarer words found. A query
   * made only of such words needs all of them, and only its newest NEWEST_CANDIDATES matches are ranked: with no
   * distinctive word there is nothing better to rank by, and ranking 100,000 matches costs 100s of ms.
   */
  private plan(query: string, prefix: boolean | undefined): Plan | undefined {
    const words = queryWords(query);
    if (words.length === 0) return undefined;
    // Counted only up to the limit: counting every match of a word in most documents cost 3-18 ms a word.
    const common = Math.max(COMMON_DOCS, this.docCount() * COMMON_SHARE);
    const counted = this.sql(`SELECT count(*) FROM (SELECT rowid FROM ${this.table} WHERE ${this.table} MATCH ? LIMIT ?)`).pluck();
    const count = { get: (fts: string) => oneRow(z.number(), 'match count', counted, fts, Math.ceil(common) + 1) ?? 0 };
    // A last word typed in part ("migra") is a prefix; a whole word that is in the index is not (a prefix over a
    // common word merges the lists of every word it starts, hundreds of ms over a large store).
    const terms = words.map((word) => ({ word, fts: anyWordQuery([word])! }));
    if (prefix && count.get(terms.at(-1)!.fts) === 0) terms.at(-1)!.fts += '*';
    const kept = terms.filter((t) => count.get(t.fts) <= common);
    if (!kept.length) return { terms, common: true, rerank: [] };
    // Other words for the query's words, each counted as the word it stands for.
    const alternatives = this.alternatives(query);
    const others = alternatives.filter((t) => count.get(t.fts) <= common);
    // A common prefix is not ranked at all: it merges the lists of every word it starts (see above).
    const rerank = [...terms, ...alternatives].filter((t) => !kept.includes(t) && !others.includes(t) && !t.fts.endsWith('*'));
    return { terms: [...kept, ...others], common: false, rerank };
  }

  /** The query's words and phrases that have other names (synonyms.ts), as terms for those names. */
  private alternatives(query: string): Term[] {
    if (!this.synonyms) return [];
    const found = expandQuery(query, this.synonyms).filter((e) => !isStopWord(e.concept));
    return found.flatMap((e) => e.alternatives.map((alt) => ({ word: e.concept, fts: `"${alt.replace(/"/g, '""')}"`, via: alt })));
  }

  private docCount(): number {
    return oneRow(z.number(), 'document count', this.sql(`SELECT COALESCE(MAX(rowid), 0) FROM ${this.table}`).pluck()) || 1;
  }

  /**
   * The best RERANK sessions ranked again with the query's common words too. A common word cannot find a session
   * worth showing (it is in thousands), but among sessions the rarer words found, the one that also holds "token"
   * and "refresh" across its messages fits "token refresh race" better than a short mention of "race". Only those
   * sessions' documents are scored, so a common word costs one pass over its matches, not ranking them all.
   */
  private reranked(groups: Group[], found: Row[], rerank: readonly Term[], opts: RetrievalOptions): Group[] {
    const best = groups.slice(0, RERANK).flatMap((g) => (g.sessionId ? [g.sessionId] : []));
    if (!rerank.length || !best.length) return groups;
    const more = this.byWord(rerank, opts, best);
    if (!more.length) return groups;
    return groupBySession(mergeRows([...found, ...more]));
  }

  /** Each word's best matches on their own, merged by document: a session is then scored word by word. */
  private byWord(terms: readonly Term[], opts: RetrievalOptions, sessions?: readonly string[]): Row[] {
    const docs = new Map<number, Row>();
    for (const t of terms) {
      for (const r of this.candidates(t.fts, t.word, opts, false, sessions)) {
        const score = r.byWord[t.word]! * (t.via ? SYNONYM_WEIGHT : 1);
        let seen = docs.get(r.rowid);
        if (!seen) docs.set(r.rowid, (seen = { ...r, byWord: {} }));
        // A word and its other names count once, at the best of them.
        if ((seen.byWord[t.word] ?? -Infinity) >= score) continue;
        seen.byWord[t.word] = score;
        if (t.via) (seen.via ??= {})[t.word] = t.via;
        else if (seen.via) delete seen.via[t.word];
      }
    }
    return [...docs.values()];
  }

  private candidates(match: string, word: string, opts: RetrievalOptions, common: boolean, sessions?: readonly string[]): Row[] {
    const where = [`${this.table} MATCH @match`];
    const params: Record<string, unknown> = { match, n: common ? NEWEST_CANDIDATES : CANDIDATES };
    if (sessions) {
      // The sessions' documents from the side table, as a set (see project below); json_each keeps it one statement.
      where.push(`+rowid IN (SELECT m.rowid FROM json_each(@sessions) j JOIN ${this.table}_meta m ON m.session_id = j.value)`);
      params.sessions = JSON.stringify(sessions);
    }
    if (opts.excludeSession !== undefined) {
      // From the side table too: reading session_id from each match's row cost more than the match itself.
      where.push(`+rowid NOT IN (SELECT rowid FROM ${this.table}_meta WHERE session_id = @excludeSession)`);
      params.excludeSession = opts.excludeSession;
    }
    if (opts.kinds?.length) {
      where.push(`doc_kind IN (${opts.kinds.map((_, i) => `@k${i}`).join(', ')})`);
      opts.kinds.forEach((k, i) => (params[`k${i}`] = k));
    }
    if (opts.project !== undefined) {
      // The project's documents from the small side table, as a set FTS5 checks each match against ('+' keeps
      // FTS5 from looking every one of them up as a rowid): reading each match's own columns to filter cost
      // 5-8 times more over 10,000 sessions.
      where.push(`+rowid IN (SELECT rowid FROM ${this.table}_meta WHERE project = @project
        UNION ALL SELECT m.rowid FROM sessions s JOIN ${this.table}_meta m ON m.session_id = s.id WHERE s.project = @project)`);
      params.project = opts.project;
    }
    // bm25() is negative, lower is better; flipped here so a higher score is a better match everywhere else.
    const bm25 = `bm25(${this.table}, 1.0, ${IDENTIFIER_WEIGHT})`;
    const sql = `SELECT rowid, doc_kind AS docKind, ref_id AS refId, session_id AS sessionId, turn_id AS turnId, project, -${bm25} AS score
      FROM ${this.table} WHERE ${where.join(' AND ')} ORDER BY ${common ? 'rowid DESC' : bm25} LIMIT @n`;
    const rows = allRows(matchRow, 'search match', this.sql(sql), params);
    return rows.map(({ score, ...r }) => ({ ...r, byWord: { [word]: score } }));
  }

  /**
   * The text's passage, matches marked. When only the identifier column matched, its split words were never
   * written by anyone: the passage is then the stored text around the identifier as written (identifier-passage.ts).
   */
  private snippet(snip: Database.Statement, match: string, rowid: number): string {
    const s = oneRow(snippetRow, 'snippet', snip, { match, r: rowid });
    const text = s?.text ?? '';
    if (text.includes('\u0001') || !s?.idents?.includes('\u0001')) return text;
    const stored = oneRow(maybeText, 'stored text', this.sql(`SELECT text FROM ${this.table} WHERE rowid = ?`).pluck(), rowid) ?? '';
    return identifierPassage(stored, markedWords(s.idents)) ?? text;
  }

  private explain(g: Group, match: string, allWords: string[] | undefined, asTyped: (w: string) => string): SessionHit {
    const snip = this.sql(
      `SELECT snippet(${this.table}, 0, char(1), char(2), '…', 24) AS text, snippet(${this.table}, 1, char(1), char(2), '…', 12) AS idents FROM ${this.table} WHERE ${this.table} MATCH @match AND rowid = CAST(@r AS INTEGER)`,
    );
    const docs = g.rows.slice(0, SHOWN_DOCS).map((r) => {
      const snippet = unmarkRedactionKinds(this.snippet(snip, match, r.rowid));
      const words = allWords ?? wordsOf(r, asTyped);
      return { rowid: r.rowid, docKind: r.docKind, refId: r.refId, turnId: r.turnId, score: docScore(r), snippet, words };
    });
    const best = g.rows.find((r) => r.turnId !== null);
    const turnSeq = best ? (oneRow(z.number(), 'turn seq', this.sql(`SELECT seq FROM turns WHERE id = ?`).pluck(), best.turnId) ?? null) : null;
    const found = [...new Set(g.rows.flatMap((r) => allWords ?? wordsOf(r, asTyped)))];
    return { sessionId: g.sessionId, project: g.project, score: g.score, turnId: best?.turnId ?? null, turnSeq, words: found, docs };
  }
}

interface Group {
  /** The session's id, or doc:<rowid> for a document outside any session. */
  key: string;
  sessionId: string | null;
  project: string | null;
  score: number;
  newest: number;
  /** Best document first. */
  rows: Row[];
}

/** One row per document: a document found again by a common word holds both words' scores. Pure. */
function mergeRows(rows: readonly Row[]): Row[] {
  const docs = new Map<number, Row>();
  for (const r of rows) {
    const seen = docs.get(r.rowid);
    if (!seen) {
      docs.set(r.rowid, { ...r, byWord: { ...r.byWord }, ...(r.via ? { via: { ...r.via } } : {}) });
      continue;
    }
    for (const w in r.byWord) {
      if ((seen.byWord[w] ?? -Infinity) >= r.byWord[w]!) continue;
      seen.byWord[w] = r.byWord[w]!;
      if (r.via?.[w]) (seen.via ??= {})[w] = r.via[w];
      else if (seen.via) delete seen.via[w];
    }
  }
  return [...docs.values()];
}

/** The query words a document holds; one found as another word says so: "logged out (for signed out)". */
const wordsOf = (r: Row, asTyped: (w: string) => string): string[] => Object.keys(r.byWord).map((w) => (r.via?.[w] ? `${r.via[w]} (for ${w})` : asTyped(w)));

/** A word's score in a document, by the field it is in. */
const termScore = (r: Row, word: string): number => r.byWord[word]! * FIELD_WEIGHTS[r.docKind];

/** A document's weighted score over all the query words it holds. */
function docScore(r: Row): number {
  let sum = 0;
  for (const w in r.byWord) sum += termScore(r, w);
  return sum;
}

/**
 * Documents → sessions. A session is scored word by word: for each query word, its best document holding that
 * word (weighed by field), summed, so the words of a problem found in the human's message and the fix found in
 * the answer add up as if they were one document; further documents with the same word add a little less each
 * (breadth helps, repetition saturates). Ties go to the newer session. Pure.
 */
export function groupBySession(rows: readonly Row[]): Group[] {
  const groups = new Map<string, Group & { perWord: Map<string, number[]> }>();
  const once = new OncePerMessage(rows);
  for (const r of rows) {
    // A document outside any session (a project note) stands alone.
    const key = r.sessionId ?? `doc:${r.rowid}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, sessionId: r.sessionId, project: r.project, score: 0, newest: r.rowid, rows: [], perWord: new Map() }));
    g.rows.push(r);
    g.newest = Math.max(g.newest, r.rowid);
    for (const w in r.byWord) {
      const list = g.perWord.get(w) ?? [];
      once.add(list, r, w, termScore(r, w));
      g.perWord.set(w, list);
    }
  }
  for (const g of groups.values()) {
    for (const list of g.perWord.values()) {
      list.sort((a, b) => b - a);
      list.slice(0, DOCS_PER_SESSION).forEach((s, i) => (g.score += s * DECAY ** i));
    }
    g.rows.sort((a, b) => docScore(b) - docScore(a));
  }
  return [...groups.values()].sort((a, b) => b.score - a.score || b.newest - a.newest);
}
