// The project of a session that reports its working directory is that directory's, from its first
// request; the empty `client: …` projects earlier versions made for every such session are removed.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../src/store/schema.js';

describe('client placeholder projects', () => {
  it('are removed by the migration when no session or gap uses them, and kept when one does', () => {
    const db = new Database(':memory:');
    migrate(db);
    const at = '2026-11-20T10:00:00Z';
    db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('client-codex-exec-aaaaaa', 'client: codex_exec', ?), ('client-codex-tui-bbbbbb', 'client: codex_tui', ?), ('home-ana-shop-cccccc', '/home/ana/shop', ?)`).run(at, at, at);
    db.prepare(`INSERT INTO sessions (id, identified_by, started_at, project) VALUES ('s-tui', 'header', ?, 'client-codex-tui-bbbbbb')`).run(at);
    // Back before the cleanup; the migrations after it (the search index's stemming, team memory's tables, the index's
    // identifier column and its side table, the folder moves' journal, the typed text of rewritten messages) run again
    // harmlessly.
    db.pragma(`user_version = ${SCHEMA_VERSION - 7}`);
    db.exec('ALTER TABLE approvals DROP COLUMN context');
    migrate(db);
    expect(db.prepare('SELECT id FROM projects ORDER BY id').pluck().all()).toEqual(['client-codex-tui-bbbbbb', 'home-ana-shop-cccccc']);
  });
});
