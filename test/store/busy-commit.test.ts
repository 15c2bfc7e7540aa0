import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreOp } from '../../src/store/records.js';
import { SessionStore } from '../../src/store/session-store.js';
import { tempDir } from '../support/recording.js';

const at = '2026-11-24T00:00:00.000Z';
const session: StoreOp = { op: 'session', rec: { id: 's-busy', identifiedBy: 'header', startedAt: at } };
const ms = (n: number) => new Promise<void>((r) => setTimeout(r, n));

describe('the store beside another writer (the insight worker)', () => {
  let store: SessionStore | undefined;
  let other: Database.Database | undefined;
  afterEach(() => {
    if (other?.inTransaction) other.exec('ROLLBACK');
    other?.close();
    store?.close();
  });

  it('never blocks this thread on the other writer’s lock, stays healthy, and commits once the lock is gone', async () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir, flushDelayMs: 1 });
    other = new Database(path.join(dir, 'sessions.db'));
    other.exec('BEGIN IMMEDIATE');

    // A blocking attempt sleeps in SQLite's busy handler for its whole timeout (200 ms): three fit in 600 ms.
    let attempts = 0;
    store.faultInjector = () => void attempts++;
    store.enqueue(session);
    await ms(600);

    expect(attempts).toBeGreaterThanOrEqual(10);
    expect(store.getHealth().ok).toBe(true);
    expect(store.db.prepare(`SELECT count(*) FROM sessions WHERE id = 's-busy'`).pluck().get()).toBe(0);

    other.exec('COMMIT');
    await expect.poll(() => store!.db.prepare(`SELECT count(*) FROM sessions WHERE id = 's-busy'`).pluck().get(), { timeout: 3000 }).toBe(1);
    expect(store.getHealth().ok).toBe(true);
  });
});
