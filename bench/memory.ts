// The agent's memory lookups: kx's MCP `search` tool over 10,000 sessions in 20 projects, called the way
// Codex calls it (the official SDK client over Streamable HTTP, the asking session in `_meta`), beside the
// console's own search (`GET /api/search`, same index, same queries) as the baseline of the same run.
// Reported, never asserted. Run with `npm run bench -- --only memory`.

import { mcpTokenOf } from '../src/api/auth.js';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SessionStore } from '../src/store/session-store.js';
import { SearchIndex } from '../src/store/search-index.js';
import { Retrieval } from '../src/store/retrieval.js';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { seedSessions } from '../harness/drivers/seed-sessions.js';
import { rawRequest, responsesBody } from '../harness/drivers/http-client.js';
import { percentile, ratio } from './stats.js';
import { startKxProcess, startUpstream, UI_TOKEN, type Child } from './processes.js';

interface Pcts {
  p50: number;
  p95: number;
}
const pcts = (v: readonly number[]): Pcts => ({ p50: percentile(v, 50), p95: percentile(v, 95) });

export interface MemoryBenchPlan {
  sessions: number;
  turnsPerSession: number;
  outputChars: number;
  projects: number;
  /** Calls per query and kind, after `warmup`. */
  samples: number;
  warmup: number;
}

export interface MemoryBench {
  corpus: { sessions: number; items: number; projects: number; capturedMB: number; indexSeconds: number };
  /** Per query: the MCP tool call (scoped to the asking session's project, and across all projects) and the console search. */
  queries: Array<{ query: string; mcp: Pcts; mcpAll: Pcts; console: Pcts }>;
  /** Over every query: p95 of each, and the MCP call over the console search. */
  overall: { mcpP95: number; mcpAllP95: number; consoleP95: number; ratioP95: number };
  answerChars: { max: number };
  /** `/v1/responses` time to last byte, kx and the fake upstream direct, alone and while 50 MCP searches run (same run). */
  v1: { alone: { kx: Pcts; direct: Pcts }; underSearches: { kx: Pcts; direct: Pcts; searches: number } };
  /** CPU time of one project-scoped search's retrieval, in-process on the same store (searchCpu). */
  searchCpu: Pcts;
}

/** Concurrent MCP searches kept in flight while `/v1` is timed (issue 30: its p50 must not move). */
const CONCURRENT_SEARCHES = 50;
const V1_SAMPLES = 60;

// What an agent asks: common words (in most documents: the worst case for BM25), and a rarer phrase.
const QUERIES = ['deploy docker compose', 'migration', 'vite build config', 'pandas frame column', 'question 3', 'schema'];

const log = (s: string): void => void process.stderr.write(`[bench] memory: ${s}\n`);

export async function runMemoryBench(plan: MemoryBenchPlan): Promise<MemoryBench> {
  const dir = tempDir('kx-bench-memory-');
  const store = new SessionStore({ documentsDir: dir });
  const ids = seedSessions(store.db, { sessions: plan.sessions, turnsPerSession: plan.turnsPerSession, outputChars: plan.outputChars });
  store.db.transaction(() => {
    const project = store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')`);
    for (let p = 0; p < plan.projects; p++) project.run(`bench-project-${p}`, `/home/bench/project-${p}`);
    const place = store.db.prepare(`UPDATE sessions SET project = ?, cwd = ? WHERE id = ?`);
    ids.forEach((id, i) => place.run(`bench-project-${i % plan.projects}`, `/home/bench/project-${i % plan.projects}`, id));
  })();
  const items = store.db.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
  const capturedMB = (store.db.prepare(`SELECT SUM(LENGTH(COALESCE(text,'')) + LENGTH(COALESCE(arguments,'')) + LENGTH(COALESCE(output,''))) FROM items`).pluck().get() as number) / 1e6;
  const t0 = performance.now();
  new SearchIndex(store.db).catchUp();
  const indexSeconds = (performance.now() - t0) / 1000;
  store.close();
  log(`${plan.sessions} sessions, ${items} items, ${capturedMB.toFixed(0)} MB; index built in ${indexSeconds.toFixed(1)} s`);
  // kx as a user runs it (the bundle, its own process), so the load the bench's client makes is not kx's.
  const upstream = await startUpstream({ events: 20, eventBytes: 60, paceMs: 0 });
  const kxProc = await startKxProcess(upstream.baseUrl, [], { KX_INSIGHT: 'off' }, [], dir);
  const kx = { url: kxProc.origin };
  const client = new Client({ name: 'kx-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', kx.url), { requestInit: { headers: { authorization: `Bearer ${mcpTokenOf(UI_TOKEN)}` } } }));
  const asking = ids.at(-1)!;
  const auth = { authorization: `Bearer ${UI_TOKEN}` };
  let maxChars = 0;
  const timed = async (fn: () => Promise<unknown>): Promise<number> => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  try {
    const queries: MemoryBench['queries'] = [];
    const all = { mcp: [] as number[], mcpAll: [] as number[], console: [] as number[] };
    for (const query of QUERIES) {
      const mcp: number[] = [];
      const mcpAll: number[] = [];
      const consoleTimes: number[] = [];
      for (let i = 0; i < plan.warmup + plan.samples; i++) {
        // Alternated, so load on the shared machine falls on both alike.
        const a = await timed(async () => {
          const res = await client.callTool({ name: 'search', arguments: { query }, _meta: { sessionId: asking } });
          maxChars = Math.max(maxChars, ((res.content as Array<{ text: string }>)[0]?.text ?? '').length);
        });
        const b = await timed(() => client.callTool({ name: 'search', arguments: { query, project: 'all' }, _meta: { sessionId: asking } }));
        const c = await timed(async () => (await fetch(`${kx.url}/api/search?q=${encodeURIComponent(query)}&limit=8&project=bench-project-${(plan.sessions - 1) % plan.projects}`, { headers: auth })).json());
        if (i < plan.warmup) continue;
        mcp.push(a);
        mcpAll.push(b);
        consoleTimes.push(c);
      }
      all.mcp.push(...mcp);
      all.mcpAll.push(...mcpAll);
      all.console.push(...consoleTimes);
      queries.push({ query, mcp: pcts(mcp), mcpAll: pcts(mcpAll), console: pcts(consoleTimes) });
      log(`"${query}": MCP p95 ${pcts(mcp).p95.toFixed(1)} ms (all projects ${pcts(mcpAll).p95.toFixed(1)} ms), console search p95 ${pcts(consoleTimes).p95.toFixed(1)} ms`);
    }
    const o = { mcp: pcts(all.mcp).p95, mcpAll: pcts(all.mcpAll).p95, console: pcts(all.console).p95 };
    const v1 = await v1UnderSearches(kx.url, upstream.origin, client, asking);
    const cpu = searchCpu(dir, plan.projects, asking);
    return {
      corpus: { sessions: plan.sessions, items, projects: plan.projects, capturedMB, indexSeconds },
      queries,
      overall: { mcpP95: o.mcp, mcpAllP95: o.mcpAll, consoleP95: o.console, ratioP95: ratio(o.mcp, o.console) },
      answerChars: { max: maxChars },
      v1,
      searchCpu: cpu,
    };
  } finally {
    await client.close();
    // Stopping kx deletes the documents folder it was given.
    await stopAll([kxProc.child, upstream.child]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time of the retrieval itself per MCP-shaped search, in this process on the same store: steadier than the clock on a shared machine. */
function searchCpu(dir: string, projects: number, asking: string): Pcts {
  const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
  try {
    const retrieval = new Retrieval(db);
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const query of QUERIES) {
        const cpu = process.cpuUsage();
        retrieval.sessions(query, { limit: 8, project: `bench-project-${round % projects}`, excludeSession: asking });
        const used = process.cpuUsage(cpu);
        times.push((used.user + used.system) / 1000);
      }
    }
    return pcts(times);
  } finally {
    db.close();
  }
}

async function stopAll(children: Child[]): Promise<void> {
  for (const c of children) await c.stop();
}

/**
 * `/v1/responses` through kx and straight to the fake upstream, alternated, first alone, then while
 * CONCURRENT_SEARCHES MCP searches are kept in flight: the client's own load falls on both alike, so
 * kx's p50 against direct's says whether searches slow the forwarding thread.
 */
async function v1UnderSearches(kxUrl: string, upstreamOrigin: string, client: Client, asking: string): Promise<MemoryBench['v1']> {
  const body = responsesBody('hello');
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'session-id': 'bench-v1' };
  const sample = async () => {
    const kx: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < V1_SAMPLES; i++) {
      for (const [origin, into] of [[kxUrl, kx], [upstreamOrigin, direct]] as const) {
        const t = performance.now();
        await rawRequest(`${origin}/v1/responses`, { headers, body });
        into.push(performance.now() - t);
      }
    }
    return { kx: pcts(kx), direct: pcts(direct) };
  };
  const alone = await sample();
  let stop = false;
  let searches = 0;
  const queries = ['deploy docker compose', 'migration', 'vite build config', 'pandas frame column', 'question 3', 'schema'];
  const load = Array.from({ length: CONCURRENT_SEARCHES }, async (_, n) => {
    for (let i = n; !stop; i++) {
      await client.callTool({ name: 'search', arguments: { query: queries[i % queries.length]!, project: 'all' }, _meta: { sessionId: asking } });
      searches++;
    }
  });
  const underSearches = { ...(await sample()), searches: 0 };
  stop = true;
  await Promise.all(load);
  underSearches.searches = searches;
  log(`/v1 p50 kx ${alone.kx.p50.toFixed(1)} ms (direct ${alone.direct.p50.toFixed(1)}) alone; ${underSearches.kx.p50.toFixed(1)} ms (direct ${underSearches.direct.p50.toFixed(1)}) under ${CONCURRENT_SEARCHES} concurrent searches (${searches} answered)`);
  return { alone, underSearches };
}

export function renderMemory(m: MemoryBench): string {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  return [
    '## Memory (MCP `search`)',
    '',
    `Corpus: ${m.corpus.sessions.toLocaleString('en')} sessions in ${m.corpus.projects} projects, ${m.corpus.items.toLocaleString('en')} items, ${m.corpus.capturedMB.toFixed(0)} MB of captured text (index built at start in ${m.corpus.indexSeconds.toFixed(1)} s). ` +
      `The MCP call is the whole round trip through the SDK client over HTTP; the baseline is the console's GET /api/search on the same index, same run. Longest answer: ${m.answerChars.max} characters.`,
    '',
    '| query | MCP search, own project p50 / p95 | MCP search, all projects p95 | console search p95 (baseline) |',
    '|---|---|---|---|',
    ...m.queries.map((q) => `| "${q.query}" | ${ms(q.mcp.p50)} / ${ms(q.mcp.p95)} | ${ms(q.mcpAll.p95)} | ${ms(q.console.p95)} |`),
    `| **all queries** | p95 **${ms(m.overall.mcpP95)}** (${m.overall.ratioP95.toFixed(2)}× the baseline) | ${ms(m.overall.mcpAllP95)} | ${ms(m.overall.consoleP95)} |`,
    '',
    `Target: MCP search p95 ≤ 100 ms over 10,000 sessions: ${m.corpus.sessions >= 10_000 ? (m.overall.mcpP95 <= 100 ? 'met' : 'missed') : 'not measured at this size (--quick)'}. ` +
      `The retrieval itself, in-process on the same store, costs p50 ${ms(m.searchCpu.p50)} / p95 ${ms(m.searchCpu.p95)} of CPU per project-scoped search.`,
    '',
    `\`/v1/responses\` time to last byte, through kx and straight to the fake upstream, alternated (${V1_SAMPLES} each):`,
    '',
    '| | kx p50 / p95 | direct p50 / p95 | kx − direct p50 |',
    '|---|---|---|---|',
    `| alone | ${ms(m.v1.alone.kx.p50)} / ${ms(m.v1.alone.kx.p95)} | ${ms(m.v1.alone.direct.p50)} / ${ms(m.v1.alone.direct.p95)} | ${ms(m.v1.alone.kx.p50 - m.v1.alone.direct.p50)} |`,
    `| while ${CONCURRENT_SEARCHES} MCP searches run (${m.v1.underSearches.searches} answered meanwhile) | ${ms(m.v1.underSearches.kx.p50)} / ${ms(m.v1.underSearches.kx.p95)} | ${ms(m.v1.underSearches.direct.p50)} / ${ms(m.v1.underSearches.direct.p95)} | ${ms(m.v1.underSearches.kx.p50 - m.v1.underSearches.direct.p50)} |`,
    '',
  ].join('\n');
}
