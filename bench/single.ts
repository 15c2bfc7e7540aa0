// One stream at a time, round-robin over direct / bare / kx: first and last byte for small
// answers (latency) and bytes per second for large ones (throughput), over HTTP+SSE or WebSocket.

import { responsesBody, sseCall, userMessage, WsConn, kxIdle, type StreamResult, type Target } from './clients.js';
import { rotate, type Rig } from './rig.js';
import { checkStore, type StoreCheck } from './store-check.js';
import { sampleProc } from './processes.js';

export type TargetName = Target['name'];
export const TARGETS: TargetName[] = ['direct', 'bare', 'kx'];

export interface Series {
  ttfb: number[];
  ttlb: number[];
  /** Bytes per second of each stream, over its whole duration. */
  bps: number[];
  bytes: number[];
  errors: number;
  firstError?: string;
}

export interface SingleRun {
  transport: 'http' | 'ws';
  /** Every request opened a session kx had not seen (HTTP only). */
  newSessionEach: boolean;
  samples: number;
  warmup: number;
  series: Record<TargetName, Series>;
  store: StoreCheck;
  /** Each proxy's CPU (all its threads) per stream it carried, warm-up included, until kx's capture was idle. */
  cpuMsPerStream: { bare: number; kx: number };
}

export const emptySeries = (): Series => ({ ttfb: [], ttlb: [], bps: [], bytes: [], errors: 0 });

/** Adds one stream's timings to its target's series, or counts its error. */
export function addResult(s: Series, r: StreamResult): void {
  if (!r.ok) {
    s.errors++;
    s.firstError ??= r.error;
    return;
  }
  s.ttfb.push(r.ttfbMs);
  s.ttlb.push(r.ttlbMs);
  s.bps.push(r.bytes / (r.ttlbMs / 1000));
  s.bytes.push(r.bytes);
}

export const benchHeaders = (sessionId: string): Record<string, string> => ({
  authorization: 'Bearer sk-bench-not-a-real-key',
  'session-id': sessionId,
  originator: 'kx_bench',
});

/**
 * `samples` measured streams per target after `warmup` unmeasured ones. Every stream through kx is
 * counted for the store check, warm-up included. Each stream is a new turn (a new human message) of
 * one long session per target, so the body stays the same size; WS: one socket per target carries
 * them all, one turn after another, as Codex does.
 */
export async function runSingle(rig: Rig, opts: { transport: 'http' | 'ws'; samples: number; warmup: number; prefix: string; newSessionEach?: boolean }): Promise<SingleRun> {
  const series = Object.fromEntries(TARGETS.map((t) => [t, emptySeries()])) as Record<TargetName, Series>;
  let kxStreams = 0;
  let kxEvents = 0;
  const conns = new Map<TargetName, WsConn>();
  const cpu0 = { bare: sampleProc(rig.bare.pid).cpuMs, kx: sampleProc(rig.kx.pid).cpuMs };
  if (opts.transport === 'ws') {
    for (const t of rig.targets) conns.set(t.name, await WsConn.open(t, benchHeaders(`${opts.prefix}${t.name}`)));
  }
  try {
    for (let i = 0; i < opts.warmup + opts.samples; i++) {
      for (const t of rotate(rig.targets, i)) {
        const input = [userMessage(`bench ${opts.prefix} sample ${i}`)];
        let r: StreamResult;
        if (opts.transport === 'http') {
          const session = opts.newSessionEach ? `${opts.prefix}${t.name}-${i}` : `${opts.prefix}${t.name}`;
          r = await sseCall(t, responsesBody(input), benchHeaders(session), rig.eventsPerStream);
        } else {
          r = await conns.get(t.name)!.stream({ model: 'gpt-6.1-sol', input }, rig.eventsPerStream);
        }
        if (t.name === 'kx') {
          kxStreams++;
          kxEvents += r.events;
        }
        if (i < opts.warmup) continue;
        addResult(series[t.name], r);
      }
    }
  } finally {
    for (const c of conns.values()) c.close();
  }
  await kxIdle(rig.kxOrigin);
  const streams = opts.warmup + opts.samples;
  const cpuMsPerStream = { bare: (sampleProc(rig.bare.pid).cpuMs - cpu0.bare) / streams, kx: (sampleProc(rig.kx.pid).cpuMs - cpu0.kx) / streams };
  // A WS response is finished in the store when its terminal frame is captured, before the socket closes.
  const store = checkStore(rig.documentsDir, opts.prefix, kxStreams, kxEvents);
  return { transport: opts.transport, newSessionEach: opts.newSessionEach ?? false, samples: opts.samples, warmup: opts.warmup, series, store, cpuMsPerStream };
}
