// kx's own failures: the database refusing writes (locked, full) and capture code throwing.
// Traffic must flow byte for byte regardless; the failure must show in /api/health and the
// logs; once it clears, capture resumes and nothing acknowledged is lost.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Recorder } from '../../src/capture/recorder.js';
import { startKx, type Kx } from '../../src/kx.js';
import { ResponsesEventFolder } from '../../src/protocol/responses-events.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import type { BeginRequest } from '../../src/capture/session-tracker.js';
import { readableFolderName } from '../../src/store/session-folder.js';
import { testConfig } from '../support/kx-harness.js';
import { rawRequest, responsesBody, type RawResponse } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { codexHeaders, jsonlFiles, readJsonl, userMessage, waitFor, wsHeaders, wsMeta } from './support.js';

interface Rig {
  fake: FakeUpstream;
  /** Gets every call kx forwards, in the same order, with no kx in front: what a direct call returns. */
  twin: FakeUpstream;
  kx: Kx;
  logs: Array<Record<string, unknown>>;
  /** Items the store acknowledged (emitted as committed). */
  acknowledged: Set<string>;
  /** One Responses call through kx and the same call straight to the twin. */
  call(session: string, text: string): Promise<{ viaKx: RawResponse; direct: RawResponse }>;
  health(): Promise<Record<string, any>>;
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const fake = await startFakeUpstream();
  const twin = await startFakeUpstream();
  const logs: Array<Record<string, unknown>> = [];
  const kx = await startKx(testConfig(fake.baseUrl), (line) => logs.push(line));
  const acknowledged = new Set<string>();
  kx.store.events.on('stored', (b) => b.items.forEach((i) => acknowledged.add(i.id)));
  return {
    fake,
    twin,
    kx,
    logs,
    acknowledged,
    call: async (session, text) => {
      const opts = { headers: codexHeaders(session), body: responsesBody(text) };
      const viaKx = await rawRequest(`${kx.url}/v1/responses`, opts);
      const direct = await rawRequest(`${twin.baseUrl}/responses`, opts);
      return { viaKx, direct };
    },
    health: async () => (await (await fetch(`${kx.url}/api/health`)).json()) as Record<string, any>,
    close: async () => {
      await kx.close();
      await fake.close();
      await twin.close();
    },
  };
}

/** A session's first request, as capture begins it (2,100 through HTTP would only make the test slower). */
const backgroundRequest = (session: string): BeginRequest => ({
  transport: 'http',
  method: 'POST',
  path: '/v1/responses',
  startedAtIso: new Date().toISOString(),
  request: { api: 'responses', stream: true, generate: true, input: [{ kind: 'human_message', itemType: 'message', role: 'user', text: 'hi' }], meta: { sessionId: session } },
  skippedItems: 0,
});

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** Every item the store acknowledged is in the database and in the session's jsonl. */
function expectNothingAcknowledgedLost(rig: Rig): void {
  const db = rig.kx.store.db;
  const stored = new Set(db.prepare('SELECT id FROM items').pluck().all() as string[]);
  const inJsonl = new Set(jsonlFiles(rig.kx.store.documentsDir).flatMap((f) => readJsonl(f).map((l) => l.item_id)));
  expect(rig.acknowledged.size).toBeGreaterThan(0);
  for (const id of rig.acknowledged) {
    expect(stored.has(id), `item ${id} in sessions.db`).toBe(true);
    expect(inJsonl.has(id), `item ${id} in a jsonl file`).toBe(true);
  }
}

describe('store faults, end to end', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await rig?.close();
    rig = undefined;
  });

  for (const [code, message] of [
    ['SQLITE_BUSY', 'database is locked'],
    ['SQLITE_FULL', 'database or disk is full'],
  ] as const) {
    it(`keeps traffic byte-identical while the store fails with ${code}`, async () => {
      rig = await startRig();
      await rig.call('s-before', 'before the fault');
      await rig.kx.settle();
      rig.kx.store.faultInjector = () => {
        throw sqliteError(code, message);
      };
      for (let i = 0; i < 3; i++) {
        const { viaKx, direct } = await rig.call('s-during', `during the fault ${i}`);
        expect(viaKx.status).toBe(200);
        expect(viaKx.body.equals(direct.body)).toBe(true);
      }
      const ws = await openWs(`${rig.kx.url}/v1/responses`, wsHeaders('s-during-ws'));
      const events = await ws.create({ model: 'gpt-6.1-sol', input: [userMessage('ws during the fault')], client_metadata: wsMeta('s-during-ws', 'u1') });
      expect(events.at(-1)!.type).toBe('response.completed');
      ws.ws.close();
    });

    it(`reports ${code} in /api/health, keeping ok and version, and in the log`, async () => {
      rig = await startRig();
      expect(await rig.health()).toMatchObject({ ok: true, version: expect.any(String), store: { ok: true } });
      rig.kx.store.faultInjector = () => {
        throw sqliteError(code, message);
      };
      await rig.call('s-health', 'while failing');
      await waitFor(() => !rig!.kx.store.getHealth().ok, 'the store to attempt a write');
      const health = await rig.health();
      expect(health).toMatchObject({ ok: false, version: expect.any(String), store: { ok: false, lastError: message } });
      expect(health.store.backlog).toBeGreaterThan(0);
      expect(rig.logs).toContainEqual(expect.objectContaining({ level: 'error', msg: expect.stringMatching(/store write failed/), error: message }));
    });

    it(`resumes capture once ${code} clears and loses nothing it acknowledged`, async () => {
      rig = await startRig();
      await rig.call('s-resume', 'before the fault');
      await rig.kx.settle();
      const before = rig.acknowledged.size;
      expect(before).toBeGreaterThan(0);
      let failing = true;
      rig.kx.store.faultInjector = () => {
        if (failing) throw sqliteError(code, message);
      };
      await rig.call('s-resume', 'during the fault');
      await waitFor(() => !rig!.kx.store.getHealth().ok, 'the store to attempt a write');
      expect(rig.acknowledged.size).toBe(before); // nothing new can be acknowledged while writes fail

      failing = false;
      await waitFor(async () => (await rig!.health()).ok === true, '/api/health to report ok again');
      expect(rig.logs).toContainEqual(expect.objectContaining({ msg: 'store recovered' }));
      await rig.call('s-resume', 'after the fault');
      await rig.kx.settle();

      const s = rig.kx.reader.getSession('s-resume')!;
      expect(s.turns.map((t) => t.items.map((i) => i.text))).toEqual([
        ['before the fault', 'You said: before the fault'],
        ['during the fault', 'You said: during the fault'],
        ['after the fault', 'You said: after the fault'],
      ]);
      expect(s.requests.map((q) => q.outcome)).toEqual(['completed', 'completed', 'completed']);
      expect(rig.kx.store.getHealth()).toMatchObject({ ok: true, backlog: 0, droppedOps: 0 });
      expectNothingAcknowledgedLost(rig);
    });
  }

  it('keeps traffic flowing while another process holds the database write lock, and catches up after', async () => {
    rig = await startRig();
    const other = new Database(path.join(rig.kx.store.documentsDir, 'sessions.db'));
    other.prepare('BEGIN IMMEDIATE').run(); // a real lock, not the injector: kx's writes get SQLITE_BUSY
    try {
      const { viaKx, direct } = await rig.call('s-locked', 'while locked');
      expect(viaKx.body.equals(direct.body)).toBe(true);
      await waitFor(() => !rig!.kx.store.getHealth().ok, 'the store to hit the lock');
      expect((await rig.health()).store.lastError).toMatch(/locked|busy/i);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    await waitFor(() => rig!.kx.store.getHealth().ok, 'the store to catch up');
    await rig.kx.settle();
    expect(rig.kx.reader.getSession('s-locked')!.requests[0]!.outcome).toBe('completed');
    expectNothingAcknowledgedLost(rig);
  });

  it('says so in /api/health while jsonl appends keep failing, logs it once without the id, and catches up after', async () => {
    rig = await startRig();
    const id = `s-jsonl-${'x'.repeat(2000)}`;
    // A file where the session's folder should be (named with or without its first words, whichever
    // batch its first message lands in): every append to it fails until it is gone.
    const day = new Date().toISOString();
    const blockers = [readableFolderName(id, day, 'blocked 0'), readableFolderName(id, day, undefined)].map((f) => path.join(rig!.kx.store.documentsDir, f));
    for (const blocker of blockers) fs.writeFileSync(blocker, '');
    for (let i = 0; i < 3; i++) await rig.call(id, `blocked ${i}`);
    await rig.kx.settle();
    const health = await rig.health();
    expect(health).toMatchObject({ ok: false, store: { ok: false, lastError: expect.stringMatching(/^jsonl append failed/) } });
    expect(health.store.jsonlBehind).toBeGreaterThan(0);
    const failures = rig.logs.filter((l) => String(l.msg).startsWith('jsonl append failed'));
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(rig.logs)).not.toContain('x'.repeat(200));
    for (const blocker of blockers) fs.rmSync(blocker);
    await waitFor(async () => {
      await rig!.call('s-after-jsonl', 'next');
      await rig!.kx.settle();
      return rig!.kx.store.getHealth().ok;
    }, 'the jsonl files to catch up');
    expect((await rig.health()).store.jsonlBehind).toBe(0);
    expectNothingAcknowledgedLost(rig);
  });

  it('keeps rows and jsonl lines one to one when sessions are evicted from memory while writes are refused', async () => {
    rig = await startRig();
    const other = new Database(path.join(rig.kx.store.documentsDir, 'sessions.db'));
    other.prepare('BEGIN EXCLUSIVE').run();
    const answer = (await rig.call('s-evicted', 'first question')).viaKx;
    const output = JSON.parse(answer.events.find((e) => e.type === 'response.completed')!.data).response.output as unknown[];
    for (let i = 0; i < 2100; i++) rig.kx.recorder.tracker.beginRequest(backgroundRequest(`s-crowd-${i}`));
    await rawRequest(`${rig.kx.url}/v1/responses`, {
      headers: codexHeaders('s-evicted'),
      body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage('first question'), ...output, userMessage('second question')] }),
    });
    other.prepare('ROLLBACK').run();
    other.close();
    await waitFor(() => rig!.kx.store.getHealth().ok, 'the store to catch up', 60_000);
    await rig.kx.settle();
    const db = rig.kx.store.db;
    const rows = new Set(db.prepare(`SELECT id FROM items WHERE session_id = 's-evicted'`).pluck().all() as string[]);
    const folder = rig.kx.store.sessionDir('s-evicted') + path.sep;
    const files = jsonlFiles(rig.kx.store.documentsDir).filter((f) => f.startsWith(folder));
    const lines = files.flatMap((f) => readJsonl(f)).filter((l) => l.item_id);
    expect(lines.map((l) => l.item_id).sort()).toEqual([...rows].sort());
    const turns = new Set(db.prepare(`SELECT id FROM turns WHERE session_id = 's-evicted'`).pluck().all() as string[]);
    for (const t of db.prepare(`SELECT turn_id FROM items WHERE session_id = 's-evicted' AND turn_id IS NOT NULL`).pluck().all() as string[]) expect(turns.has(t)).toBe(true);
    expect(rig.kx.reader.getSession('s-evicted')!.turns.map((t) => t.items[0]!.text)).toEqual(['first question', 'second question']);
  });
});

describe('capture code that throws, end to end', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await rig?.close();
    rig = undefined;
  });

  it('keeps traffic byte-identical when a stream parser throws, and records a capture error', async () => {
    rig = await startRig();
    vi.spyOn(ResponsesEventFolder.prototype, 'feedData').mockImplementation(() => {
      throw new Error('parser exploded');
    });
    const { viaKx, direct } = await rig.call('s-parser', 'hello');
    expect(viaKx.body.equals(direct.body)).toBe(true);
    await rig.kx.settle();
    const errors = rig.kx.store.db.prepare('SELECT stage, message FROM capture_errors').all();
    expect(errors).toContainEqual({ stage: 'response', message: 'parser exploded' });
  });

  it('keeps traffic byte-identical when capture throws on the forwarding path itself', async () => {
    rig = await startRig();
    // defer() is what the observer calls synchronously while bytes are being forwarded.
    vi.spyOn(Recorder.prototype, 'defer').mockImplementation(() => {
      throw new Error('capture exploded');
    });
    const { viaKx, direct } = await rig.call('s-observer', 'hello');
    expect(viaKx.body.equals(direct.body)).toBe(true);
    expect(rig.logs).toContainEqual(expect.objectContaining({ level: 'error', msg: expect.stringMatching(/traffic continues uncaptured/) }));
  });

  it('keeps traffic byte-identical when capture refuses the exchange outright', async () => {
    rig = await startRig();
    vi.spyOn(rig.kx.recorder, 'http').mockImplementation(() => {
      throw new Error('no capture today');
    });
    const { viaKx, direct } = await rig.call('s-refused', 'hello');
    expect(viaKx.body.equals(direct.body)).toBe(true);
    expect(rig.logs).toContainEqual(expect.objectContaining({ msg: 'capture refused exchange', error: 'no capture today' }));
  });

  it('keeps a WebSocket session working when capture throws on every frame', async () => {
    rig = await startRig();
    vi.spyOn(Recorder.prototype, 'defer').mockImplementation(() => {
      throw new Error('capture exploded');
    });
    const ws = await openWs(`${rig.kx.url}/v1/responses`, wsHeaders('s-ws-throws'));
    for (const turn of ['u1', 'u2']) {
      const events = await ws.create({ model: 'gpt-6.1-sol', input: [userMessage(`hello ${turn}`)], client_metadata: wsMeta('s-ws-throws', turn) });
      expect(events.at(-1)!.type).toBe('response.completed');
    }
    ws.ws.close();
    expect(rig.fake.requests.filter((r) => r.transport === 'ws')).toHaveLength(2);
    expect(rig.logs).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/WebSocket continues uncaptured/) }));
  });

  it('records the next exchange normally once capture stops throwing', async () => {
    rig = await startRig();
    const spy = vi.spyOn(ResponsesEventFolder.prototype, 'feedData').mockImplementation(() => {
      throw new Error('parser exploded');
    });
    await rig.call('s-recover', 'first');
    spy.mockRestore();
    await rig.call('s-recover', 'second');
    await rig.kx.settle();
    const s = rig.kx.reader.getSession('s-recover')!;
    expect(s.requests.at(-1)!.outcome).toBe('completed');
    expect(s.turns.at(-1)!.items.map((i) => i.text)).toEqual(['second', 'You said: second']);
  });
});
