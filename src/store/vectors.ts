// Each turn's embedding, stored locally with sqlite-vec (a vec0 table beside the search index), and the
// nearest turns to a query's embedding. sqlite-vec is a native extension: where it will not load (a platform
// with no build of it), vectors are off, search is lexical, and kx says so once.

import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from './checked-rows.js';

/** text-embedding-3-small reduced to 256 dimensions: a sixth of the storage, close to full quality (OpenAI's own figures). */
export const EMBEDDING_DIMENSIONS = 256;
export const EMBEDDING_MODEL = 'text-embedding-3-small';

const require = createRequire(import.meta.url);

type SqliteVec = { load(db: Database.Database): void };

/** Loads sqlite-vec into the connection, or says why it would not load. `from` stands in for the package in tests. */
export function loadSqliteVec(db: Database.Database, from: () => SqliteVec = () => require('sqlite-vec') as SqliteVec): { ok: true } | { ok: false; why: string } {
  try {
    from().load(db);
    return { ok: true };
  } catch (err) {
    return { ok: false, why: (err as Error).message.split('\n')[0]! };
  }
}

/** A turn to embed: its text, and where it belongs. */
const pendingTurn = z.object({ turnRowid: z.number(), turnId: z.string(), sessionId: z.string() });
export type TurnText = z.infer<typeof pendingTurn> & { text: string };

/** A turn near the query, closest first: cosine distance from 0 (same direction) to 2. */
const nearTurn = z.object({ turnId: z.string(), sessionId: z.string(), project: z.string().nullable(), distance: z.number() });
export type NearTurn = z.infer<typeof nearTurn>;

/** Characters of a turn sent to be embedded: the person's words and the answer's start say what it was about. */
const TURN_CHARS = 4000;

export class VectorStore {
  private constructor(private readonly db: Database.Database) {}

  /**
   * The store on a connection with sqlite-vec loaded; a writer creates its tables. Undefined when sqlite-vec
   * will not load, or (read-only) before any turn was embedded.
   */
  static open(db: Database.Database, opts: { write: boolean; loaded?: boolean; from?: () => SqliteVec; onUnavailable?: (why: string) => void }): VectorStore | undefined {
    const loaded = opts.loaded ? ({ ok: true } as const) : loadSqliteVec(db, opts.from);
    if (!loaded.ok) {
      opts.onUnavailable?.(loaded.why);
      return undefined;
    }
    if (opts.write) {
      db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS turn_vectors USING vec0(embedding float[${EMBEDDING_DIMENSIONS}] distance_metric=cosine);
        CREATE TABLE IF NOT EXISTS turn_vector_refs (turn_rowid INTEGER PRIMARY KEY, turn_id TEXT NOT NULL UNIQUE, session_id TEXT NOT NULL, model TEXT NOT NULL);`);
    } else if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'turn_vector_refs'`).get()) {
      return undefined;
    }
    return new VectorStore(db);
  }

  /** Finished turns not embedded yet, oldest first (an import's too), with the text to embed. */
  pending(limit: number): TurnText[] {
    const sql = `SELECT t.rowid AS turnRowid, t.id AS turnId, t.session_id AS sessionId FROM turns t
      WHERE t.status != 'open' AND NOT EXISTS (SELECT 1 FROM turn_vector_refs v WHERE v.turn_rowid = t.rowid) ORDER BY t.rowid LIMIT ?`;
    const turns = allRows(pendingTurn, 'turn to embed', this.db.prepare(sql), limit);
    const parts = this.db.prepare(
      `SELECT text FROM items WHERE turn_id = ? AND kind IN ('human_message', 'assistant_message') AND text IS NOT NULL ORDER BY seq`,
    ).pluck();
    const terms = this.db.prepare(`SELECT text FROM search_docs WHERE rowid = (SELECT doc_rowid FROM search_refs WHERE doc_kind = 'search_terms' AND ref_id = ?)`).pluck();
    return turns.map((t) => {
      const text = [...allRows(z.string(), 'turn text', parts, t.turnId), oneRow(z.string(), 'search terms', terms, t.turnId) ?? ''].join('\n').trim();
      return { ...t, text: text.slice(0, TURN_CHARS) };
    });
  }

  /** Stores embeddings; a turn with no text is marked done with no vector, so it is not asked for again. */
  store(done: Array<{ turn: TurnText; vector: Float32Array | undefined }>, model: string): void {
    const ref = this.db.prepare(`INSERT OR REPLACE INTO turn_vector_refs (turn_rowid, turn_id, session_id, model) VALUES (?, ?, ?, ?)`);
    const drop = this.db.prepare(`DELETE FROM turn_vectors WHERE rowid = ?`);
    const vec = this.db.prepare(`INSERT INTO turn_vectors (rowid, embedding) VALUES (?, ?)`);
    this.db.transaction(() => {
      for (const { turn, vector } of done) {
        ref.run(turn.turnRowid, turn.turnId, turn.sessionId, model);
        drop.run(BigInt(turn.turnRowid));
        if (vector) vec.run(BigInt(turn.turnRowid), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      }
    })();
  }

  /** The `k` turns nearest the query's vector, in `project` when given (then more are looked at and filtered). */
  nearest(vector: Float32Array, k: number, opts: { project?: string; excludeSession?: string } = {}): NearTurn[] {
    const wanted = opts.project !== undefined || opts.excludeSession !== undefined ? k * 8 : k;
    const sql = `SELECT r.turn_id AS turnId, r.session_id AS sessionId, s.project AS project, v.distance AS distance
      FROM (SELECT rowid, distance FROM turn_vectors WHERE embedding MATCH ? AND k = ?) v
      JOIN turn_vector_refs r ON r.turn_rowid = v.rowid LEFT JOIN sessions s ON s.id = r.session_id ORDER BY v.distance`;
    const rows = allRows(nearTurn, 'near turn', this.db.prepare(sql), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), Math.min(wanted, 4096));
    return rows.filter((r) => (opts.project === undefined || r.project === opts.project) && r.sessionId !== opts.excludeSession).slice(0, k);
  }

  /** Turns embedded, and finished turns still waiting (for the bench and the health view). */
  counts(): { embedded: number; waiting: number } {
    const waitingSql = `SELECT count(*) FROM turns t WHERE t.status != 'open' AND NOT EXISTS (SELECT 1 FROM turn_vector_refs v WHERE v.turn_rowid = t.rowid)`;
    const embedded = oneRow(z.number(), 'embedded count', this.db.prepare(`SELECT count(*) FROM turn_vector_refs`).pluck()) ?? 0;
    const waiting = oneRow(z.number(), 'waiting count', this.db.prepare(waitingSql).pluck()) ?? 0;
    return { embedded, waiting };
  }
}
