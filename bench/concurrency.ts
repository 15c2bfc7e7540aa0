// Many streams at once: each level sends `level` concurrent streams to one target, then the next
// (round-robin), and watches the proxies' memory, CPU and kx's capture backlog while they run.

import { performance } from 'node:perf_hooks';
import { BacklogWatch, kxHealth, kxIdle, responsesBody, sseCall, userMessage, type StreamResult } from './clients.js';
import { RssWatch, sampleProc } from './processes.js';
import { rotate, type Rig } from './rig.js';
import { addResult, benchHeaders, emptySeries, TARGETS, type Series, type TargetName } from './single.js';
import { checkStore, type StoreCheck } from './store-check.js';

export interface ProxyCost {
  /** Peak RSS while this level ran, MB. */
  rssMaxMb: number;
  /** CPU while its batches ran (kx: until its capture had drained), % of one core. */
  cpuPct: number;
  cpuMsPerStream: number;
}

export interface LevelRun {
  level: number;
  rounds: number;
  series: Record<TargetName, Series>;
  cost: { bare: ProxyCost; kx: ProxyCost };
  backlog: {
    maxCapture: number;
    maxStore: number;
    samples: number;
    everyMs: number;
    /** After each kx batch's last stream ended, until capture and store were both empty (max over rounds). */
    drainMsMax: number;
  };
  store: StoreCheck;
}

/** `level` agents at once, each in its own session: stream i of every round is the next turn of session i. */
async function batch(rig: Rig, target: Rig['targets'][number], level: number, prefix: string, round: number): Promise<StreamResult[]> {
  const calls: Array<Promise<StreamResult>> = [];
  for (let i = 0; i < level; i++) {
    const session = `${prefix}${target.name}-${i}`;
    calls.push(sseCall(target, responsesBody([userMessage(`bench ${session} turn ${round}`)]), benchHeaders(session), rig.eventsPerStream));
  }
  return Promise.all(calls);
}

/**
 * kx's backlog is sampled over HTTP only when `watchBacklog` is set (the 200-stream level): each
 * sample is a request kx serves, and that work would otherwise be billed to kx's CPU at every level.
 */
export async function runLevel(rig: Rig, level: number, rounds: number, watchBacklog: boolean): Promise<LevelRun> {
  const prefix = `bench-c${level}-`;
  const series = Object.fromEntries(TARGETS.map((t) => [t, emptySeries()])) as Record<TargetName, Series>;
  const pids = { bare: rig.bare.pid, kx: rig.kx.pid };
  const rss = { bare: new RssWatch(pids.bare).start(), kx: new RssWatch(pids.kx).start() };
  const cpuMs = { bare: 0, kx: 0 };
  const wallMs = { bare: 0, kx: 0 };
  const backlog = new BacklogWatch(rig.kxOrigin);
  let drainMsMax = 0;
  let kxStreams = 0;
  let kxEvents = 0;
  // Unmeasured warm-up: sockets to every proxy and the upstream, and kx's sessions, exist before the first timed batch.
  for (const t of rig.targets) {
    const r = await batch(rig, t, level, prefix, -1);
    if (t.name === 'kx') {
      kxStreams += r.length;
      kxEvents += r.reduce((a, x) => a + x.events, 0);
    }
  }
  await kxIdle(rig.kxOrigin);
  for (let round = 0; round < rounds; round++) {
    for (const t of rotate(rig.targets, round)) {
      const proc = t.name === 'direct' ? undefined : t.name;
      const cpu0 = proc ? sampleProc(pids[proc]).cpuMs : 0;
      const t0 = performance.now();
      if (proc === 'kx' && watchBacklog) backlog.start();
      const results = await batch(rig, t, level, prefix, round);
      if (proc === 'kx') {
        const ended = performance.now();
        // Drain time: how long capture trails the traffic. Polled, so it is accurate to ~10 ms.
        for (;;) {
          const h = await kxHealth(rig.kxOrigin);
          if (h.captureBacklog === 0 && h.storeBacklog === 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        drainMsMax = Math.max(drainMsMax, performance.now() - ended);
        backlog.stop();
        kxStreams += results.length;
        kxEvents += results.reduce((a, x) => a + x.events, 0);
      }
      if (proc) {
        cpuMs[proc] += sampleProc(pids[proc]).cpuMs - cpu0;
        wallMs[proc] += performance.now() - t0;
      }
      for (const r of results) addResult(series[t.name], r);
    }
  }
  const maxMb = { bare: rss.bare.stop() / 1024, kx: rss.kx.stop() / 1024 };
  await kxIdle(rig.kxOrigin);
  const cost = (p: 'bare' | 'kx'): ProxyCost => ({
    rssMaxMb: maxMb[p],
    cpuPct: (cpuMs[p] / wallMs[p]) * 100,
    cpuMsPerStream: cpuMs[p] / (rounds * level),
  });
  return {
    level,
    rounds,
    series,
    cost: { bare: cost('bare'), kx: cost('kx') },
    backlog: { maxCapture: backlog.maxCapture, maxStore: backlog.maxStore, samples: backlog.samples, everyMs: backlog.everyMs, drainMsMax },
    store: checkStore(rig.documentsDir, prefix, kxStreams, kxEvents),
  };
}
