// `kx import codex` over generated rollouts, in this process: items per second and how far RSS rises
// above where it stood before the import (the import streams line by line, so it should not grow with
// the size of the sessions).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { importCodexRollouts } from '../src/import/codex-import.js';
import { writeRollouts } from './rollout-generator.js';

export interface ImportBenchCase {
  sessions: number;
  turnsPerSession: number;
  rolloutMb: number;
  itemsAdded: number;
  expectedItems: number;
  turnsAdded: number;
  seconds: number;
  itemsPerSec: number;
  /** CPU time of this process during the import: on a machine shared with other work, wall time says less. */
  cpuSeconds: number;
  itemsPerCpuSec: number;
  /** Highest RSS sampled during the import minus RSS just before it (after a forced GC). */
  peakRssGrowthMb: number;
  rssBeforeMb: number;
  /** Highest JS heap sampled during the import minus the heap just before it. */
  peakHeapGrowthMb: number;
}

export interface ImportBenchRun {
  cases: ImportBenchCase[];
  /**
   * The largest case again, untimed, with a forced GC at every fifth of the bytes: the heap the
   * import still holds (MB over its start) as it goes, which should not follow the session's length.
   */
  retainedHeapMb: { atPercent: number; mb: number }[];
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

/** A forced GC before each case, so its baseline holds no garbage of the one before. */
function forceGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

async function runCase(sessions: number, turnsPerSession: number): Promise<ImportBenchCase> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-import-'));
  try {
    const generated = writeRollouts(path.join(root, 'codex'), sessions, turnsPerSession);
    forceGc();
    const before = process.memoryUsage();
    let peak = before.rss;
    let peakHeap = before.heapUsed;
    const sample = (): void => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 10);
    const cpu = process.cpuUsage();
    const result = await importCodexRollouts({ paths: [path.join(root, 'codex')], documentsDir: path.join(root, 'documents'), queueInsights: false });
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    sample();
    const cpuSeconds = (used.user + used.system) / 1e6;
    return {
      sessions,
      turnsPerSession,
      rolloutMb: mb(generated.bytes),
      itemsAdded: result.itemsAdded,
      expectedItems: generated.items,
      turnsAdded: result.turnsAdded,
      seconds: result.seconds,
      itemsPerSec: result.itemsAdded / result.seconds,
      cpuSeconds,
      itemsPerCpuSec: result.itemsAdded / cpuSeconds,
      peakRssGrowthMb: mb(peak - before.rss),
      rssBeforeMb: mb(before.rss),
      peakHeapGrowthMb: mb(peakHeap - before.heapUsed),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function retainedHeap(sessions: number, turnsPerSession: number): Promise<ImportBenchRun['retainedHeapMb']> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-import-'));
  try {
    writeRollouts(path.join(root, 'codex'), sessions, turnsPerSession);
    forceGc();
    const base = process.memoryUsage().heapUsed;
    const points: ImportBenchRun['retainedHeapMb'] = [];
    await importCodexRollouts({
      paths: [path.join(root, 'codex')],
      documentsDir: path.join(root, 'documents'),
      queueInsights: false,
      onProgress: (p) => {
        const percent = Math.floor((p.bytesRead / p.bytes) * 5) * 20;
        if (percent <= (points.at(-1)?.atPercent ?? 0) || percent === 0) return;
        forceGc();
        points.push({ atPercent: percent, mb: mb(process.memoryUsage().heapUsed - base) });
      },
    });
    return points;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Each case is [sessions, turns per session]; the first is the one the target is read from, the last the longest. */
export async function runImportBench(cases: ReadonlyArray<readonly [number, number]>): Promise<ImportBenchRun> {
  const out: ImportBenchCase[] = [];
  for (const [sessions, turns] of cases) out.push(await runCase(sessions, turns));
  const [sessions, turns] = cases[cases.length - 1]!;
  return { cases: out, retainedHeapMb: await retainedHeap(sessions, turns) };
}
