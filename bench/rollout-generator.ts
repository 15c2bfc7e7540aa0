// Codex rollouts of any length, made from the real 0.169 rollout fixture: its preamble once per
// session, then its first turn (human message, tool call, tool output, answer, usage and event lines)
// again and again with fresh ids and later timestamps, as a long Codex session would write them.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/codex-0.169/rollout');
const THREAD_ID = '01a20eec-3028-7041-a745-b8c55c49e294';
/** Ids the turn's lines carry; each gets a per-turn suffix so every turn is new to the store. */
const TURN_IDS = /\b(?:msg|ctc|ctco|call|resp)_[A-Za-z0-9-]+|01a20eec-3045-7502-af03-cdcc71e0d9b7/g;
const TIMESTAMP = /^\{"timestamp":"[^"]+"/;

function fixtureLines(): string[] {
  const file = fs.readdirSync(FIXTURE_DIR).find((f) => f.endsWith('.jsonl'))!;
  return fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8').split('\n').filter(Boolean);
}

const typeOf = (line: string): string => (JSON.parse(line) as { type: string }).type;
const payloadType = (line: string): string | undefined => (JSON.parse(line) as { payload: { type?: string } }).payload.type;

export interface GeneratedRollouts {
  files: string[];
  turns: number;
  /** Response items the import will find new: the preamble once per session, four per turn. */
  items: number;
  bytes: number;
}

/** Writes `sessions` rollouts of `turnsPerSession` turns each under `dir`, the way Codex lays them out. */
export function writeRollouts(dir: string, sessions: number, turnsPerSession: number): GeneratedRollouts {
  const lines = fixtureLines();
  const firstTurnStart = lines.findIndex((l) => typeOf(l) === 'turn_context');
  const firstTurnEnd = lines.findIndex((l) => typeOf(l) === 'event_msg' && payloadType(l) === 'task_complete');
  const preamble = lines.slice(0, firstTurnStart);
  const turn = lines.slice(firstTurnStart, firstTurnEnd + 1);
  const count = (ls: string[]) => ls.filter((l) => typeOf(l) === 'response_item').length;
  const day = path.join(dir, 'sessions/2026/11/24');
  fs.mkdirSync(day, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const base = Date.parse('2026-11-24T09:00:00.000Z');
  for (let s = 0; s < sessions; s++) {
    const threadId = `01a20eec-3028-7041-a745-${s.toString(16).padStart(12, '0')}`;
    const file = path.join(day, `rollout-2026-11-24T09-00-00-${threadId}.jsonl`);
    const fd = fs.openSync(file, 'w');
    try {
      const write = (text: string) => {
        fs.writeSync(fd, text + '\n');
        bytes += Buffer.byteLength(text) + 1;
      };
      for (const line of preamble) write(line.replaceAll(THREAD_ID, threadId));
      for (let t = 0; t < turnsPerSession; t++) {
        turn.forEach((line, i) => {
          const at = new Date(base + s * 86_400_000 / sessions + t * 1000 + i).toISOString();
          write(line.replaceAll(THREAD_ID, threadId).replace(TURN_IDS, (id) => `${id}-${s}-${t}`).replace(TIMESTAMP, `{"timestamp":"${at}"`));
        });
      }
    } finally {
      fs.closeSync(fd);
    }
    files.push(file);
  }
  return { files, turns: sessions * turnsPerSession, items: sessions * (count(preamble) + turnsPerSession * count(turn)), bytes };
}
