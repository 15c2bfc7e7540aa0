// The Codex 0.169 rollout fixture, and rollouts made from it, for the import tests.

import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './fixtures.js';
import { tempDir } from './recording.js';

export const ROLLOUT_DIR = path.join(FIXTURES, 'rollout');
export const ROLLOUT_FILE = path.join(ROLLOUT_DIR, fs.readdirSync(ROLLOUT_DIR).find((f) => f.endsWith('.jsonl'))!);
export const ROLLOUT_THREAD_ID = '01a20eec-3028-7041-a745-b8c55c49e294';

export interface RolloutLine {
  timestamp: string;
  type: string;
  payload: Record<string, unknown>;
}

export function rolloutLines(): RolloutLine[] {
  return fs
    .readFileSync(ROLLOUT_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RolloutLine);
}

/** The fixture's response items, as Codex resends them on HTTP (the whole history). */
export function rolloutHistory(): Record<string, unknown>[] {
  return rolloutLines()
    .filter((l) => l.type === 'response_item')
    .map((l) => l.payload);
}

/** Writes lines (objects or raw text) as a rollout file under a fresh folder; returns the folder. */
export function writeRollout(lines: Array<RolloutLine | string>, name = path.basename(ROLLOUT_FILE)): string {
  const dir = tempDir('kx-rollouts-');
  fs.writeFileSync(path.join(dir, name), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return dir;
}
