// kx killed with SIGKILL while insight calls are in flight, then started again: every job ends
// done, each result is stored once, and the calls the crash cut are made again.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../src/fake-upstream/server.js';
import { tempDir } from '../support/recording.js';
import { rawRequest, responsesBody } from '../../src/drivers/http-client.js';
import { spawnKx, waitFor, type KxProcess } from '../reliability/support.js';

const SESSIONS = 4;

function query<T>(documentsDir: string, sql: string): T[] {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('crash: kill -9 with insight jobs running', () => {
  let fake: FakeUpstream;
  const children: KxProcess[] = [];
  afterAll(async () => {
    for (const c of children) await c.stop();
    await fake?.close();
  });

  it('runs every interrupted job again after a restart and stores each result once', { timeout: 90_000 }, async () => {
    fake = await startFakeUpstream();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    for (let i = 0; i < SESSIONS; i++) fake.enqueueInsight({ kind: 'stall', ms: 60_000, release: released });
    const documentsDir = tempDir('kx-insight-crash-');
    const env = { KX_INSIGHT: 'turn', KX_INSIGHT_API_KEY: 'sk-test-insight-crash-0123456789', KX_INSIGHT_BASE_URL: fake.baseUrl, KX_INSIGHT_CONCURRENCY: '2' };
    const first = await spawnKx(fake.baseUrl, documentsDir, { env });
    children.push(first);
    for (let i = 0; i < SESSIONS; i++) {
      await rawRequest(`${first.proxyBase}/responses`, { headers: { 'content-type': 'application/json', 'session-id': `crash-${i}` }, body: responsesBody(`what is topic${i}?`) });
    }
    const insightCalls = () => fake.requests.filter((r) => (r.body as { text?: { format?: { name?: string } } })?.text?.format?.name === 'turn_insight').length;
    await waitFor(() => insightCalls() === 2, 'two insight calls in flight');
    // The last turn's job is committed with its turn's end, a few ms after its response: wait for it too.
    await waitFor(() => query<{ n: number }>(documentsDir, `SELECT COUNT(*) AS n FROM insight_jobs`)[0]!.n === SESSIONS, 'every job queued');
    expect(query<{ state: string }>(documentsDir, `SELECT state FROM insight_jobs`).map((j) => j.state).sort()).toEqual(['queued', 'queued', 'running', 'running']);
    await first.kill9();
    release();

    const second = await spawnKx(fake.baseUrl, documentsDir, { env });
    children.push(second);
    await waitFor(() => query<{ n: number }>(documentsDir, `SELECT COUNT(*) AS n FROM insight_jobs WHERE state = 'done'`)[0]!.n === SESSIONS, 'every job done');
    expect(query<{ n: number }>(documentsDir, `SELECT COUNT(*) AS n FROM turn_insights`)[0]!.n).toBe(SESSIONS);
    expect(query<{ n: number; seen: number }>(documentsDir, `SELECT COUNT(*) AS n, SUM(times_seen) AS seen FROM gaps`)[0]).toEqual({ n: SESSIONS, seen: SESSIONS });
    // Two calls were cut by the crash and made again; the others ran once.
    expect(insightCalls()).toBe(SESSIONS + 2);
    expect(query<{ attempts: number }>(documentsDir, `SELECT attempts FROM insight_jobs ORDER BY attempts`).map((j) => j.attempts)).toEqual([1, 1, 2, 2]);
  });
});
