// Sessions that grow the way Codex's do over HTTP: every request resends the whole history (each
// earlier human message and model answer) plus the new human message. A proxy has to forward the
// growing body; what kx adds on top (capture) should not grow with it.

import { kxIdle, responsesBody, sseCall, userMessage } from './clients.js';
import { sampleProc } from './processes.js';
import { rotate, type Rig } from './rig.js';
import { benchHeaders, TARGETS, type TargetName } from './single.js';
import { storedCounts } from './store-check.js';
import { median } from './stats.js';

export interface HistoryBucket {
  /** Turns firstTurn..lastTurn (1-based). */
  firstTurn: number;
  lastTurn: number;
  bodyKb: number;
  /** Median time to last byte per target over the bucket, ms. */
  ttlbMs: Record<TargetName, number>;
  /** CPU per request over the bucket, ms (capture work that trails a response is included). */
  cpuMsPerRequest: { bare: number; kx: number };
}

export interface HistoryRun {
  turns: number;
  /** Filler per human message, bytes: makes the history weigh what a real one does. */
  turnBytes: number;
  buckets: HistoryBucket[];
  errors: Record<TargetName, number>;
  firstError?: string;
  items: { stored: number; expected: number; newItemsCounted: number; maxSkipped: number };
  store: { requests: number; completed: number };
}

const FILLER = 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ';

function humanText(turn: number, bytes: number): string {
  const head = `turn ${turn}: please look at this and continue. `;
  return head + FILLER.repeat(Math.ceil(bytes / FILLER.length)).slice(0, Math.max(0, bytes - head.length));
}

export async function runHistory(rig: Rig, turns: number, turnBytes = 1024): Promise<HistoryRun> {
  const prefix = `bench-h${turns}-`;
  const bucketSize = Math.max(5, Math.ceil(turns / 10));
  const history = Object.fromEntries(TARGETS.map((t) => [t, [] as unknown[]])) as Record<TargetName, unknown[]>;
  const errors = Object.fromEntries(TARGETS.map((t) => [t, 0])) as Record<TargetName, number>;
  let firstError: string | undefined;
  const buckets: HistoryBucket[] = [];
  let ttlb = Object.fromEntries(TARGETS.map((t) => [t, [] as number[]])) as Record<TargetName, number[]>;
  let bodyBytes = 0;
  let cpu0 = { bare: sampleProc(rig.bare.pid).cpuMs, kx: sampleProc(rig.kx.pid).cpuMs };
  let bucketStart = 1;

  for (let turn = 1; turn <= turns; turn++) {
    for (const t of rotate(rig.targets, turn)) {
      const h = history[t.name];
      h.push(userMessage(humanText(turn, turnBytes)));
      const body = responsesBody(h);
      bodyBytes = body.length;
      const r = await sseCall(t, body, benchHeaders(`${prefix}${t.name}`), rig.eventsPerStream);
      const output = r.last ? ((JSON.parse(r.last) as { response?: { output?: unknown[] } }).response?.output ?? []) : [];
      if (!r.ok || output.length === 0) {
        errors[t.name]++;
        firstError ??= r.error ?? 'no output in response.completed';
      } else {
        ttlb[t.name].push(r.ttlbMs);
      }
      // The answer joins the history, as Codex appends the model's output items before the next request.
      h.push(...output);
    }
    if (turn - bucketStart + 1 === bucketSize || turn === turns) {
      const n = turn - bucketStart + 1;
      const cpu1 = { bare: sampleProc(rig.bare.pid).cpuMs, kx: sampleProc(rig.kx.pid).cpuMs };
      buckets.push({
        firstTurn: bucketStart,
        lastTurn: turn,
        bodyKb: bodyBytes / 1024,
        ttlbMs: Object.fromEntries(TARGETS.map((t) => [t, median(ttlb[t])])) as Record<TargetName, number>,
        cpuMsPerRequest: { bare: (cpu1.bare - cpu0.bare) / n, kx: (cpu1.kx - cpu0.kx) / n },
      });
      cpu0 = cpu1;
      bucketStart = turn + 1;
      ttlb = Object.fromEntries(TARGETS.map((t) => [t, [] as number[]])) as Record<TargetName, number[]>;
    }
  }
  await kxIdle(rig.kxOrigin);
  const c = storedCounts(rig.documentsDir, prefix);
  return {
    turns,
    turnBytes,
    buckets,
    errors,
    ...(firstError ? { firstError } : {}),
    // Each turn brings one new human message and one answer; anything more would be history stored twice.
    items: { stored: c.items, expected: 2 * turns, newItemsCounted: c.newItems, maxSkipped: c.maxSkipped },
    store: { requests: c.requests, completed: c.completed },
  };
}
