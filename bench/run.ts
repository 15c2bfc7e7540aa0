// npm run bench [-- --quick] [-- --only latency,throughput,concurrency,history,store,import,console,insight,learn,memory,startup,retrieval,team] [-- --cpu-prof]
// What kx costs the agent, side by side with a direct connection and a bare Node pass-through.
// Figures are reported, never asserted: the exit code only says whether the bench itself worked.

import { renderStartup, runStartupBench, type StartupBench } from './startup.js';
import { execFileSync } from 'node:child_process';
import { jsBuildIsStale } from '../scripts/build-check.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runLevel } from './concurrency.js';
import { runHistory } from './history.js';
import { runInsightBench } from './insight.js';
import { ROOT, type StreamShape } from './processes.js';
import {
  evaluateTargets,
  renderMarkdown,
  summarizeHistory,
  summarizeLatency,
  summarizeLevel,
  summarizeThroughput,
  type BenchResult,
  type Machine,
} from './report.js';
import { startRig, type Rig } from './rig.js';
import { runSingle } from './single.js';
import { median } from './stats.js';
import { runStoreBench } from './store-bench.js';
import { runImportBench } from './import-bench.js';
import { consoleMarkdown, runConsoleBench } from './console.js';
import { renderLearn, runLearn, type LearnBench } from './learn.js';
import { renderLearnPage, runLearnPage, type LearnPageBench } from './learn-page.js';
import { renderMemory, runMemoryBench, type MemoryBench } from './memory.js';
import { renderRetrieval, runRetrievalBench, type RetrievalBench } from './retrieval.js';
import { renderTeam, runTeamBench, type TeamBench } from './team.js';

const SECTIONS = ['latency', 'throughput', 'concurrency', 'history', 'store', 'import', 'console', 'insight', 'learn', 'memory', 'startup', 'retrieval', 'team'] as const;
type Section = (typeof SECTIONS)[number];

const HELP = `npm run bench -- [--quick] [--only ${SECTIONS.join(',')}] [--cpu-prof]
  --quick      small sizes (CI: checks the bench still works, under 30 s); writes bench/results/quick.{json,md}
  --only LIST  run some sections; writes bench/results/partial.{json,md}
  --cpu-prof   run kx and the bare pass-through under node --cpu-prof; profiles land in bench/results/*.cpuprofile (bare/ for the bare one)
  --pin        the rig's fake upstream and the load client on CPU 0, kx and the bare pass-through on CPU 1 (taskset)
A full run writes bench/results/latest.{json,md}.`;

function parseArgs(argv: string[]): { quick: boolean; only: Set<Section>; cpuProf: boolean; pin: boolean } {
  let quick = false;
  let cpuProf = false;
  let pin = false;
  let only = new Set<Section>(SECTIONS);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--cpu-prof') cpuProf = true;
    else if (a === '--pin') pin = true;
    else if (a === '--only') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const s of list) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section ${s}; one of ${SECTIONS.join(', ')}`);
      only = new Set(list as Section[]);
    } else if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return { quick, only, cpuProf, pin };
}

/** Every size the bench uses, per mode. Quick keeps every code path and shrinks the counts. */
function plan(quick: boolean) {
  return quick
    ? {
        latency: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, warmup: 10, samples: 40 },
        throughput: { shape: { events: 2000, eventBytes: 1000, paceMs: 0 }, warmup: 1, rounds: 2 },
        concurrency: { shape: { events: 20, eventBytes: 64, paceMs: 5 }, rounds: { 1: 2, 10: 1, 50: 1, 200: 1 } as Record<number, number> },
        history: { shape: { events: 10, eventBytes: 64, paceMs: 0 }, sessions: [10, 50], turnBytes: 1024 },
        insight: { latency: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, samples: 30, warmup: 5 }, throughput: { shape: { events: 2000, eventBytes: 1000, paceMs: 0 }, samples: 2, warmup: 1 }, entryTurns: 10 },
        learn: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, warmup: 10, samples: 40, page: { warmup: 3, samples: 15 } },
        startup: { samples: 3 },
        store: { streams: 50, eventsPerStream: 100, eventBytes: 64, bulkEvents: 2000, bulkEventBytes: 1000, bulkRounds: 2, itemRequests: 200, itemsPerRequest: 20 },
        import: [[2, 25], [1, 100]] as Array<[number, number]>,
        console: { sessions: 1000, turnsPerSession: 2, outputChars: 500, timelineTurns: 500, timelineOutputChars: 2000 },
        memory: { sessions: 500, turnsPerSession: 2, outputChars: 500, projects: 20, samples: 5, warmup: 1 },
        retrieval: { everyday: 1_000, turnsPerSession: 2 },
        team: { clients: 10, notes: 2_000, rate: 20, probes: 20 },
      }
    : {
        latency: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, warmup: 50, samples: 400 },
        // 20,000 deltas of 1,000 B: 20 MB of text, ~23 MB on the wire with SSE framing.
        throughput: { shape: { events: 20_000, eventBytes: 1000, paceMs: 0 }, warmup: 1, rounds: 9 },
        // ~100 events/s per stream, a fast model's token rate: 200 streams make ~20,000 events/s through kx.
        concurrency: { shape: { events: 50, eventBytes: 64, paceMs: 10 }, rounds: { 1: 15, 10: 8, 50: 4, 200: 3 } as Record<number, number> },
        history: { shape: { events: 10, eventBytes: 64, paceMs: 0 }, sessions: [10, 100, 500], turnBytes: 1024 },
        insight: { latency: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, samples: 300, warmup: 30 }, throughput: { shape: { events: 20_000, eventBytes: 1000, paceMs: 0 }, samples: 7, warmup: 1 }, entryTurns: 50 },
        learn: { shape: { events: 50, eventBytes: 64, paceMs: 0 }, warmup: 50, samples: 400, page: { warmup: 5, samples: 50 } },
        startup: { samples: 15 },
        store: { streams: 200, eventsPerStream: 500, eventBytes: 64, bulkEvents: 20_000, bulkEventBytes: 1000, bulkRounds: 7, itemRequests: 2000, itemsPerRequest: 20 },
        // [sessions, turns each]: 1,000 turns over 10 rollouts, then one rollout of 5,000 turns (memory must not follow session length).
        import: [[10, 100], [1, 5000]] as Array<[number, number]>,
        // 10,000 sessions of 4 turns with 5 KB tool outputs: ~200 MB of captured text to search.
        console: { sessions: 10_000, turnsPerSession: 4, outputChars: 5000, timelineTurns: 500, timelineOutputChars: 4000 },
        // The agent's memory: 10,000 sessions of 4 turns in 20 projects, 2 KB tool outputs; the MCP search beside the console's.
        memory: { sessions: 10_000, turnsPerSession: 4, outputChars: 2000, projects: 20, samples: 40, warmup: 3 },
        // Labelled queries: 15 old target sessions under 10,000 newer everyday ones sharing their words.
        retrieval: { everyday: 10_000, turnsPerSession: 2 },
        // Ten clients push 100,000 notes at once; then probes time a note on one to another's search while
        // they keep writing 20 notes/s (a turn note each, from ten people: far busier than a real team).
        team: { clients: 10, notes: 100_000, rate: 20, probes: 200 },
      };
}

function machine(): Machine {
  let git = 'unknown';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) git += ' (src modified)';
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    git,
    loadAvgStart: os.loadavg()[0]!,
    loadAvgEnd: NaN,
  };
}

const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

async function withRig<T>(shape: StreamShape, prof: { kx: string[]; bare: string[]; pin: boolean }, fn: (rig: Rig) => Promise<T>): Promise<T> {
  const rig = await startRig(shape, { kxNodeArgs: prof.kx, bareNodeArgs: prof.bare, pin: prof.pin });
  try {
    return await fn(rig);
  } catch (err) {
    // Which process went away, and its last words: a refused connection alone does not say.
    for (const c of [rig.upstream, rig.bare, rig.kx]) log(`${c.name}: exit ${c.proc.exitCode ?? c.proc.signalCode ?? 'none (running)'}; stderr: ${c.stderrTail().trim() || '(nothing)'}`);
    throw err;
  } finally {
    await rig.stop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // bin/kx.js runs src/ through tsx when dist/ is older: a bench of that would measure tsx's loader thread.
  if (jsBuildIsStale()) {
    log('dist/ is older than src/: building it first, so the bench measures what kx start runs');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-check.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const p = plan(args.quick);
  const started = performance.now();
  const mode: BenchResult['mode'] = args.quick ? 'quick' : args.only.size < SECTIONS.length ? 'partial' : 'full';
  const resultsDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  // The bare pass-through's profiles go to bare/, to set its time per function beside kx's.
  const profArgs = { ...(args.cpuProf ? { kx: ['--cpu-prof', '--cpu-prof-dir', resultsDir], bare: ['--cpu-prof', '--cpu-prof-dir', path.join(resultsDir, 'bare')] } : { kx: [], bare: [] }), pin: args.pin };
  const result: BenchResult = {
    mode,
    machine: machine(),
    latency: [],
    throughput: [],
    concurrency: undefined,
    history: undefined,
    store: undefined,
    import: undefined,
    targets: [],
    wallSeconds: 0,
  };
  let under200: NonNullable<BenchResult['store']>['under200'];

  if (args.only.has('latency')) {
    const l = p.latency;
    await withRig(l.shape, profArgs, async (rig) => {
      for (const transport of ['http', 'ws'] as const) {
        log(`latency over ${transport}: ${l.samples} samples per target`);
        const run = await runSingle(rig, { transport, samples: l.samples, warmup: l.warmup, prefix: `bench-lat-${transport}-` });
        result.latency.push(summarizeLatency(run, l.shape));
      }
      log(`latency over http, a new session each request: ${l.samples} samples per target`);
      const fresh = await runSingle(rig, { transport: 'http', samples: l.samples, warmup: l.warmup, prefix: 'bench-lat-new-', newSessionEach: true });
      result.latency.push(summarizeLatency(fresh, l.shape));
    });
  }

  if (args.only.has('throughput')) {
    const t = p.throughput;
    await withRig(t.shape, profArgs, async (rig) => {
      for (const transport of ['http', 'ws'] as const) {
        log(`throughput over ${transport}: ${t.rounds} rounds of ${t.shape.events} × ${t.shape.eventBytes} B`);
        const run = await runSingle(rig, { transport, samples: t.rounds, warmup: t.warmup, prefix: `bench-tput-${transport}-` });
        result.throughput.push(summarizeThroughput(run, t.shape, median(run.series.direct.bytes)));
      }
    });
  }

  if (args.only.has('concurrency')) {
    const c = p.concurrency;
    await withRig(c.shape, profArgs, async (rig) => {
      const levels = [];
      for (const level of [1, 10, 50, 200]) {
        log(`concurrency ${level}: ${c.rounds[level]} rounds`);
        const run = await runLevel(rig, level, c.rounds[level] ?? 1, level === 200);
        levels.push(summarizeLevel(run));
        if (level === 200) under200 = { maxCaptureBacklog: run.backlog.maxCapture, maxStoreBacklog: run.backlog.maxStore, drainMsMax: run.backlog.drainMsMax, samples: run.backlog.samples, everyMs: run.backlog.everyMs };
      }
      result.concurrency = { shape: c.shape, levels };
    });
  }

  if (args.only.has('history')) {
    const h = p.history;
    await withRig(h.shape, profArgs, async (rig) => {
      const sessions = [];
      for (const turns of h.sessions) {
        log(`history: a session of ${turns} turns`);
        sessions.push(summarizeHistory(await runHistory(rig, turns, h.turnBytes)));
      }
      result.history = { shape: h.shape, sessions };
    });
  }

  if (args.only.has('store')) {
    log('store: capture pipeline in-process');
    result.store = { ...(await runStoreBench(p.store)), ...(under200 ? { under200 } : {}) };
  }

  if (args.only.has('import')) {
    log(`import: kx import codex over generated rollouts (${p.import.map(([s, t]) => `${s} × ${t} turns`).join(', ')})`);
    result.import = await runImportBench(p.import);
  }

  if (args.only.has('console')) {
    log('console: bundle, 10,000-session list, 500-turn timeline, search');
    result.console = await runConsoleBench(p.console);
  }

  if (args.only.has('insight')) result.insight = await runInsightBench({ ...p.insight, pin: args.pin }, log);

  let learn: LearnBench | undefined;
  let learnPage: LearnPageBench | undefined;
  if (args.only.has('learn')) {
    log(`learn: ${p.learn.samples} tool-output follow-ups per mode and transport, capture vs learn mode`);
    learn = await runLearn(p.learn.shape, p.learn.samples, p.learn.warmup);
    log(`learn: ${p.learn.page.samples} held turns shown on an open approvals page`);
    learnPage = await runLearnPage(p.learn.page.samples, p.learn.page.warmup);
  }

  let memory: MemoryBench | undefined;
  if (args.only.has('memory')) {
    log(`memory: MCP search over ${p.memory.sessions} sessions in ${p.memory.projects} projects, beside the console's search`);
    memory = await runMemoryBench(p.memory);
  }

  let retrieval: RetrievalBench | undefined;
  if (args.only.has('retrieval')) {
    log(`retrieval: labelled queries over ${p.retrieval.everyday} everyday sessions and the older targets`);
    retrieval = await runRetrievalBench(p.retrieval);
  }

  let team: TeamBench | undefined;
  if (args.only.has('team')) {
    log(`team: ${p.team.clients} sync clients on one PostgreSQL, ${p.team.notes} notes`);
    team = await runTeamBench(p.team);
  }

  let startup: StartupBench | undefined;
  if (args.only.has('startup')) {
    log(`startup: ${p.startup.samples} launches of kx start (compiled and from source) and of kx codex`);
    startup = await runStartupBench(p.startup.samples);
  }

  result.machine.loadAvgEnd = os.loadavg()[0]!;
  result.wallSeconds = (performance.now() - started) / 1000;
  result.targets = evaluateTargets(result);
  const md = renderMarkdown(result) + (result.console ? `\n${consoleMarkdown(result.console)}` : '') + (learn ? '\n' + renderLearn(learn) : '') + (learnPage ? '\n' + renderLearnPage(learnPage) : '') + (memory ? '\n' + renderMemory(memory) : '') + (startup ? '\n' + renderStartup(startup) : '') + (retrieval ? '\n' + renderRetrieval(retrieval) : '') + (team ? '\n' + renderTeam(team) : '');
  const name = mode === 'full' ? 'latest' : mode;
  fs.writeFileSync(path.join(resultsDir, `${name}.json`), JSON.stringify({ ...result, ...(learn ? { learn } : {}), ...(learnPage ? { learnPage } : {}), ...(memory ? { memory } : {}), ...(startup ? { startup } : {}), ...(retrieval ? { retrieval } : {}), ...(team ? { team } : {}) }, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v), 2) + '\n');
  fs.writeFileSync(path.join(resultsDir, `${name}.md`), md);
  process.stdout.write(md + '\n');
  log(`wrote bench/results/${name}.json and ${name}.md in ${result.wallSeconds.toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
