// kx killed with SIGKILL while insight calls are in flight, then started again: every job ends
// done, each result is stored once, and the calls the crash cut are made again.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { tempDir } from '../support/recording.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
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

  const insightCalls = () => fake.requests.filter((r) => (r.body as { text?: { format?: { name?: string } } })?.text?.format?.name === 'turn_insight').length;
  const turnJobs = (documentsDir: string) => query<{ state: string; interrupted: number }>(documentsDir, `SELECT state, interrupted FROM insight_jobs WHERE kind = 'turn'`);

  /** kx with insight on and one turn whose insight call hangs until `release`. */
  async function kxWithRunningJob(documentsDir: string, release: Promise<unknown>, send: boolean): Promise<KxProcess> {
    fake.enqueueInsight({ kind: 'stall', ms: 60_000, release });
    const env = { KX_INSIGHT: 'turn', KX_INSIGHT_API_KEY: 'sk-test-insight-crash-0123456789', KX_INSIGHT_BASE_URL: fake.baseUrl };
    const kx = await spawnKx(fake.baseUrl, documentsDir, { env });
    children.push(kx);
    const calls = insightCalls();
    if (send) await rawRequest(`${kx.proxyBase}/responses`, { headers: { 'content-type': 'application/json', 'session-id': 'stops-1' }, body: responsesBody('what is a stop?') });
    // This kx's own call, not the state a killed one left behind.
    await waitFor(() => insightCalls() === calls + 1 && turnJobs(documentsDir)[0]?.state === 'running', 'the job running');
    return kx;
  }

  it('runs again a job that was running at two kill -9 in a row: a stop of kx is not a crash of its worker', { timeout: 90_000 }, async () => {
    fake ??= await startFakeUpstream();
    const documentsDir = tempDir('kx-insight-stops-');
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await (await kxWithRunningJob(documentsDir, released, true)).kill9();
    await (await kxWithRunningJob(documentsDir, released, false)).kill9();
    expect(turnJobs(documentsDir)).toEqual([{ state: 'running', interrupted: 0 }]);
    release();
    const third = await spawnKx(fake.baseUrl, documentsDir, { env: { KX_INSIGHT: 'turn', KX_INSIGHT_API_KEY: 'sk-test-insight-crash-0123456789', KX_INSIGHT_BASE_URL: fake.baseUrl } });
    children.push(third);
    await waitFor(() => turnJobs(documentsDir)[0]?.state === 'done', 'the job done, not failed as poison');
  });

  it('stops gracefully when its terminal closes (SIGHUP): the running job goes back to the queue', { timeout: 60_000 }, async () => {
    fake ??= await startFakeUpstream();
    const documentsDir = tempDir('kx-insight-hup-');
    let release!: () => void;
    const kx = await kxWithRunningJob(documentsDir, new Promise<void>((r) => (release = r)), true);
    const exited = new Promise<number | null>((r) => kx.child.once('exit', (code) => r(code)));
    kx.child.kill('SIGHUP');
    expect(await exited).toBe(0);
    release();
    expect(turnJobs(documentsDir)).toEqual([{ state: 'queued', interrupted: 0 }]);
  });
});
