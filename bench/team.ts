// Team memory under load: ten sync clients, each with its own SQLite (a documents folder's sessions.db) and
// its own TeamSync, as ten kx would run it in their insight workers, on one throwaway PostgreSQL, push
// their share of N notes at a steady rate. Meanwhile probe notes, each from one client, are timed until
// another client's search index finds them. The baseline is the same probe with no load, same run.
// Reported, never asserted. Run with `npm run bench -- --only team`.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { startPgCluster } from '../src/drivers/pg-cluster.js';
import { tempDir } from '../src/drivers/temp-dir.js';
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
  /** Notes per second, over all clients together. */
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
  /** A note on A to B's search, with no other traffic (the baseline) and under the load. */
  idle: Pcts;
  loaded: Pcts;
  ratioP95: number;
  /** Notes every client had received when the load ended, and how long the last one took to drain. */
  writeSeconds: number;
  drainSeconds: number;
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

export async function runTeamBench(plan: TeamBenchPlan): Promise<TeamBench> {
  const cluster = await startPgCluster();
  const clients = Array.from({ length: plan.clients }, (_, i) => startClient(cluster.url, i));
  try {
    log(`${plan.clients} clients; idle probes`);
    const idle = await probes(clients, 0, Math.max(10, Math.round(plan.probes / 4)), 50);
    log(`${plan.notes.toLocaleString('en')} notes at ${plan.rate}/s over ${plan.clients} clients, probing meanwhile`);
    let writing = true;
    const t0 = performance.now();
    const writer = (async () => {
      const perTick = Math.max(1, Math.round(plan.rate / 10));
      for (let n = 0; n < plan.notes; n += perTick) {
        const c = clients[(n / perTick) % clients.length]!;
        writeNotes(c, 't', n, Math.min(perTick, plan.notes - n), (i) => `note ${i} about the checkout service and its migrations`);
        const due = t0 + ((n + perTick) / plan.rate) * 1000;
        await sleep(Math.max(0, due - performance.now()));
      }
      writing = false;
    })();
    const loaded = await probes(clients, 100_000, plan.probes, 100, () => writing);
    await writer;
    const writeSeconds = (performance.now() - t0) / 1000;
    const tDrain = performance.now();
    const received = (c: Client) => c.db.prepare(`SELECT COUNT(*) FROM team_received WHERE local_id LIKE 't\\_%' ESCAPE '\\'`).pluck().get() as number;
    while (performance.now() - tDrain < 600_000 && clients.some((c) => c.db.prepare('SELECT COUNT(*) FROM team_outbox').pluck().get() !== 0)) await sleep(100);
    // Drained when no client's count of received notes moves for a second.
    let last = -1;
    for (let now = Math.min(...clients.map(received)); now !== last; now = Math.min(...clients.map(received))) {
      last = now;
      await sleep(1_000);
    }
    return { plan, idle: pcts(idle), loaded: pcts(loaded.length ? loaded : [NaN]), ratioP95: percentile(loaded, 95) / percentile(idle, 95), writeSeconds, drainSeconds: (performance.now() - tDrain) / 1000, receivedPerClient: last };
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
    `${t.plan.clients} sync clients, each with its own SQLite and search index, on one throwaway PostgreSQL, in one process (ten kx would run one each in their insight workers). ` +
      `Load: ${t.plan.notes.toLocaleString('en')} notes at ${t.plan.rate.toLocaleString('en')} notes/s over all clients (written in ${t.writeSeconds.toFixed(1)} s; the rest drained in ${t.drainSeconds.toFixed(1)} s; each client then held ${t.receivedPerClient.toLocaleString('en')} of the others' notes). ` +
      'A probe is a note written on one client and timed until another client\'s search finds it; the baseline is the same probe with no load, same run.',
    '',
    '| | p50 | p95 | max |',
    '|---|---|---|---|',
    `| note on A → B's search, idle (baseline) | ${s(t.idle.p50)} | ${s(t.idle.p95)} | ${s(t.idle.max)} |`,
    `| note on A → B's search, under load | ${s(t.loaded.p50)} | ${s(t.loaded.p95)} (${t.ratioP95.toFixed(2)}× the baseline) | ${s(t.loaded.max)} |`,
    '',
    `Target: ≤ 5 s p95 with ten clients pushing 100,000 notes: ${t.plan.notes >= 100_000 && t.plan.clients >= 10 ? (t.loaded.p95 <= 5000 ? 'met' : 'missed') : 'not measured at this size (--quick)'}.`,
    '',
  ].join('\n');
}
