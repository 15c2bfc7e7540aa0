import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { repairJsonlTail } from '../../src/store/documents-dir.js';
import type { StoreOp } from '../../src/store/records.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { SessionStore } from '../../src/store/session-store.js';
import { sessionFolder, tempDir } from '../support/recording.js';

const at = '2026-11-24T00:00:00.000Z';
const session: StoreOp = { op: 'session', rec: { id: 's1', identifiedBy: 'header', startedAt: at } };
const turn: StoreOp = { op: 'turn', rec: { id: 't1', sessionId: 's1', seq: 1, startedAt: at } };
const request: StoreOp = {
  op: 'request',
  rec: { id: 'r1', sessionId: 's1', turnId: 't1', transport: 'http', api: 'responses', method: 'POST', path: '/v1/responses', startedAt: at, newItems: 1, skippedItems: 0, parseErrors: 0 },
};
const item = (n: number): StoreOp => ({
  op: 'item',
  rec: { id: `i${n}`, sessionId: 's1', turnId: 't1', requestId: 'r1', seq: n, direction: 'input', kind: 'human_message', itemType: 'message', text: `hello ${n}`, dedupKey: `k${n}`, createdAt: at },
});

describe('session store', () => {
  let store: SessionStore | undefined;
  afterEach(() => store?.close());

  it('creates documents/ private and migrates the schema', () => {
    const dir = path.join(tempDir(), 'documents');
    store = new SessionStore({ documentsDir: dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('keeps the database and its WAL files readable by this user only', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    store.enqueue(session);
    store.flush();
    for (const f of ['sessions.db', 'sessions.db-wal', 'sessions.db-shm']) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('refuses a database written by a newer kx with a message that says what to do', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'sessions.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => new SessionStore({ documentsDir: dir })).toThrow(/newer than this kx.*upgrade kx/);
  });

  it('emits committed items to subscribers only after they are stored', () => {
    store = new SessionStore({ documentsDir: tempDir() });
    const seen: string[] = [];
    store.events.on('stored', (b) => {
      for (const i of b.items) {
        const row = store!.db.prepare('SELECT id FROM items WHERE id = ?').get(i.id);
        seen.push(row ? i.id : `missing ${i.id}`);
      }
    });
    for (const op of [session, turn, request, item(1), item(2)]) store.enqueue(op);
    store.flush();
    expect(seen).toEqual(['i1', 'i2']);
  });

  it('commits a burst in slices in the background, letting other work run between them', async () => {
    store = new SessionStore({ documentsDir: tempDir(), flushDelayMs: 1, sliceOps: 100 });
    const batches: number[] = [];
    let ranBetween = false;
    const allStored = new Promise<void>((resolve) => {
      store!.events.on('stored', (b) => {
        batches.push(b.ops.length);
        // Something queued after the first slice gets its turn before the last slice.
        if (batches.length === 1) setImmediate(() => (ranBetween = batches.length < 6));
        if (batches.reduce((a, n) => a + n, 0) === 503) resolve();
      });
    });
    store.enqueue(session);
    store.enqueue(turn);
    store.enqueue(request);
    for (let n = 1; n <= 500; n++) store.enqueue(item(n));
    await allStored;
    expect(batches).toEqual([100, 100, 100, 100, 100, 3]);
    expect(ranBetween).toBe(true);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 500 });
  });

  it('keeps ops while the database fails, reports it, and commits them once it recovers', async () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir, flushDelayMs: 1 });
    let failing = true;
    store.faultInjector = () => {
      if (failing) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    for (const op of [session, turn, request, item(1)]) store.enqueue(op);
    store.flush();
    expect(store.getHealth()).toMatchObject({ ok: false, backlog: 4, lastError: 'database or disk is full' });
    expect(store.db.prepare('SELECT COUNT(*) c FROM items').get()).toEqual({ c: 0 });
    failing = false;
    // The store retries by itself; wait for the commit it announces, not for a guessed time.
    await new Promise<void>((resolve) => store!.events.once('stored', () => resolve()));
    expect(store.getHealth()).toMatchObject({ ok: true, backlog: 0 });
    expect(store.db.prepare('SELECT COUNT(*) c FROM items').get()).toEqual({ c: 1 });
    expect(fs.readFileSync(path.join(sessionFolder(dir, 's1'), 'user_actions.jsonl'), 'utf8')).toContain('hello 1');
  });

  it('marks turns and requests left open by a crash as interrupted on the next start', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    for (const op of [session, turn, request]) store.enqueue(op);
    store.flush();
    store.db.close(); // no close(): as if the process died
    store = new SessionStore({ documentsDir: dir });
    expect(store.db.prepare('SELECT status FROM turns').get()).toEqual({ status: 'interrupted' });
    expect(store.db.prepare('SELECT outcome FROM requests').get()).toEqual({ outcome: 'interrupted' });
  });

  const result: StoreOp = {
    op: 'request-result',
    rec: { requestId: 'r1', sessionId: 's1', turnId: 't1', durationMs: 12, statusCode: 200, outcome: 'completed', parseErrors: 0, events: 9, endedAt: at, usage: { inputTokens: 10, cachedTokens: 0, outputTokens: 5, reasoningTokens: 0, totalTokens: 15 } },
  };
  const jsonl = (dir: string, name: string) => fs.readFileSync(path.join(sessionFolder(dir, 's1'), name), 'utf8').split('\n').filter(Boolean);

  it('writes again, on the next start, the jsonl lines a crash kept from the files after their rows were committed', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    for (const op of [session, turn, request, item(1), item(2), result]) store.enqueue(op);
    store.flush();
    const user = jsonl(dir, 'user_actions.jsonl');
    const agent = jsonl(dir, 'agent_actions.jsonl');
    store.close();
    // The crash came between the commit and the appends: the files never got these lines.
    fs.writeFileSync(path.join(sessionFolder(dir, 's1'), 'user_actions.jsonl'), user[0] + '\n');
    fs.rmSync(path.join(sessionFolder(dir, 's1'), 'agent_actions.jsonl'));
    store = new SessionStore({ documentsDir: dir });
    expect(jsonl(dir, 'user_actions.jsonl')).toEqual(user);
    expect(jsonl(dir, 'agent_actions.jsonl')).toEqual(agent);
  });

  it('starts even when the jsonl files cannot be repaired, and says so', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    for (const op of [session, turn, request, item(1)]) store.enqueue(op);
    store.flush();
    store.close();
    fs.rmSync(path.join(sessionFolder(dir, 's1'), 'user_actions.jsonl'));
    fs.mkdirSync(path.join(sessionFolder(dir, 's1'), 'user_actions.jsonl'));
    const logs: Array<Record<string, unknown>> = [];
    store = new SessionStore({ documentsDir: dir, log: (l) => logs.push(l) });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', msg: 'jsonl recovery failed' }));
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 1 });
  });

  it('writes no line twice when the files already have them', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    for (const op of [session, turn, request, item(1), result]) store.enqueue(op);
    store.flush();
    store.close();
    const before = [jsonl(dir, 'user_actions.jsonl'), jsonl(dir, 'agent_actions.jsonl')];
    store = new SessionStore({ documentsDir: dir });
    expect([jsonl(dir, 'user_actions.jsonl'), jsonl(dir, 'agent_actions.jsonl')]).toEqual(before);
  });

  it('writes the lines of a failed append once the files can be written again', () => {
    const dir = tempDir();
    store = new SessionStore({ documentsDir: dir });
    store.enqueue(session);
    store.flush();
    // A directory where the file should be makes the append fail, as a full disk would.
    const file = path.join(sessionFolder(dir, 's1'), 'user_actions.jsonl');
    fs.mkdirSync(file, { recursive: true });
    for (const op of [turn, request, item(1)]) store.enqueue(op);
    store.flush();
    fs.rmSync(file, { recursive: true });
    store.enqueue(item(2));
    store.flush();
    expect(jsonl(dir, 'user_actions.jsonl').map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['hello 1', 'hello 2']);
  });

  it('cuts a torn last jsonl line back to the last whole line', () => {
    const file = path.join(tempDir(), 'agent_actions.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"b":2}\n{"c":');
    expect(repairJsonlTail(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(repairJsonlTail(file)).toBe(false);
  });
});
