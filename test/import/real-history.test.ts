// kx import codex on history as people keep it: copies under other names, rollouts from older Codex
// versions, usage only in token_count events, lines whose times are missing or wrong.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/import-command.js';
import { importCodexRollouts } from '../../src/import/codex-import.js';
import { SessionReader } from '../../src/store/session-reader.js';
import { tempDir } from '../support/recording.js';
import { ROLLOUT_THREAD_ID, rolloutLines, writeRollout, type RolloutLine } from '../support/rollouts.js';
import { Writable } from 'node:stream';

const run = (documentsDir: string, paths: string[]) => importCodexRollouts({ paths, documentsDir, queueInsights: false });

function session(dir: string) {
  const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
  try {
    return new SessionReader(db).getSession(ROLLOUT_THREAD_ID)!;
  } finally {
    db.close();
  }
}

/** A rollout as Codex 0.1x–0.3x wrote it: a bare meta object, then bare items, no envelope. */
const OLD_ROLLOUT = [
  '{"id":"5d2c0b8e-61a1-4c11-9d7e-3f1a2b3c4d5e","timestamp":"2025-05-07T17:24:21.123Z","instructions":null}',
  '{"record_type":"state"}',
  '{"type":"message","id":null,"role":"user","content":[{"type":"input_text","text":"fix the build"}]}',
].join('\n');

const withoutUsageRecords = (): RolloutLine[] => rolloutLines().filter((l) => l.type !== 'token_usage_record');

const MODEL_OUTPUT_TYPES = new Set(['reasoning', 'function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call']);
const isModelOutput = (l: RolloutLine): boolean =>
  l.type === 'response_item' && (MODEL_OUTPUT_TYPES.has(String(l.payload.type)) || (l.payload.type === 'message' && l.payload.role === 'assistant'));

/**
 * The fixture as Codex 0.45 and 0.58 wrote it: no token_usage_record, and each call's token_count
 * written when the call completed, before its items (those versions recorded a call's items after
 * it). Call k's last_token_usage is k thousand input tokens, so a usage filed on the wrong call shows.
 */
function usageFirstRollout(cliVersion: string): RolloutLine[] {
  const lines = withoutUsageRecords();
  const counts = lines.filter((l) => l.type === 'event_msg' && l.payload.type === 'token_count');
  const out: RolloutLine[] = [];
  let k = 0;
  let previousWasOutput = false;
  for (const l of lines) {
    if (counts.includes(l)) continue;
    if (isModelOutput(l) && !previousWasOutput) {
      const info = counts[k]!.payload.info as { last_token_usage: Record<string, number> };
      k += 1;
      out.push({ ...counts[k - 1]!, timestamp: l.timestamp, payload: { ...counts[k - 1]!.payload, info: { ...info, last_token_usage: { ...info.last_token_usage, input_tokens: k * 1000 } } } });
    }
    previousWasOutput = isModelOutput(l);
    out.push(l.type === 'session_meta' ? { ...l, payload: { ...l.payload, cli_version: cliVersion } } : l);
  }
  return out;
}

class Screen extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('kx import codex on real history', () => {
  it('finds a rollout saved under another name by its first line', async () => {
    const folder = writeRollout(rolloutLines(), 'bug-repro.jsonl');
    fs.mkdirSync(path.join(folder, 'nested'));
    fs.renameSync(path.join(folder, 'bug-repro.jsonl'), path.join(folder, 'nested', 'bug-repro.jsonl'));
    fs.writeFileSync(path.join(folder, 'notes.jsonl'), '{"note":"not a rollout"}\n');
    const dir = tempDir();
    const result = await run(dir, [folder]);
    expect(result).toMatchObject({ files: 1, sessionsChanged: 1, turnsAdded: 2, unsupported: [] });
    expect(session(dir).turns).toHaveLength(2);
  });

  it('reports a rollout from before Codex 0.4x as unsupported, not as a session already complete', async () => {
    const folder = tempDir('kx-rollouts-');
    fs.writeFileSync(path.join(folder, 'rollout-2025-05-07T17-24-21-5d2c0b8e-61a1-4c11-9d7e-3f1a2b3c4d5e.jsonl'), OLD_ROLLOUT);
    fs.writeFileSync(path.join(folder, 'old-copy.jsonl'), OLD_ROLLOUT);
    const result = await run(tempDir(), [folder]);
    expect(result).toMatchObject({ files: 0, sessionsChanged: 0, sessionsUnchanged: 0 });
    expect(result.unsupported.map((u) => [path.basename(u.file), u.reason]).sort()).toEqual([
      ['old-copy.jsonl', 'written by Codex before 0.4x'],
      ['rollout-2025-05-07T17-24-21-5d2c0b8e-61a1-4c11-9d7e-3f1a2b3c4d5e.jsonl', 'written by Codex before 0.4x'],
    ]);
  });

  it('says how many files it left out and why, beside what it imported', async () => {
    const folder = writeRollout(rolloutLines(), 'kept-under-my-name.jsonl');
    fs.writeFileSync(path.join(folder, 'rollout-2025-05-07T17-24-21-5d2c0b8e-61a1-4c11-9d7e-3f1a2b3c4d5e.jsonl'), OLD_ROLLOUT);
    const screen = new Screen();
    const env = { KX_INSIGHT: 'off', HOME: tempDir() };
    const code = await importCommand(['codex', folder, '--documents', tempDir()], { out: screen, env, cwd: tempDir() });
    expect(code).toBe(0);
    expect(screen.text).toMatch(/imported 1 rollout: 2 turns and 12 items added to 1 session \(/);
    expect(screen.text).not.toContain('already complete');
    expect(screen.text).toContain('left out 1 file kx cannot read (written by Codex before 0.4x): ');
  });

  it('keeps token usage from token_count events when the rollout has no token_usage_record', async () => {
    const dir = tempDir();
    await run(dir, [writeRollout(withoutUsageRecords())]);
    expect(session(dir).requests.map((r) => [r.usage.inputTokens, r.usage.cachedTokens, r.usage.outputTokens, r.usage.totalTokens])).toEqual([
      [1200, 1000, 42, 1242],
      [1200, 1000, 42, 1242],
      [1200, 1000, 42, 1242],
    ]);
  });

  for (const version of ['0.45.0', '0.58.0']) {
    it(`files each call's usage on that call when Codex ${version} wrote it before the call's items`, async () => {
      const lines = usageFirstRollout(version);
      expect(lines.filter((l) => l.payload.type === 'token_count')).toHaveLength(3);
      const dir = tempDir();
      await run(dir, [writeRollout(lines)]);
      expect(session(dir).requests.map((r) => [r.usage.inputTokens, r.usage.outputTokens])).toEqual([
        [1000, 42],
        [2000, 42],
        [3000, 42],
      ]);
    });
  }

  it('counts usage once when the rollout carries both token_usage_record and token_count', async () => {
    const dir = tempDir();
    await run(dir, [writeRollout(rolloutLines())]);
    const total = session(dir).requests.reduce((n, r) => n + (r.usage.totalTokens ?? 0), 0);
    expect(total).toBe(3 * 1242);
  });

  it('gives a line without a readable time the time of the line before it, and keeps its content', async () => {
    const lines = rolloutLines().map((l) => {
      if (l.type !== 'response_item') return l;
      const text = JSON.stringify(l.payload);
      if (text.includes('anything else?')) return { ...l, timestamp: 'yesterday' };
      if (text.includes('KXBAR-ANSWER-ONE')) {
        const { timestamp: _dropped, ...rest } = l;
        return rest as RolloutLine;
      }
      return l;
    });
    const dir = tempDir();
    await run(dir, [writeRollout(lines)]);
    const items = session(dir).turns.flatMap((t) => t.items);
    const at = (text: string) => items.find((i) => i.text === text)?.createdAt;
    expect(at('KXBAR-ANSWER-ONE: the notes mention the probe.')).toBe('2026-11-24T18:58:09.860Z'); // the token_count event before it
    expect(at('anything else?')).toMatch(/^2026-11-24T18:58:1/);
    expect(items.every((i) => !Number.isNaN(Date.parse(i.createdAt)))).toBe(true);
  });

  it("dates a rollout with no readable time at all, not even in its name, by the file's modification time", async () => {
    const lines = rolloutLines().map((l) => ({ ...l, timestamp: 'n/a', payload: l.type === 'session_meta' ? { ...l.payload, timestamp: 'n/a' } : l.payload }));
    const folder = writeRollout(lines, 'saved-session.jsonl');
    const file = path.join(folder, fs.readdirSync(folder)[0]!);
    fs.utimesSync(file, new Date('2025-10-03T08:00:00Z'), new Date('2025-10-03T08:00:00Z'));
    const dir = tempDir();
    await run(dir, [folder]);
    const s = session(dir);
    expect(s.startedAt).toBe('2025-10-03T08:00:00.000Z');
    expect(s.turns.map((t) => t.startedAt)).toEqual(['2025-10-03T08:00:00.000Z', '2025-10-03T08:00:00.000Z']);
  });

  it("measures a call's model time from its last input to its last output, not from its first input", async () => {
    // The first call's input opens with the tool list Codex wrote a minute before the human typed.
    const lines = rolloutLines().map((l) => (l.type === 'response_item' && l.payload.type === 'additional_tools' ? { ...l, timestamp: '2026-11-24T18:57:09.641Z' } : l));
    const dir = tempDir();
    await run(dir, [writeRollout(lines)]);
    const durations = session(dir).requests.map((r) => r.durationMs);
    expect(durations.every((d) => d !== null && d < 1000)).toBe(true);
  });
});
