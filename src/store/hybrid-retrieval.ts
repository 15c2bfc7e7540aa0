// Lexical retrieval fused with embeddings where there are some: the query's vector finds the nearest turns
// (vectors.ts), their sessions form a second ranking, and reciprocal rank fusion (fusion.ts) merges it with
// BM25's. Without vectors (no API key, sqlite-vec not loaded, the embedding call failed), it is the lexical
// ranking unchanged. Each hit still says why it matched: the words, and "close in meaning" when vectors found it.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from './checked-rows.js';
import { reciprocalRankFusion } from './fusion.js';
import type { Retrieval, RetrievalOptions, SessionHit } from './retrieval.js';
import type { VectorStore } from './vectors.js';
import { queryWords } from './query-words.js';

/** Sessions each ranking contributes before fusion: deep enough that a session second in one list and 30th in the other still fuses. */
const DEPTH = 50;
/** Turns the vector search looks at: several may belong to one session. */
const NEAR_TURNS = 100;
/**
 * The least cosine similarity at which a turn counts as close in meaning. The nearest turns of any query are
 * returned however far they are, and fusion would list their sessions after the real hits ("close in meaning,
 * similarity 0.00"). text-embedding-3-small gives unrelated texts about 0.0-0.2 and related ones 0.3 and up; a
 * floor between keeps the first out. Chosen from the model's published behaviour, not measured here (no key).
 */
export const MIN_SIMILARITY = 0.25;
/** Characters of the turn's message a hit found only by meaning quotes. */
const PASSAGE_CHARS = 240;

export type EmbedQuery = (query: string) => Promise<Float32Array | undefined>;

export class HybridRetrieval {
  constructor(
    private readonly db: Database.Database,
    readonly lexical: Retrieval,
    private readonly vectors: VectorStore | undefined,
    private readonly embedQuery: EmbedQuery | undefined,
  ) {}

  /** True when searches fuse embeddings (vectors stored here and a way to embed the query). */
  get semantic(): boolean {
    return this.vectors !== undefined && this.embedQuery !== undefined;
  }

  async sessions(query: string, opts: RetrievalOptions): Promise<SessionHit[]> {
    const from = opts.offset ?? 0;
    // Kinds name documents; a turn's vector is not one of them.
    if (!this.semantic || opts.kinds?.length) return this.lexical.sessions(query, opts);
    // A query of words every session has ("how did we fix it") has no meaning of its own to look for either.
    if (queryWords(query).length === 0) return [];
    const lexical = this.lexical.ranked(query, opts);
    const vector = await this.embedQuery!(query).catch(() => undefined);
    if (!vector) return lexical.explain(lexical.sessions.slice(from, from + opts.limit));
    const near = this.vectors!.nearest(vector, NEAR_TURNS, { ...(opts.project !== undefined ? { project: opts.project } : {}), ...(opts.excludeSession !== undefined ? { excludeSession: opts.excludeSession } : {}) });
    const nearest = new Map<string, (typeof near)[number]>();
    for (const t of near) if (1 - t.distance >= MIN_SIMILARITY && !nearest.has(t.sessionId)) nearest.set(t.sessionId, t);
    const fused = reciprocalRankFusion([lexical.sessions.slice(0, Math.max(DEPTH, from + opts.limit)), [...nearest.keys()].slice(0, DEPTH)]).slice(from, from + opts.limit);
    return fused.map((f) => {
      const t = nearest.get(f.key);
      const hit = lexical.explain([f.key])[0] ?? this.meaningHit(t!);
      return { ...hit, score: f.score, ...(t ? { near: { turnId: t.turnId, distance: t.distance } } : {}) };
    });
  }

  /** A session vectors found and words did not: its nearest turn, quoted from the person's message. */
  private meaningHit(t: { turnId: string; sessionId: string; project: string | null }): SessionHit {
    const turn = oneRow(z.number(), 'turn seq', this.db.prepare(`SELECT seq FROM turns WHERE id = ?`).pluck(), t.turnId);
    const sql = `SELECT id, kind, COALESCE(text, '') AS text FROM items WHERE turn_id = ? AND kind IN ('human_message', 'assistant_message') ORDER BY kind = 'human_message' DESC, seq LIMIT 1`;
    const item = oneRow(z.object({ id: z.string(), kind: z.string(), text: z.string() }), 'item', this.db.prepare(sql), t.turnId);
    const docKind = item?.kind === 'human_message' ? ('human' as const) : ('assistant' as const);
    const docs = item ? [{ rowid: 0, docKind, refId: item.id, turnId: t.turnId, score: 0, words: [], snippet: item.text.slice(0, PASSAGE_CHARS) }] : [];
    return { sessionId: t.sessionId, project: t.project, score: 0, turnId: t.turnId, turnSeq: turn ?? null, words: [], docs };
  }
}
