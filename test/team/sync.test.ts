// Team sync between two machines (two SQLite stores, two checkouts of one remote) through a real,
// throwaway PostgreSQL: notes reach the other's search, gaps keep their life, an outage loses nothing.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_PASSWORD, startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { InsightDesk } from '../../src/insight/desk.js';
import { Memory } from '../../src/mcp/memory.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { Hono } from 'hono';
import { registerConsoleRoutes } from '../../src/api/console-routes.js';
import { searchResponseView } from '../../src/contracts/console.js';
import { SessionList } from '../../src/store/session-list.js';
import { SessionReader } from '../../src/store/session-reader.js';
import { hitOrigin, setSharing } from '../../src/team/team-view.js';
import { readStatus } from '../../src/team/team-state.js';
import { enqueue } from '../../src/team/outbox.js';
import { twoCheckouts } from './checkouts.js';
import { startMachine, until, type Machine } from './sync-machine.js';

describe('team sync through PostgreSQL', () => {
  let cluster: PgCluster;
  let a: Machine;
  let b: Machine;
  let pool: pg.Pool;

  beforeAll(async () => {
    cluster = await startPgCluster();
    pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
    pool.on('error', () => {}); // the outage test stops the server under it
    const { a: dirA, b: dirB } = twoCheckouts();
    a = startMachine(cluster.url, 'ana', dirA);
    b = startMachine(cluster.url, 'bob', dirB);
    a.sync.start();
    b.sync.start();
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pool?.end();
    cluster?.close();
  });

  const search = (m: Machine, words: string) => m.search.search(words, { project: m.project, limit: 5 });
  const desk = (m: Machine) => new InsightDesk({ db: m.db, settings: { mode: 'turn', idleMinutes: 30 }, live: new LiveEvents(), waitingReason: '', pagesChanged: () => {} });

  it('creates its tables through numbered migrations noted in schema_migrations', async () => {
    await until('the first sync', () => readStatus(a.db)?.state === 'connected');
    const { rows } = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1, name: '001_team_records.sql' }]);
  });

  it("puts a note made on A in B's search, in B's project for its own checkout, labelled with A's author", async () => {
    a.note('turn_a1', 'sess_a', 'flaky checkout test fixed by pinning the zoneinfo database');
    const hit = await until('the note in B', () => search(b, 'zoneinfo')[0]);
    expect(hit).toMatchObject({ docKind: 'insight', refId: 'turn_a1', sessionId: 'sess_a', project: b.project });
    expect(b.db.prepare(`SELECT author FROM team_received WHERE local_id = 'turn_a1'`).pluck().get()).toBe('ana');
    expect(a.db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get()).toBe(0);
  });

  it('gives a gap opened on A to B as open, and B resolving it shows resolved on A, with its history in the database', async () => {
    a.openGap('g_team1', 'sess_a', 'payments sandbox', 'which sandbox key does checkout use?');
    await until('the gap on B', () => b.db.prepare(`SELECT status FROM gaps WHERE id = 'g_team1' AND project = ?`).pluck().get(b.project) === 'open');
    // A person resolves it in B's console (kx's main thread writes the gap; the sync notices the change).
    b.db.prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_note = 'the key is in vault', resolved_at = ? WHERE id = 'g_team1'`).run(new Date(Date.now() + 5).toISOString());
    b.sync.wake();
    const row = await until('the resolution on A', () => a.db.prepare(`SELECT status, resolved_note AS note FROM gaps WHERE id = 'g_team1' AND status = 'resolved'`).get() as { status: string; note: string } | undefined);
    expect(row.note).toBe('the key is in vault');
    expect(a.gapEvents.filter((e) => e.gapId === 'g_team1').map((e) => e.status)).toEqual(['resolved']);
    expect(b.gapEvents.filter((e) => e.gapId === 'g_team1').map((e) => e.status)).toEqual(['open']);
    const { rows } = await pool.query(`SELECT status, by_author FROM team_gap_history WHERE local_id = 'g_team1' ORDER BY at`);
    expect(rows).toEqual([{ status: 'open', by_author: 'ana' }, { status: 'resolved', by_author: 'bob' }]);
    const { rows: rec } = await pool.query(`SELECT machine_id, author, changed_by FROM team_records WHERE local_id = 'g_team1'`);
    expect(rec).toEqual([{ machine_id: a.sync.identity.machineId, author: 'ana', changed_by: b.sync.identity.machineId }]);
  });

  it('names who did what on each side: bob resolved ana’s gap, ana asked it, and ana’s own gap is not “shared by ana”', async () => {
    const [onA, onB] = [desk(a), desk(b)];
    const mcpA = new Memory({ db: a.db, search: a.search, engine: onA, baseUrl: () => 'http://127.0.0.1:1' }).gaps({ project: a.project }, {});
    expect(mcpA).toMatch(/payments sandbox[\s\S]*Resolved [^\n]*: marked resolved by bob \(a teammate\): <quote>the key is in vault/);
    expect(mcpA).not.toContain('shared by ana');
    const profileA = onA.profile(a.project)!.markdown;
    expect(profileA).toContain('**payments sandbox**: bob marked it resolved: the key is in vault');
    a.openGap('g_team2', 'sess_a', 'webhook secret', 'where does the webhook secret live?');
    await until('the second gap on B', () => b.db.prepare(`SELECT 1 FROM gaps WHERE id = 'g_team2'`).get());
    expect(onB.profile(b.project)!.markdown).toMatch(/Ana asked: “|ana asked: “/);
    expect(onA.profile(a.project)!.markdown).toContain('You asked: “');
  });

  it("gives B the summary and playbook A wrote: B's profile (kx notes), MCP playbook, summary and learn context read it", async () => {
    const output = {
      title: 'Fixed the webhook signature check', highlights: ['verified against the raw body'], unresolved_questions: [],
      next_repetitions: ['replay a webhook before deploying'], playbook: [{ step: 'Verify against the raw body', command: 'stripe trigger payment_intent.succeeded', why: 'the signature covers the raw bytes' }],
    };
    a.db.transaction(() => enqueue(a.db, { kind: 'summary', localId: 'sess_sum', project: a.project, sessionId: 'sess_sum', payload: { version: 1, output, at: new Date().toISOString() } }))();
    a.sync.wake();
    await until('the summary on B', () => b.db.prepare(`SELECT 1 FROM team_received WHERE kind = 'summary' AND local_id = 'sess_sum'`).get());
    const onB = desk(b);
    const profile = onB.profile(b.project)!.markdown;
    expect(profile).toContain('### Fixed the webhook signature check');
    expect(profile).toMatch(/Session `sess_sum`, shared by ana through team memory; summary version 1 written [^\n]*\./);
    expect(profile).toContain('- [ ] replay a webhook before deploying');
    expect(profile).toContain('1. Verify against the raw body: `stripe trigger payment_intent.succeeded`');
    expect(onB.reader.summary('sess_sum')).toMatchObject({ title: 'Fixed the webhook signature check', version: 1 });
    expect(onB.reader.recentSummaries(b.project, 5).map((x) => x.sessionId)).toEqual(['sess_sum']);
    const memory = new Memory({ db: b.db, search: b.search, engine: onB, baseUrl: () => 'http://127.0.0.1:1' });
    expect(memory.playbook({ project: b.project }, {})).toMatch(/Fixed the webhook signature check[\s\S]*Verify against the raw body/);
    // A's own summary coming back is not read twice: A has none locally here, and its own record is not "received".
    expect(desk(a).reader.recentSummaries(a.project, 5)).toEqual([]);
  });

  it("labels what came from A with who shared it in B's MCP answers (search and gaps)", async () => {
    const live = new LiveEvents();
    const engine = new InsightDesk({ db: b.db, settings: { mode: 'turn', idleMinutes: 30 }, live, waitingReason: '', pagesChanged: () => {} });
    const memory = new Memory({ db: b.db, search: b.search, engine, baseUrl: () => 'http://127.0.0.1:1' });
    expect(await memory.search({ query: 'zoneinfo', project: b.project }, {})).toMatch(/shared by ana through team memory, \d{4}-\d\d-\d\d/);
    expect(memory.gaps({ project: b.project }, {})).toMatch(/payments sandbox[\s\S]*First seen: [^\n]*shared by ana through team memory/);
  });

  it("says who shared a hit in B's console search, and nothing for B's own notes", async () => {
    b.note('turn_b_own', 'sess_b', 'our own checkout notes from this machine');
    const app = new Hono();
    const reader = new SessionReader(b.db);
    registerConsoleRoutes(app, { reader, sessionList: new SessionList(b.db, reader), search: b.search, sharedBy: (kind, ref) => hitOrigin(b.db, kind, ref) });
    const body = searchResponseView.parse(await (await app.request(`/api/search?q=checkout&project=${encodeURIComponent(b.project)}`)).json());
    expect(body.hits.find((h) => h.refId === 'turn_a1')?.sharedBy).toMatchObject({ author: 'ana', at: expect.stringMatching(/^\d{4}-\d\d-\d\d/) });
    expect(body.hits.find((h) => h.refId === 'turn_b_own')).toMatchObject({ refId: 'turn_b_own' });
    expect(body.hits.find((h) => h.refId === 'turn_b_own')?.sharedBy).toBeUndefined();
  });

  it('keeps a project whose sharing is off on the machine', async () => {
    setSharing(b.db, b.project, false);
    b.note('turn_b_private', 'sess_b', 'private experiment with quaternions');
    await new Promise((r) => setTimeout(r, 500));
    expect(search(a, 'quaternions')).toEqual([]);
    const { rows } = await pool.query(`SELECT 1 FROM team_records WHERE local_id = 'turn_b_private'`);
    expect(rows).toEqual([]);
    setSharing(b.db, b.project, true);
  });

  it('loses nothing while the database is down: the backlog waits, the status says why without the password, and drains after', async () => {
    cluster.stop();
    for (let i = 0; i < 30; i++) a.note(`turn_out_${i}`, 'sess_a2', `outage note number${i} about sharding`);
    const status = await until('the outage to show', () => (readStatus(a.db)?.state === 'unreachable' ? readStatus(a.db) : undefined));
    expect(status.lastError).toBeTruthy();
    expect(JSON.stringify(status)).not.toContain(PG_PASSWORD);
    expect(JSON.stringify(a.logs)).not.toContain(PG_PASSWORD);
    expect(a.db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get()).toBe(30);
    await new Promise((r) => setTimeout(r, 800));
    cluster.start();
    await until('the backlog to drain', () => a.db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get() === 0);
    await until('every outage note on B', () => (b.db.prepare(`SELECT COUNT(*) FROM team_received WHERE local_id LIKE 'turn_out_%'`).pluck().get() as number) === 30);
    expect(search(b, 'number29')[0]?.refId).toBe('turn_out_29');
  }, 60_000);

  it("removes from B what another machine deleted (a tombstone): the gap, and the note's search documents", async () => {
    // Another kx retracts: its records become tombstones, with a later change time.
    await pool.query(
      `UPDATE team_records SET deleted = true, data = '{}'::jsonb, changed_at = now() + interval '1 second', changed_by = 'm_retractor', change_seq = nextval('team_change_seq')
       WHERE local_id IN ('g_team1', 'turn_a1')`,
    );
    await until('the gap to go on B', () => b.db.prepare(`SELECT 1 FROM gaps WHERE id = 'g_team1'`).get() === undefined);
    await until('the note to leave B\'s search', () => search(b, 'zoneinfo').length === 0);
    expect(b.db.prepare(`SELECT deleted FROM team_received WHERE local_id = 'turn_a1'`).pluck().get()).toBe(1);
  });

  it('passes over a row another writer left malformed, logging it, and keeps syncing', async () => {
    await pool.query(
      `INSERT INTO team_records (machine_id, kind, local_id, project_key, author, session_id, data, changed_at, changed_by)
       VALUES ('m_broken', 'gap', 'g_broken', 'github.com/acme/shop', 'mallory', 's_x', '{"topic": 42}', now(), 'm_broken')`,
    );
    a.note('turn_after_broken', 'sess_a', 'the canary deploy needs a feature flag');
    await until('the note after the bad row on B', () => search(b, 'canary')[0]);
    expect(b.logs.some((l) => l.msg === 'a record from the team was refused' && l.id === 'g_broken')).toBe(true);
    expect(b.db.prepare(`SELECT 1 FROM gaps WHERE id = 'g_broken'`).get()).toBeUndefined();
  });

  it('changes nothing when a page is pushed twice (an upsert keyed by machine and local id)', async () => {
    const before = (await pool.query(`SELECT change_seq FROM team_records WHERE local_id = 'turn_a1'`)).rows[0].change_seq;
    a.note('turn_a1', 'sess_a', 'flaky checkout test fixed by pinning the zoneinfo database');
    await until('the outbox to empty', () => a.db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get() === 0);
    const after = await pool.query(`SELECT COUNT(*)::int AS n, MAX(change_seq) AS seq FROM team_records WHERE local_id = 'turn_a1'`);
    expect(after.rows[0].n).toBe(1);
    // A later changed_at makes it a newer version, never a second row.
    expect(Number(after.rows[0].seq)).toBeGreaterThanOrEqual(Number(before));
  });
});
