// `kx import codex` gives past sessions their insights: the import queues the jobs in SQLite (one per
// imported turn, a summary per session) and the next kx on that folder writes the notes.

import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/import-command.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { sessionFolder, tempDir } from '../support/recording.js';
import { projectIdOfCwd } from '../../src/capture/project.js';
import { ROLLOUT_FILE, ROLLOUT_THREAD_ID, rolloutLines } from '../support/rollouts.js';

/** The working directory the fixture's session_meta line states. */
const ROLLOUT_CWD = String(rolloutLines().find((l) => l.type === 'session_meta')!.payload.cwd);

class Quiet extends Writable {
  override _write(_c: unknown, _e: BufferEncoding, done: () => void): void {
    done();
  }
}

async function importInto(documentsDir: string, extra: string[] = []): Promise<void> {
  const home = tempDir('kx-codex-home-');
  fs.mkdirSync(path.join(home, 'sessions'), { recursive: true });
  fs.copyFileSync(ROLLOUT_FILE, path.join(home, 'sessions', path.basename(ROLLOUT_FILE)));
  const code = await importCommand(['codex', ...extra, '--documents', documentsDir], { out: new Quiet(), env: { CODEX_HOME: home }, cwd: tempDir() });
  expect(code).toBe(0);
}

function jobsIn(documentsDir: string): Array<{ kind: string; subject_id: string; state: string }> {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true });
  try {
    return db.prepare(`SELECT kind, subject_id, state FROM insight_jobs ORDER BY kind, subject_id`).all() as Array<{ kind: string; subject_id: string; state: string }>;
  } finally {
    db.close();
  }
}

function sessionRow(documentsDir: string): { project: string | null; cwd: string | null; turns: number } {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true });
  try {
    const s = db.prepare(`SELECT project, cwd FROM sessions WHERE id = ?`).get(ROLLOUT_THREAD_ID) as { project: string | null; cwd: string | null };
    const turns = db.prepare(`SELECT COUNT(*) FROM turns WHERE session_id = ?`).pluck().get(ROLLOUT_THREAD_ID) as number;
    return { ...s, turns };
  } finally {
    db.close();
  }
}

describe('insights for imported Codex sessions', () => {
  let fake: FakeUpstream | undefined;
  let h: InsightHarness | undefined;
  afterEach(async () => {
    await h?.close();
    await fake?.close();
    h = undefined;
    fake = undefined;
  });

  it('queues a job for each imported turn and a summary for the session, and places the session in its project', async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs);
    const { turns, project, cwd } = sessionRow(docs);
    const jobs = jobsIn(docs);
    expect(turns).toBeGreaterThan(0);
    expect(jobs.filter((j) => j.kind === 'turn')).toHaveLength(turns);
    expect(jobs.filter((j) => j.kind === 'session').map((j) => j.subject_id)).toEqual([`${ROLLOUT_THREAD_ID}:${turns}`]);
    expect(jobs.every((j) => j.state === 'queued')).toBe(true);
    expect(cwd).toBe(ROLLOUT_CWD);
    expect(project).toBe(projectIdOfCwd(ROLLOUT_CWD));
  });

  it('queues nothing with --no-insight, yet still places the session in its project', async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs, ['--no-insight']);
    expect(jobsIn(docs)).toEqual([]);
    expect(sessionRow(docs).project).toBe(projectIdOfCwd(ROLLOUT_CWD));
  });

  it('adds no second set of jobs when the same rollouts are imported again', async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs);
    const first = jobsIn(docs);
    await importInto(docs);
    expect(jobsIn(docs)).toEqual(first);
  });

  it('has its notes written by the next kx on that folder: every job done, learnings.md in the session folder', async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs);
    fake = await startFakeUpstream();
    h = await startInsightHarness({ apiKey: 'sk-test-import-insight-key', baseUrl: new URL(fake.baseUrl) }, {}, docs, fake);
    await h.waitFor('every imported job done', () => jobsIn(docs).every((j) => j.state === 'done'));
    expect(h.insightCalls().length).toBe(jobsIn(docs).length);
    const md = await h.learningsWith(ROLLOUT_THREAD_ID, /Turn 1/);
    expect(md).toMatch(/Turn 1/);
  });

  it("keeps the session's own dates: its gaps were first seen, and it ended, on the day it ran", async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs);
    fake = await startFakeUpstream();
    h = await startInsightHarness({ apiKey: 'sk-test-import-insight-key', baseUrl: new URL(fake.baseUrl) }, { insightEngine: { idleCheckMs: 20 } }, docs, fake);
    await h.waitFor('every imported job done', () => jobsIn(docs).every((j) => j.state === 'done'));
    const db = new Database(path.join(docs, 'sessions.db'), { readonly: true });
    const gaps = db.prepare(`SELECT first_seen_at AS first, last_seen_at AS last FROM gaps`).all() as Array<{ first: string; last: string }>;
    const endedAt = db.prepare(`SELECT ended_at FROM sessions WHERE id = ?`).pluck().get(ROLLOUT_THREAD_ID) as string | null;
    db.close();
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect([g.first.slice(0, 16), g.last.slice(0, 16)]).toEqual(['2026-11-24T18:58', '2026-11-24T18:58']);
    expect(endedAt?.slice(0, 16)).toBe('2026-11-24T18:58');
    expect(await h.learningsWith(ROLLOUT_THREAD_ID, '| Ended | 2026-11-24 18:58 UTC |')).toContain('| Ended | 2026-11-24 18:58 UTC |');
  });

  it('rebuilds learnings.md and profile.md at start when they are missing', async () => {
    const docs = tempDir('kx-docs-');
    await importInto(docs);
    fake = await startFakeUpstream();
    h = await startInsightHarness({ apiKey: 'sk-test-import-insight-key', baseUrl: new URL(fake.baseUrl) }, {}, docs, fake);
    await h.waitFor('every imported job done', () => jobsIn(docs).every((j) => j.state === 'done'));
    await h.learningsWith(ROLLOUT_THREAD_ID, /## Summary\n/);
    const learnings = path.join(sessionFolder(docs, ROLLOUT_THREAD_ID), 'learnings.md');
    const profile = path.join(docs, 'projects', sessionRow(docs).project!, 'profile.md');
    await h.waitFor('profile.md written', () => fs.existsSync(profile));
    await h.close();
    h = undefined;
    fs.rmSync(learnings);
    fs.rmSync(profile);
    h = await startInsightHarness({ apiKey: 'sk-test-import-insight-key', baseUrl: new URL(fake.baseUrl) }, {}, docs, fake);
    await h.waitFor('learnings.md and profile.md back', () => fs.existsSync(learnings) && fs.existsSync(profile), 5_000);
    expect(fs.readFileSync(learnings, 'utf8')).toMatch(/## Summary\n/);
  });
});
