// Team memory at scale: ten sync clients, each with its own SQLite (a documents folder's sessions.db) and
// its own TeamSync, as ten kx would run it in their insight workers, on one throwaway PostgreSQL.
//  1. Baseline: probes on an empty database. A probe is a note written on one client, timed until another
//     client's search index finds it.
//  2. Bulk: the ten push their share of N notes as fast as they can; timed until every client holds all
//     the others' notes (each pulls and indexes 9/10 of N).
//  3. Probes again, on the N-note database, while every client keeps writing at a steady team's rate.
// Reported, never asserted. Run with `npm run bench -- --only team`.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { startPgCluster } from '../harness/drivers/pg-cluster.js';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { teamIndexer } from '../src/insight/team-index.js';
import { migrate } from '../src/store/schema.js';
import { SearchIndex } from '../src/store/search-index.js';
import { enqueue } from '../src/team/outbox.js';
import { TeamSync } from '../src/team/sync.js';
import { parseTeamUrl } from '../src/team/team-url.js';
import { percentile } from './stats.js';

export interface TeamBenchPlan {
  clients: number;
  notes: number;
  /** Notes per second over all clients together while the probes of step 3 run. */
  rate: number;
  probes: number;
}

interface Pcts {
  p50: number;
  p95: number;
  max: number;
}

export interface TeamBench {
  plan: TeamBenchPlan;
  /** A note on A to B's search: on an empty database (the baseline), and on the N-note one under a steady load. */
  idle: Pcts;
  loaded: Pcts;
  ratioP95: number;
  /** Step 2: from the first bulk write until every client held every other client's notes. */
  bulkSeconds: number;
  /** Notes pulled and indexed per second, over all clients, in step 2. */
  appliedPerSecond: number;
  receivedPerClient: number;
}

interface Client {
  db: Database.Database;
  search: SearchIndex;
  sync: TeamSync;
  project: string;
}

const PROJECT = 'bench-shop-4f2a1c';
const pcts = (v: number[]): Pcts => ({ p50: percentile(v, 50), p95: percentile(v, 95), max: Math.max(...v) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string): void => void process.stderr.write(`[bench] team: ${s}\n`);

function startClient(url: string, i: number): Client {
  const db = new Database(path.join(tempDir('kx-bench-team-'), 'sessions.db'));
  db.pragma('journal_mode = WAL');
  migrate(db);
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, 'github.com/acme/shop', ?)`).run(PROJECT, new Date().toISOString());
  db.prepare(`INSERT INTO team_projects (project, team_key, updated_at) VALUES (?, 'github.com/acme/shop', ?)`).run(PROJECT, new Date().toISOString());
  const parsed = parseTeamUrl(url);
  if ('error' in parsed) throw new Error(parsed.error);
  const search = new SearchIndex(db);
  const sync = new TeamSync({ db, url: parsed, author: `dev${i}`, index: teamIndexer(search), log: () => {} });
  sync.start();
  return { db, search, sync, project: PROJECT };
}

const output = (summary: string) => ({ summary, action: 'ran the suite', outcome: 'succeeded', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [] });

function writeNotes(c: Client, prefix: 't' | 'p', from: number, count: number, text: (n: number) => string): void {
  const at = new Date().toISOString();
  c.db.transaction(() => {
    for (let n = from; n < from + count; n++) enqueue(c.db, { kind: 'note', localId: `${prefix}_${n}`, project: c.project, sessionId: `s_${Math.floor(n / 4)}`, payload: { output: output(text(n)), at, turnSeq: 1 } }, at);
  })();
  c.sync.wake();
}

/** One probe: a note with a word nobody else wrote, from `a`, timed until `b` finds it. */
async function probe(a: Client, b: Client, k: number): Promise<number> {
  const word = `probe${k}x${Math.random().toString(36).slice(2, 8)}`;
  const t0 = performance.now();
  writeNotes(a, 'p', k, 1, () => `${word} flaky test fixed by pinning tzdata`);
  for (;;) {
    if (b.search.search(word, { limit: 1 }).length) return performance.now() - t0;
    if (performance.now() - t0 > 60_000) return performance.now() - t0;
    await sleep(5);
  }
}

/** `count` probes from client k to client k + 1 + (k mod (n − 1)): every pair in turn, never a client to itself. */
async function probes(clients: Client[], first: number, count: number, gapMs: number, keepGoing: () => boolean = () => true): Promise<number[]> {
  const times: number[] = [];
  const n = clients.length;
  for (let k = 0; k < count && keepGoing(); k++) {
    const a = k % n;
    const b = (a + 1 + (k % (n - 1))) % n;
    times.push(await probe(clients[a]!, clients[b]!, first + k));
    await sleep(gapMs);
  }
  return times;
}

const received = (c: Client) => c.db.prepare(`SELECT COUNT(*) FROM team_received WHERE local_id LIKE 't\\_%' ESCAPE '\\'`).pluck().get() as number;

/** Step 2: every client writes its share at once; resolves when each holds all the others' notes. */
async function bulk(clients: Client[], notes: number): Promise<{ seconds: number; perClient: number }> {
  const t0 = performance.now();
  const share = Math.ceil(notes / clients.length);
  clients.forEach((c, i) => {
    for (let from = i * share; from < Math.min(notes, (i + 1) * share); from += 1000) {
      writeNotes(c, 't', from, Math.min(1000, Math.min(notes, (i + 1) * share) - from), (n) => `note ${n} about the checkout service and its migrations`);
    }
  });
  const expected = clients.map((_, i) => notes - Math.max(0, Math.min(notes, (i + 1) * share) - i * share));
  let last = performance.now();
  while (clients.some((c, i) => received(c) < expected[i]!)) {
    if (performance.now() - t0 > 1_800_000) throw new Error('the bulk step did not finish in 30 minutes');
    await sleep(250);
    if (performance.now() - last > 10_000) {
      last = performance.now();
      log(`bulk: ${Math.min(...clients.map(received)).toLocaleString('en')} of ${Math.min(...expected).toLocaleString('en')} received by the slowest client`);
    }
  }
  return { seconds: (performance.now() - t0) / 1000, perClient: Math.min(...clients.map(received)) };
}

export async function runTeamBench(plan: TeamBenchPlan): Promise<TeamBench> {
  const cluster = await startPgCluster();
  const clients = Array.from({ length: plan.clients }, (_, i) => startClient(cluster.url, i));
  try {
    log(`${plan.clients} clients; probes on an empty database`);
    const idle = await probes(clients, 0, Math.max(10, Math.round(plan.probes / 2)), 50);
    log(`bulk: ${plan.notes.toLocaleString('en')} notes pushed by ${plan.clients} clients at once`);
    const b = await bulk(clients, plan.notes);
    log(`probes on the ${plan.notes.toLocaleString('en')}-note database, the clients writing ${plan.rate} notes/s meanwhile`);
    let writing = true;
    const writer = (async () => {
      for (let n = plan.notes, tick = 0; writing; tick++) {
        const count = Math.max(1, Math.round(plan.rate / 10));
        writeNotes(clients[tick % clients.length]!, 't', n, count, (i) => `steady note ${i} about the checkout service`);
        n += count;
        await sleep(100);
      }
    })();
    const loaded = await probes(clients, 100_000, plan.probes, 100);
    writing = false;
    await writer;
    const applied = (plan.notes * (plan.clients - 1)) / plan.clients;
    return { plan, idle: pcts(idle), loaded: pcts(loaded), ratioP95: percentile(loaded, 95) / percentile(idle, 95), bulkSeconds: b.seconds, appliedPerSecond: (applied * plan.clients) / b.seconds, receivedPerClient: b.perClient };
  } finally {
    await Promise.all(clients.map((c) => c.sync.close()));
    for (const c of clients) c.db.close();
    cluster.close();
  }
}

export function renderTeam(t: TeamBench): string {
  const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  return [
    '## Team memory (PostgreSQL sync)',
    '',
    `${t.plan.clients} sync clients, each with its own SQLite and search index, on one throwaway PostgreSQL, all in the bench's one process (ten kx would each run one in their own insight worker). ` +
      `A probe is a note written on one client, timed until another client's search finds it. ` +
      `Bulk: the ${t.plan.clients} pushed ${t.plan.notes.toLocaleString('en')} notes at once; every client held all the others' (${t.receivedPerClient.toLocaleString('en')} each) after ${t.bulkSeconds.toFixed(1)} s, ` +
      `${Math.round(t.appliedPerSecond).toLocaleString('en')} notes pulled and indexed per second over all clients.`,
    '',
    '| | p50 | p95 | max |',
    '|---|---|---|---|',
    `| note on A → B's search, empty database (baseline) | ${s(t.idle.p50)} | ${s(t.idle.p95)} | ${s(t.idle.max)} |`,
    `| note on A → B's search, ${t.plan.notes.toLocaleString('en')}-note database, ${t.plan.rate} notes/s being written | ${s(t.loaded.p50)} | ${s(t.loaded.p95)} (${t.ratioP95.toFixed(2)}× the baseline) | ${s(t.loaded.max)} |`,
    '',
    `Target: ≤ 5 s p95 with ten clients and 100,000 notes: ${t.plan.notes >= 100_000 && t.plan.clients >= 10 ? (t.loaded.p95 <= 5000 ? 'met' : 'missed') : 'not measured at this size (--quick)'}.`,
    '',
  ].join('\n');
}
