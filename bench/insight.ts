// The insight section: does traffic notice the engine, and how soon after the model's answer is a
// turn's entry in learnings.md? Two kx processes on one fake upstream, one with KX_INSIGHT=off and
// one with KX_INSIGHT=turn answering every turn (the fake answers its insight calls too), take turns
// in blocks, each round-robin with a direct connection and the bare pass-through; then, in-process,
// the time from the insight call reaching the fake (which answers at once) to the entry being in
// learnings.md.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeUpstream } from '../harness/fake-upstream/server.js';
import { startKx } from '../src/kx.js';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { insightSettings } from '../harness/drivers/throwaway-config.js';
import { testConfig } from '../harness/drivers/throwaway-config.js';
import { kxIdle, makeTarget, responsesBody, sseCall, userMessage, type Target } from './clients.js';
import { sampleProc, startBareProxy, startKxProcess, startUpstream, UI_TOKEN, type Child, type StreamShape } from './processes.js';
import { pinApart, rotate } from './rig.js';
import { pcts, type Pcts } from './stats.js';
import { benchHeaders } from './single.js';

export interface InsightTraffic {
  shape: StreamShape;
  samples: number;
  ttfb: { direct: Pcts; bare: Pcts; off: Pcts; on: Pcts };
  ttlb: { direct: Pcts; bare: Pcts; off: Pcts; on: Pcts };
  errors: { direct: number; bare: number; off: number; on: number };
  /** Resident memory of each kx once its queue settled, bytes: the difference is the engine's worker. */
  rss: { off: number; on: number };
  /** The engine-on kx's queue once it settled. */
  jobs: Record<string, number>;
  insightTokens: { input: number; output: number };
}

export interface InsightBench {
  latency: InsightTraffic;
  throughput: InsightTraffic;
  /** From the insight call reaching the fake upstream to the turn's entry in learnings.md, ms. */
  entryMs: Pcts;
  entries: number;
}

async function status(origin: string): Promise<{ queue: Record<string, number>; tokens: { all: { input: number; output: number } } }> {
  const res = await fetch(`${origin}/api/insight/status`, { headers: { authorization: `Bearer ${UI_TOKEN}` } });
  return (await res.json()) as { queue: Record<string, number>; tokens: { all: { input: number; output: number } } };
}

type Label = 'direct' | 'bare' | 'off' | 'on';
type Series = Record<Label, number[]>;
const series = (): Series => ({ direct: [], bare: [], off: [], on: [] });

/** The engine-on kx's job queue: empty once every turn's insight has run. */
async function settled(origin: string): Promise<Awaited<ReturnType<typeof status>>> {
  const end = Date.now() + 120_000;
  let s = await status(origin);
  while ((s.queue.queued ?? 0) + (s.queue.running ?? 0) > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    s = await status(origin);
  }
  return s;
}

/**
 * Blocks of `blockOf` rounds take turns between the engine-off and the engine-on kx; each round
 * is direct, bare and that kx in rotating order. Only one kx carries traffic at a time: with both in
 * one rotation, each kx's work after its answers (capture, commits, the engine) landed on the other's
 * requests, and the bare pass-through's tail rose with them. Each block starts once both kx are idle.
 */
async function blocks(targets: Record<Label, Target>, origins: { off: string; on: string }, o: { shape: StreamShape; samples: number; warmup: number }) {
  const ttfb = series();
  const ttlb = series();
  const errors = { direct: 0, bare: 0, off: 0, on: 0 };
  const rounds = { off: 0, on: 0 };
  const blockOf = Math.max(1, Math.floor(o.samples / 12));
  for (let b = 0; rounds.off < o.warmup + o.samples || rounds.on < o.warmup + o.samples; b++) {
    const kx: 'off' | 'on' = b % 2 === 0 ? 'off' : 'on';
    await Promise.all([kxIdle(origins.off), kxIdle(origins.on), settled(origins.on)]);
    for (let j = 0; j < blockOf && rounds[kx] < o.warmup + o.samples; j++) {
      const i = rounds[kx]++;
      const group: Label[] = ['direct', 'bare', kx];
      for (const label of rotate(group, i)) {
        // Each call is a new human turn, so the engine-on kx queues an insight job for every one.
        const r = await sseCall(targets[label], responsesBody([userMessage(`what is bench topic ${kx} ${i}?`)]), benchHeaders(`bench-insight-${label}`), o.shape.events + 4);
        if (i < o.warmup) continue;
        if (!r.ok) errors[label]++;
        ttfb[label].push(r.ttfbMs);
        ttlb[label].push(r.ttlbMs);
      }
    }
  }
  const p = (s: Series) => ({ direct: pcts(s.direct), bare: pcts(s.bare), off: pcts(s.off), on: pcts(s.on) });
  return { ttfb: p(ttfb), ttlb: p(ttlb), errors };
}

async function traffic(shape: StreamShape, samples: number, warmup: number, pin: boolean, log: (s: string) => void): Promise<InsightTraffic> {
  const up = await startUpstream(shape);
  const children: Child[] = [up.child];
  try {
    const off = await startKxProcess(up.baseUrl);
    children.unshift(off.child);
    const on = await startKxProcess(up.baseUrl, [], { KX_INSIGHT: 'turn' });
    children.unshift(on.child);
    const bare = await startBareProxy(up.origin);
    children.unshift(bare.child);
    // As in the other sections' rig: without it `--pin` left this section to the scheduler.
    if (pin) pinApart([process.pid, up.child.pid], [bare.child.pid, off.child.pid, on.child.pid]);
    const targets: Record<Label, Target> = { direct: makeTarget('direct', up.origin), bare: makeTarget('bare', bare.origin), off: makeTarget('kx', off.origin), on: makeTarget('kx', on.origin) };
    const measured = await blocks(targets, { off: off.origin, on: on.origin }, { shape, samples, warmup });
    const s = await settled(on.origin);
    log(`insight: engine-on kx settled: ${JSON.stringify(s.queue)}`);
    const rss = { off: sampleProc(off.child.pid).rssKb * 1024, on: sampleProc(on.child.pid).rssKb * 1024 };
    for (const t of Object.values(targets)) t.agent.destroy();
    return { shape, samples, ...measured, rss, jobs: s.queue, insightTokens: s.tokens.all };
  } finally {
    for (const c of children) await c.stop();
  }
}

/** In-process: the insight call's arrival at the fake → the entry in learnings.md. */
async function entryLatency(turns: number): Promise<number[]> {
  const fake = await startFakeUpstream();
  const config = testConfig(fake.baseUrl, { documentsDir: tempDir('kx-bench-insight-'), insight: insightSettings() });
  const kx = await startKx(config);
  const arrived: number[] = [];
  const push = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...reqs) => {
    for (const r of reqs) if ((r.body as { text?: { format?: { name?: string } } })?.text?.format?.name === 'turn_insight') arrived.push(performance.now());
    return push(...reqs);
  };
  // Read from the session's row each time: its folder is named from its first message once it is recorded.
  const folder = kx.store.db.prepare(`SELECT folder FROM sessions WHERE id = 'bench-entry'`).pluck();
  const file = () => path.join(config.documentsDir, String(folder.get() ?? 'not-yet'), 'learnings.md');
  const entries = () => {
    try {
      return fs.readFileSync(file(), 'utf8').split('- **Action:**').length - 1;
    } catch {
      return 0;
    }
  };
  const out: number[] = [];
  const input: unknown[] = [];
  try {
    for (let i = 0; i < turns; i++) {
      input.push(userMessage(`what is entry topic ${i}?`));
      const target = makeTarget('kx', kx.url);
      await sseCall(target, responsesBody(input), { ...benchHeaders('bench-entry') }, undefined);
      target.agent.destroy();
      const end = Date.now() + 10_000;
      while (entries() < i + 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 1));
      const t = performance.now();
      if (arrived[i] !== undefined) out.push(t - arrived[i]!);
    }
  } finally {
    await kx.close();
    await fake.close();
  }
  return out;
}

export async function runInsightBench(
  opts: { latency: { shape: StreamShape; samples: number; warmup: number }; throughput: { shape: StreamShape; samples: number; warmup: number }; entryTurns: number; pin?: boolean },
  log: (s: string) => void,
): Promise<InsightBench> {
  log(`insight: latency with the engine off and on, ${opts.latency.samples} samples per target`);
  const latency = await traffic(opts.latency.shape, opts.latency.samples, opts.latency.warmup, opts.pin ?? false, log);
  log(`insight: throughput with the engine off and on, ${opts.throughput.samples} rounds`);
  const throughput = await traffic(opts.throughput.shape, opts.throughput.samples, opts.throughput.warmup, opts.pin ?? false, log);
  log(`insight: answer → learnings.md entry, ${opts.entryTurns} turns`);
  const entry = await entryLatency(opts.entryTurns);
  return { latency, throughput, entryMs: pcts(entry), entries: entry.length };
}
