import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowShapeError } from '../../src/store/checked-rows.js';
import { migrate } from '../../src/store/schema.js';
import { SessionReader } from '../../src/store/session-reader.js';

function storeWithOneSession(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare(`INSERT INTO sessions (id, client, identified_by, started_at) VALUES ('s1', 'codex', 'header', '2026-12-05T10:00:00.000Z')`).run();
  db.prepare(`INSERT INTO turns (id, session_id, seq, started_at, status) VALUES ('t1', 's1', 1, '2026-12-05T10:00:01.000Z', 'completed')`).run();
  return db;
}

describe('rows leaving the store are checked', () => {
  it('reads a recorded session as the console’s shapes', () => {
    const session = new SessionReader(storeWithOneSession()).getSession('s1');
    expect(session?.turns.map((t) => [t.id, t.status])).toEqual([['t1', 'completed']]);
    expect(session?.usage.totalTokens).toBe(0);
  });

  it('refuses a turn whose status is none the console knows, naming the row and the column', () => {
    const db = storeWithOneSession();
    db.prepare(`UPDATE turns SET status = 'half-done' WHERE id = 't1'`).run();
    expect(() => new SessionReader(db).getSession('s1')).toThrow(RowShapeError);
    expect(() => new SessionReader(db).getSession('s1')).toThrow(/a turn row .*status/);
  });

  it('refuses a value of the wrong type where the reader needs text', () => {
    const db = storeWithOneSession();
    // A BLOB keeps its type in a TEXT column: what a foreign writer or a damaged file can leave.
    db.prepare(`UPDATE sessions SET identified_by = x'07' WHERE id = 's1'`).run();
    expect(() => new SessionReader(db).getSummary('s1')).toThrow(/a session row .*identifiedBy/);
  });
});
