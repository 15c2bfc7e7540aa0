// kx import codex, below the command line: a Codex rollout becomes the session kx would have recorded.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importCodexRollouts, type CodexImportOptions } from '../../src/import/codex-import.js';
import { SessionReader } from '../../src/store/session-reader.js';
import { sessionFolder, tempDir } from '../support/recording.js';
import { ROLLOUT_DIR, ROLLOUT_FILE, ROLLOUT_THREAD_ID, rolloutLines, writeRollout } from '../support/rollouts.js';

const run = (documentsDir: string, paths: string[] = [ROLLOUT_DIR], extra: Partial<CodexImportOptions> = {}) =>
  importCodexRollouts({ paths, documentsDir, queueInsights: false, ...extra });

function counts(dir: string): { sessions: number; turns: number; requests: number; items: number; jsonlLines: number } {
  const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
  try {
    const n = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    const sessionDir = sessionFolder(dir, ROLLOUT_THREAD_ID);
    const jsonlLines = ['user_actions.jsonl', 'agent_actions.jsonl']
      .map((f) => path.join(sessionDir, f))
      .filter((f) => fs.existsSync(f))
      .reduce((sum, f) => sum + fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length, 0);
    return { sessions: n('sessions'), turns: n('turns'), requests: n('requests'), items: n('items'), jsonlLines };
  } finally {
    db.close();
  }
}

function session(dir: string) {
  const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
  try {
    return new SessionReader(db).getSession(ROLLOUT_THREAD_ID)!;
  } finally {
    db.close();
  }
}

describe('kx import codex', () => {
  it('gives a line whose timestamp is not a date the time of the line before, and counts it', async () => {
    const lines = rolloutLines();
    const metaPayload = lines[0]!.payload as Record<string, unknown>;
    lines[0] = { ...lines[0]!, timestamp: 'last tuesday', payload: { ...metaPayload, timestamp: 'last tuesday' } };
    const third = lines.findIndex((l, i) => i > 2 && l.type === 'response_item');
    lines[third] = { ...lines[third]!, timestamp: '' };
    const dir = tempDir();
    const result = await run(dir, [writeRollout(lines)]);
    expect(result.timestampsRepaired).toBe(2);
    expect(result.turnsAdded).toBe(2);
    const s = session(dir);
    // The first line takes the file name's time; later ones the line before.
    expect(s.startedAt).toBe('2026-11-24T18:58:09Z');
    const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
    const times = db.prepare(`SELECT started_at FROM requests`).pluck().all() as string[];
    db.close();
    for (const t of times) expect(Number.isNaN(Date.parse(t))).toBe(false);
  });

  it("gives a line whose timestamp is not a date, with nothing dated before it, the file's modification time, and counts it", async () => {
    const lines = rolloutLines();
    lines[0] = { ...lines[0]!, timestamp: 'soon', payload: { ...(lines[0]!.payload as Record<string, unknown>), timestamp: 'soon' } };
    const file = path.join(writeRollout(lines, 'copy-of-a-session.jsonl'), 'copy-of-a-session.jsonl');
    fs.utimesSync(file, new Date('2025-10-03T08:00:00Z'), new Date('2025-10-03T08:00:00Z'));
    const dir = tempDir();
    const result = await run(dir, [file]);
    expect(result.skipped['timestamp not a date, and no dated line before it']).toBeUndefined();
    expect(result.timestampsRepaired).toBe(1);
    expect(session(dir).startedAt).toBe('2025-10-03T08:00:00.000Z');
  });

  it('records the rollout as a session named by its thread id, with its turns, items and times', async () => {
    const dir = tempDir();
    const result = await run(dir);
    const s = session(dir);
    expect(result).toMatchObject({ files: 1, sessionsChanged: 1, turnsAdded: 2, itemsAdded: 12 });
    expect(s).toMatchObject({ id: ROLLOUT_THREAD_ID, identifiedBy: 'rollout', client: 'codex_exec', startedAt: '2026-11-24T18:58:09.581Z', importedFrom: ROLLOUT_FILE });
    const db = new Database(path.join(dir, 'sessions.db'), { readonly: true });
    expect([new SessionReader(db).importedFrom(ROLLOUT_THREAD_ID), new SessionReader(db).importedFrom('never-seen')]).toEqual([ROLLOUT_FILE, null]);
    db.close();
    expect(s.turns.map((t) => [t.seq, t.clientTurnId, t.startedAt, t.status])).toEqual([
      [1, '01a20eec-3045-7502-af03-cdcc71e0d9b7', '2026-11-24T18:58:09.667Z', 'completed'],
      [2, '01a20eec-326f-7751-8a8f-b8c011559852', '2026-11-24T18:58:10.178Z', 'completed'],
    ]);
    expect(s.turns.map((t) => t.items.map((i) => [i.kind, i.text ?? i.toolName, i.createdAt]))).toEqual([
      [
        ['human_message', 'what is in notes.txt?', '2026-11-24T18:58:09.667Z'],
        ['tool_call', 'exec', '2026-11-24T18:58:09.727Z'],
        ['tool_output', null, '2026-11-24T18:58:09.858Z'],
        ['assistant_message', 'KXBAR-ANSWER-ONE: the notes mention the probe.', '2026-11-24T18:58:09.900Z'],
      ],
      [
        ['human_message', 'anything else?', '2026-11-24T18:58:10.178Z'],
        ['assistant_message', 'KXBAR-ANSWER-TWO: nothing else to add.', '2026-11-24T18:58:10.223Z'],
      ],
    ]);
  });

  it('tells injected context from the human the way live capture does', async () => {
    const dir = tempDir();
    await run(dir);
    const preamble = session(dir).preamble.map((i) => i.kind);
    expect(preamble).toEqual(['instructions', 'instructions', 'instructions', 'instructions', 'instructions', 'injected_context']);
  });

  it('keeps each model call as a request with its response id and usage', async () => {
    const dir = tempDir();
    await run(dir);
    expect(session(dir).requests.map((r) => [r.transport, r.responseId, r.outcome, r.usage.inputTokens, r.usage.outputTokens])).toEqual([
      ['rollout', 'resp_2lknxwb', 'completed', 1200, 42],
      ['rollout', 'resp_6d3487a', 'completed', 1200, 42],
      ['rollout', 'resp_9ct5idv', 'completed', 1200, 42],
    ]);
  });

  it('writes the jsonl files too', async () => {
    const dir = tempDir();
    await run(dir);
    const user = fs.readFileSync(path.join(sessionFolder(dir, ROLLOUT_THREAD_ID), 'user_actions.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(user.map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['what is in notes.txt?', 'anything else?']);
  });

  it('reports the cwd Codex ran in', async () => {
    const sessions: string[] = [];
    await run(tempDir(), [ROLLOUT_DIR], { onSession: (s) => sessions.push(`${s.sessionId} ${s.cwd}`) });
    expect(sessions).toEqual([`${ROLLOUT_THREAD_ID} /home/dev/demo-project`]);
  });

  it('adds nothing when the same rollout is imported twice', async () => {
    const dir = tempDir();
    await run(dir);
    const before = counts(dir);
    const second = await run(dir);
    expect(second).toMatchObject({ sessionsChanged: 0, sessionsUnchanged: 1, turnsAdded: 0, itemsAdded: 0, itemsRead: 12 });
    expect(counts(dir)).toEqual(before);
    expect(before).toMatchObject({ sessions: 1, turns: 2, requests: 3, items: 12 });
  });

  it('adds only the new turn when the rollout has grown since the last import', async () => {
    const lines = rolloutLines();
    const secondTurnAt = lines.findIndex((l) => l.type === 'event_msg' && l.payload.type === 'task_complete');
    const dir = tempDir();
    await run(dir, [writeRollout(lines.slice(0, secondTurnAt + 1))]);
    const grown = await run(dir, [writeRollout(lines)]);
    expect(grown).toMatchObject({ turnsAdded: 1, itemsAdded: 2 });
    expect(session(dir).turns.map((t) => t.items.map((i) => i.text ?? i.kind))).toEqual([
      ['what is in notes.txt?', 'tool_call', 'tool_output', 'KXBAR-ANSWER-ONE: the notes mention the probe.'],
      ['anything else?', 'KXBAR-ANSWER-TWO: nothing else to add.'],
    ]);
  });

  it('counts lines of older rollout shapes and unknown line types as skipped', async () => {
    const dir = tempDir();
    const lines = [
      ...rolloutLines(),
      '{"record_type":"state"}',
      '{"type":"message","role":"user","content":[{"type":"input_text","text":"a bare item from an older rollout"}]}',
      { timestamp: '2026-11-24T18:58:11.000Z', type: 'future_line_type', payload: {} },
    ];
    const result = await run(dir, [writeRollout(lines)]);
    expect(result.skipped).toEqual({ 'no line type': 2, 'unknown line type future_line_type': 1 });
    expect(result.itemsAdded).toBe(12);
  });

  it('survives malformed lines and keeps every good one', async () => {
    const dir = tempDir();
    const lines: Array<string | ReturnType<typeof rolloutLines>[number]> = [];
    for (const [i, line] of rolloutLines().entries()) {
      lines.push(line);
      if (i === 3) lines.push('{"timestamp":"2026-11-24T18:58:09.700Z","type":"response_item","payload":');
      if (i === 5) lines.push('\u0000\u0001 not json at all');
      if (i === 8) lines.push('{"timestamp":"x","type":"response_item","payload":{"type":"message","role":42,"content":{"bad":true}}}');
      if (i === 9) lines.push('{"timestamp":"x","type":"session_meta","payload":{"id":7}}');
      if (i === 10) lines.push('{"timestamp":"x","type":"turn_context","payload":{"turn_id":["not","a","string"]}}');
      if (i === 12) lines.push('[1,2,3]', 'null', '"string"');
    }
    const result = await run(dir, [writeRollout(lines)]);
    expect(result.failed).toEqual([]);
    expect(result.skipped).toMatchObject({ 'not JSON': 2, 'no line type': 3, 'turn_context of an unknown shape': 1 });
    const s = session(dir);
    expect(s.turns.flatMap((t) => t.items.filter((i) => i.kind === 'human_message').map((i) => i.text))).toEqual(['what is in notes.txt?', 'anything else?']);
  });

  /** JSON as Python's json.dumps writes it by default: a space after every `:` and `,`. */
  const pythonDumps = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(pythonDumps).join(', ')}]`
    : v && typeof v === 'object' ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonDumps(x)}`).join(', ')}}`
    : JSON.stringify(v);

  it("imports a rollout written with spaces after ':' and ',' (Python's json.dumps) as the same session, whatever its file is called", async () => {
    const spaced = rolloutLines().map(pythonDumps);
    expect(spaced[0]!.length).toBeGreaterThan(512); // the whole first line is read, not only the head
    for (const [name, given] of [['rollout-2026-11-24T18-58-09-' + ROLLOUT_THREAD_ID + '.jsonl', 'file'], ['bug-repro.jsonl', 'folder']] as const) {
      const folder = writeRollout(spaced, name);
      const dir = tempDir();
      const result = await run(dir, [given === 'file' ? path.join(folder, name) : folder]);
      expect(result).toMatchObject({ files: 1, unsupported: [], sessionsChanged: 1, turnsAdded: 2, itemsAdded: 12 });
      expect(session(dir).startedAt).toBe('2026-11-24T18:58:09.581Z');
    }
  });

  it('reads a first line whose keys come in another order', async () => {
    const lines = rolloutLines();
    const { payload, ...rest } = lines[0]!;
    const dir = tempDir();
    const reordered = JSON.stringify({ type: rest.type, payload, timestamp: rest.timestamp });
    const result = await run(dir, [writeRollout([reordered, ...lines.slice(1)], 'copy.jsonl')]);
    expect(result).toMatchObject({ files: 1, sessionsChanged: 1, turnsAdded: 2 });
  });

  it('takes the thread id from the file name when a rollout has no session_meta', async () => {
    const dir = tempDir();
    await run(dir, [writeRollout(rolloutLines().filter((l) => l.type !== 'session_meta'))]);
    expect(session(dir).turns).toHaveLength(2);
  });

  it('leaves out sessions that started before --since', async () => {
    const dir = tempDir();
    const before = await run(dir, [ROLLOUT_DIR], { since: new Date('2026-11-25') });
    expect(before).toMatchObject({ sessionsBeforeSince: 1, sessionsChanged: 0, itemsAdded: 0 });
    expect(counts(dir)).toMatchObject({ sessions: 0, items: 0 });
    const onTheDay = await run(dir, [ROLLOUT_DIR], { since: new Date('2026-11-24') });
    expect(onTheDay).toMatchObject({ sessionsBeforeSince: 0, sessionsChanged: 1, itemsAdded: 12 });
  });

  it('hands every imported session to the insight seam, with its new turns or none, unless told not to', async () => {
    const queued: string[][] = [];
    const queueInsightsFor = (s: { newTurnIds: string[] }) => void queued.push(s.newTurnIds);
    await run(tempDir(), [ROLLOUT_DIR], { queueInsights: false, queueInsightsFor });
    expect(queued).toEqual([]);
    const dir = tempDir();
    await run(dir, [ROLLOUT_DIR], { queueInsights: true, queueInsightsFor });
    expect(queued).toEqual([session(dir).turns.map((t) => t.id)]);
    // Again with nothing new: the seam still hears of it, to queue what an earlier --no-insight left out.
    await run(dir, [ROLLOUT_DIR], { queueInsights: true, queueInsightsFor });
    expect(queued).toEqual([session(dir).turns.map((t) => t.id), []]);
  });
});
