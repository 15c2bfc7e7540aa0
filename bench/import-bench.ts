// `kx import codex` over generated rollouts, in this process: items per second and how far RSS rises
// above where it stood before the import (the import streams line by line, so it should not grow with
// the size of the sessions).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** Highest RSS sampled during the import minus RSS just before it. */
  peakRssGrowthMb: number;
  rssBeforeMb: number;
}

export interface ImportBenchRun {
  cases: ImportBenchCase[];
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

async function runCase(sessions: number, turnsPerSession: number): Promise<ImportBenchCase> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-import-'));
  try {
    const generated = writeRollouts(path.join(root, 'codex'), sessions, turnsPerSession);
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    const result = await importCodexRollouts({ paths: [path.join(root, 'codex')], documentsDir: path.join(root, 'documents'), queueInsights: false });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      sessions,
      turnsPerSession,
      rolloutMb: mb(generated.bytes),
      itemsAdded: result.itemsAdded,
      expectedItems: generated.items,
      turnsAdded: result.turnsAdded,
      seconds: result.seconds,
      itemsPerSec: result.itemsAdded / result.seconds,
      peakRssGrowthMb: mb(peak - rssBefore),
      rssBeforeMb: mb(rssBefore),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Each case is [sessions, turns per session]; the first is the one the target is read from. */
export async function runImportBench(cases: ReadonlyArray<readonly [number, number]>): Promise<ImportBenchRun> {
  const out: ImportBenchCase[] = [];
  for (const [sessions, turns] of cases) out.push(await runCase(sessions, turns));
  return { cases: out };
}
