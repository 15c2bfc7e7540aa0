// The agent's memory lookups: kx's MCP `search` tool over 10,000 sessions in 20 projects, called the way
// Codex calls it (the official SDK client over Streamable HTTP, the asking session in `_meta`), beside the
// console's own search (`GET /api/search`, same index, same queries) as the baseline of the same run.
// Reported, never asserted. Run with `npm run bench -- --only memory`.

import { mcpTokenOf } from '../src/api/auth.js';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startKx } from '../src/kx.js';
import { SessionStore } from '../src/store/session-store.js';
import { TEST_TOKEN, testConfig } from '../harness/drivers/throwaway-config.js';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { seedSessions } from '../harness/drivers/seed-sessions.js';
import { percentile, ratio } from './stats.js';

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
}

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
  store.close();
  const t0 = performance.now();
  const kx = await startKx(testConfig('http://127.0.0.1:9/v1', { documentsDir: dir }));
  const indexSeconds = (performance.now() - t0) / 1000;
  log(`${plan.sessions} sessions, ${items} items, ${capturedMB.toFixed(0)} MB; index built in ${indexSeconds.toFixed(1)} s`);
  const client = new Client({ name: 'kx-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', kx.url), { requestInit: { headers: { authorization: `Bearer ${mcpTokenOf(TEST_TOKEN)}` } } }));
  const asking = ids.at(-1)!;
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
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
    return {
      corpus: { sessions: plan.sessions, items, projects: plan.projects, capturedMB, indexSeconds },
      queries,
      overall: { mcpP95: o.mcp, mcpAllP95: o.mcpAll, consoleP95: o.console, ratioP95: ratio(o.mcp, o.console) },
      answerChars: { max: maxChars },
    };
  } finally {
    await client.close();
    await kx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
    `Target: MCP search p95 ≤ 100 ms over 10,000 sessions: ${m.corpus.sessions >= 10_000 ? (m.overall.mcpP95 <= 100 ? 'met' : 'missed') : 'not measured at this size (--quick)'}.`,
    '',
  ].join('\n');
}
