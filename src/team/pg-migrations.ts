// The team database's schema: the numbered .sql files of src/team/migrations, each applied once in its
// own transaction and noted in schema_migrations. An advisory lock makes two kx starting at once take turns.

import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { TEAM_MIGRATIONS_DIR } from '../package-paths.js';

const MIGRATION_LOCK = 7_349_001;

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations in a folder, by the number their file name starts with (`001_team_records.sql`). */
function readMigrations(dir = TEAM_MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/** Applies what is missing; returns the versions applied now. */
export async function migrateTeamDatabase(client: pg.ClientBase, migrations = readMigrations()): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`team database migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
