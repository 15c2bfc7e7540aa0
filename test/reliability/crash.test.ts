// kx killed with SIGKILL while 20 streams are in flight, then started again on the same
// documents folder: the database opens clean, everything committed before the kill is still
// there, jsonl files hold only whole lines, and what was in flight is marked as cut short.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { fixtureBytes, fixtureRequest, wireBody } from '../support/fixtures.js';
import { openRecording, playHttp, tempDir, type Recording } from '../support/recording.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { codexHeaders, jsonlFiles, openStream, readJsonl, spawnKx, userMessage, waitFor, wsHeaders, wsMeta, type KxProcess } from './support.js';

const STREAMS = 20;

interface Snapshot {
  items: string[];
  requests: Map<string, string | null>;
  turns: Map<string, string>;
  /** Whole lines of each jsonl file. */
  jsonl: Map<string, string>;
}

function readOnly(documentsDir: string): Database.Database {
  return new Database(path.join(documentsDir, 'sessions.db'), { readonly: true, fileMustExist: true });
}

function snapshot(documentsDir: string): Snapshot {
  const db = readOnly(documentsDir);
  try {
    // One read transaction: a consistent view of what was committed at this instant.
    return db.transaction(() => ({
      items: db.prepare('SELECT id FROM items').pluck().all() as string[],
      requests: new Map((db.prepare('SELECT id, outcome FROM requests').all() as Array<{ id: string; outcome: string | null }>).map((r) => [r.id, r.outcome])),
      turns: new Map((db.prepare('SELECT id, status FROM turns').all() as Array<{ id: string; status: string }>).map((t) => [t.id, t.status])),
      jsonl: new Map(
        jsonlFiles(documentsDir).map((f) => {
          const text = fs.readFileSync(f, 'utf8');
          return [f, text.slice(0, text.lastIndexOf('\n') + 1)];
        }),
      ),
    }))();
  } finally {
    db.close();
  }
}

describe('crash: kill -9 with streams in flight', () => {
  let fake: FakeUpstream;
  const children: KxProcess[] = [];
  afterAll(async () => {
    for (const c of children) await c.stop();
    await fake?.close();
  });

  // Two kx processes start through tsx; the limit is generous for a loaded two-core machine.
  it('restarts on the same documents folder with every committed record intact and the in-flight work marked', { timeout: 90_000 }, async () => {
    fake = await startFakeUpstream();
    const documentsDir = tempDir('kx-crash-');
    const first = await spawnKx(fake.baseUrl, documentsDir);
    children.push(first);

    // Finished work first, so the kill has committed turns, tool calls and answers to lose.
    for (let i = 0; i < 4; i++) {
      for (const text of ['list the files', 'thanks']) {
        const res = await rawRequest(`${first.proxyBase}/responses`, { headers: codexHeaders(`done-${i}`), body: responsesBody(text) });
        expect(res.status).toBe(200);
      }
    }
    const ws = await openWs(`${first.proxyBase}/responses`, wsHeaders('done-ws'));
    await ws.create({ model: 'gpt-6.1-sol', input: [userMessage('hello over ws')], client_metadata: wsMeta('done-ws', 'u1') });
    ws.ws.close();

    // Then 20 long paced streams, each a human turn of its own, killed part-way.
    fake.setStreamShape({ events: 5000, eventBytes: 24, paceMs: 5 });
    const streams = Array.from({ length: STREAMS }, (_, i) => openStream(`${first.proxyBase}/responses`, codexHeaders(`crash-${i}`), responsesBody(`stream ${i}`)));
    await Promise.all(streams.map((s) => s.waitEvents(5)));
    await waitFor(() => {
      const db = readOnly(documentsDir);
      try {
        return (db.prepare('SELECT COUNT(*) FROM requests WHERE outcome IS NULL').pluck().get() as number) === STREAMS;
      } finally {
        db.close();
      }
    }, 'the in-flight requests to be committed');

    const before = snapshot(documentsDir);
    await first.kill9();
    const ends = await Promise.all(streams.map((s) => s.done));
    expect(ends.every((e) => !e.ended)).toBe(true); // the clients saw the streams break, not end

    fake.setStreamShape(null);
    const second = await spawnKx(fake.baseUrl, documentsDir);
    children.push(second);
    const after = snapshot(documentsDir);
    const db = readOnly(documentsDir);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }

    const pendingBefore = [...before.requests].filter(([, o]) => o === null).map(([id]) => id);
    const openTurnsBefore = [...before.turns].filter(([, s]) => s === 'open').map(([id]) => id);
    console.log(
      `crash: ${STREAMS} streams in flight; committed before the kill: ${before.items.length} items, ${before.requests.size} requests ` +
        `(${pendingBefore.length} pending), ${before.turns.size} turns (${openTurnsBefore.length} open); ` +
        `after restart: ${after.items.length} items, ${after.requests.size} requests, ${after.turns.size} turns`,
    );

    expect(pendingBefore).toHaveLength(STREAMS);
    for (const id of before.items) expect(after.items).toContain(id);
    for (const [id, outcome] of before.requests) expect(after.requests.get(id)).toBe(outcome ?? 'interrupted');
    for (const [id, status] of before.turns) expect(after.turns.get(id)).toBe(status === 'open' ? 'interrupted' : status);
    expect([...after.requests.values()]).not.toContain(null);
    expect([...after.turns.values()]).not.toContain('open');

    for (const file of jsonlFiles(documentsDir)) {
      expect(() => readJsonl(file)).not.toThrow();
      expect(fs.readFileSync(file, 'utf8').startsWith(before.jsonl.get(file) ?? '')).toBe(true);
    }

    // The restarted kx carries on: a crashed session gets its next turn, and the API shows both.
    const res = await rawRequest(`${second.proxyBase}/responses`, { headers: codexHeaders('crash-0'), body: responsesBody('are you back?') });
    expect(res.events.at(-1)!.type).toBe('response.completed');
    const session = async () => {
      const r = await fetch(`${second.url}/api/sessions/crash-0`, { headers: { authorization: `Bearer ${second.token}` } });
      return (await r.json()) as { turns: Array<{ status: string; items: Array<{ text: string | null }> }> };
    };
    await waitFor(async () => (await session()).turns.at(-1)?.items.length === 2, 'the new turn to be recorded');
    const { turns } = await session();
    expect(turns.map((t) => [t.status, t.items.map((i) => i.text)])).toEqual([
      ['interrupted', ['stream 0']],
      ['completed', ['are you back?', 'You said: are you back?']],
    ]);
  });
});

describe('turns a crash left open', () => {
  const SESSION = '01a20e12-d5d8-7e50-b51e-36f21fde77a3'; // the http-sse fixture's Codex thread
  let r: Recording | undefined;
  afterEach(() => r?.close());

  const play = (rec: Recording, n: string) => {
    const req = fixtureRequest('http-sse', n);
    playHttp(rec.recorder, '/v1/responses', req.headers, wireBody(req), { status: 200, contentType: 'text/event-stream', body: fixtureBytes('http-sse', `${n}-response.sse`) });
  };
  /** Turn 1 waits on a tool call when the process dies; the next process opens the same folder. */
  const crashMidTurn = async (): Promise<Recording> => {
    const first = openRecording();
    play(first, '01');
    await first.settle();
    first.store.db.close(); // no close(): as if the process died
    return openRecording(first.dir);
  };

  it('keeps a turn interrupted by a crash marked interrupted when the next human turn starts', async () => {
    r = await crashMidTurn();
    play(r, '03'); // the next human message (history includes the tool round trip)
    await r.settle();
    expect(r.reader.getSession(SESSION)!.turns.map((t) => t.status)).toEqual(['interrupted', 'completed']);
  });

  it('records an interrupted turn as completed when the client carries it to its answer after the restart', async () => {
    r = await crashMidTurn();
    play(r, '02'); // the tool output and the final answer of the same turn
    await r.settle();
    expect(r.reader.getSession(SESSION)!.turns.map((t) => t.status)).toEqual(['completed']);
  });
});
