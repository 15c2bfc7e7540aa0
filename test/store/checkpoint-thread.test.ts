// The WAL's checkpoints (copying it into sessions.db, with fsyncs) run on a thread of their own, never
// inside a commit on the thread that forwards traffic; without that thread, commits checkpoint as before.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointThread } from '../../src/store/checkpoint-thread.js';
import { SessionStore } from '../../src/store/session-store.js';
import { startKx } from '../../src/kx.js';
import { testConfig } from '../../harness/drivers/throwaway-config.js';
import { tempDir } from '../support/recording.js';

const PAGES = 1000; // SQLite's automatic checkpoint: a commit past this many WAL pages checkpoints

function openStore(): SessionStore {
  const store = new SessionStore({ documentsDir: tempDir('kx-checkpoint-') });
  store.db.exec(`CREATE TABLE filler (b BLOB)`);
  return store;
}

/** 24 commits of 256 KB: 6 MB, about 1,500 pages of 4 KB. */
function fill(store: SessionStore): void {
  const insert = store.db.prepare(`INSERT INTO filler (b) VALUES (?)`);
  for (let i = 0; i < 24; i++) insert.run(Buffer.alloc(256 * 1024, i));
}

/** A checkpoint thread on the store's connection, once it runs (the connection has stopped checkpointing). */
async function runningThread(store: SessionStore, everyMs: number, closers: Array<() => unknown>): Promise<CheckpointThread> {
  const thread = new CheckpointThread(store.db, { everyMs });
  closers.push(() => thread.close());
  thread.start();
  await vi.waitFor(() => expect(thread.running).toBe(true), { timeout: 15_000, interval: 20 });
  return thread;
}

const walBytes = (store: SessionStore) => fs.statSync(`${store.db.name}-wal`).size;
const pageSize = (store: SessionStore) => store.db.pragma('page_size', { simple: true }) as number;

describe('WAL checkpoints', () => {
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('checkpoint inside commits on a connection without the thread (SQLite’s own rule)', () => {
    const store = openStore();
    closers.push(() => store.close());
    fill(store);
    expect(walBytes(store)).toBeLessThan(1.2 * PAGES * pageSize(store));
  });

  it('leave the forwarding thread’s commits once the thread runs, and the thread folds the WAL into sessions.db', async () => {
    const store = openStore();
    closers.push(() => store.close());
    await runningThread(store, 60_000, closers);
    fill(store);
    // No commit checkpointed: every page written is still in the WAL.
    expect(walBytes(store)).toBeGreaterThan(1.4 * PAGES * pageSize(store));

    await runningThread(store, 20, closers);
    await vi.waitFor(() => expect(fs.statSync(store.db.name).size).toBeGreaterThan(6 * 1024 * 1024), { timeout: 15_000, interval: 20 });
  });

  it('go back inside commits when the thread stops', async () => {
    const store = openStore();
    closers.push(() => store.close());
    const thread = await runningThread(store, 60_000, closers);
    await thread.close();
    fill(store);
    expect(walBytes(store)).toBeLessThan(1.2 * PAGES * pageSize(store));
  });

  it('run on their own thread in a running kx', async () => {
    const kx = await startKx(testConfig('http://127.0.0.1:9/v1', { documentsDir: tempDir('kx-checkpoint-kx-') }));
    closers.push(() => kx.close());
    kx.store.db.exec(`CREATE TABLE filler (b BLOB)`);
    await vi.waitFor(() => expect(kx.store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0), { timeout: 15_000, interval: 50 });
  });
});
