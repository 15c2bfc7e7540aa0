// `kx import codex` as a person runs it: Codex's default folders, what it prints, how it refuses bad input.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/import-command.js';
import { sessionFolder, tempDir } from '../support/recording.js';
import { ROLLOUT_FILE, ROLLOUT_THREAD_ID, rolloutLines, writeRollout } from '../support/rollouts.js';

const KX_BIN = path.resolve('bin/kx.js');
const ARCHIVED_THREAD_ID = '01a20eec-3028-7041-a745-00000000a4c1';

/** A Codex home with the fixture under sessions/YYYY/MM/DD and a second thread in archived_sessions. */
function codexHome(): string {
  const home = tempDir('kx-codex-home-');
  const day = path.join(home, 'sessions/2026/11/24');
  fs.mkdirSync(day, { recursive: true });
  fs.copyFileSync(ROLLOUT_FILE, path.join(day, path.basename(ROLLOUT_FILE)));
  fs.mkdirSync(path.join(home, 'archived_sessions'));
  const archived = fs.readFileSync(ROLLOUT_FILE, 'utf8').replaceAll(ROLLOUT_THREAD_ID, ARCHIVED_THREAD_ID);
  fs.writeFileSync(path.join(home, 'archived_sessions', `rollout-2026-11-20T09-00-00-${ARCHIVED_THREAD_ID}.jsonl`), archived);
  return home;
}

function runKx(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KX_BIN, ...args], { cwd: tempDir('kx-cwd-'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

class Screen extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('kx import codex (command line)', () => {
  it("reads $CODEX_HOME's sessions and archived_sessions and prints a line per session when not on a terminal", async () => {
    const documents = tempDir('kx-docs-');
    const { code, stdout } = await runKx(['import', 'codex', '--documents', documents], { CODEX_HOME: codexHome() });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(1)).toEqual([
      `${ARCHIVED_THREAD_ID}  2 turns, 12 items added  /home/dev/demo-project`,
      `${ROLLOUT_THREAD_ID}  2 turns, 12 items added  /home/dev/demo-project`,
      expect.stringMatching(/^imported 2 rollouts: 4 turns and 24 items added to 2 sessions \(\d+\.\d s\)$/),
      expect.stringMatching(/^queued 6 insight jobs /),
      expect.stringMatching(/^To import without them: /),
    ]);
    expect(fs.existsSync(path.join(sessionFolder(documents, ROLLOUT_THREAD_ID), 'user_actions.jsonl'))).toBe(true);
  });

  it('says nothing new for a session already imported', async () => {
    const documents = tempDir('kx-docs-');
    const env = { CODEX_HOME: codexHome() };
    await runKx(['import', 'codex', '--documents', documents], env);
    const { stdout } = await runKx(['import', 'codex', '--documents', documents, '--no-insight'], env);
    expect(stdout).toContain(`${ROLLOUT_THREAD_ID}  nothing new  /home/dev/demo-project`);
  });

  it('refuses a --since that is not a date, with exit code 2', async () => {
    const { code, stderr } = await runKx(['import', 'codex', '--since', 'last week'], { CODEX_HOME: codexHome() });
    expect(code).toBe(2);
    expect(stderr).toContain('--since needs a date such as 2026-11-01');
  });

  it('refuses a path that is not there, with exit code 2', async () => {
    const { code, stderr } = await runKx(['import', 'codex', '/no/such/rollouts'], {});
    expect(code).toBe(2);
    expect(stderr).toBe('kx: no such file or folder: /no/such/rollouts\n');
  });

  it('prints thread ids and folders from a rollout with their control characters escaped', async () => {
    const folder = tempDir('kx-hostile-');
    const hostile = fs
      .readFileSync(ROLLOUT_FILE, 'utf8')
      .replaceAll(ROLLOUT_THREAD_ID, 'evil\\u001b[2J\\u0000id')
      .replaceAll('/home/dev/demo-project', '/home/dev/\\u001b]0;owned\\u0007x');
    fs.writeFileSync(path.join(folder, 'rollout-2026-11-24T10-00-00.jsonl'), hostile);
    const screen = new Screen(false);
    await importCommand(['codex', folder, '--no-insight', '--documents', tempDir('kx-docs-')], { out: screen, env: {}, cwd: tempDir() });
    expect(screen.text).not.toMatch(/[\u0000\u0007\u001b]/);
    expect(screen.text).toContain('evil\\e[2J\\0id  2 turns');
    expect(screen.text).toContain('/home/dev/\\e]0;owned\\x07x');
  });

  it('exits 1, saying why, when the one file it was given cannot be read as a rollout', async () => {
    const file = path.join(tempDir(), 'notes.jsonl');
    fs.writeFileSync(file, '{"hello":"not a rollout"}\n');
    const screen = new Screen(false);
    const code = await importCommand(['codex', file, '--no-insight', '--documents', tempDir('kx-docs-')], { out: screen, env: {}, cwd: tempDir() });
    expect(code).toBe(1);
    expect(screen.text).toContain('left out 1 file kx cannot read (first line is not a session_meta)');
  });

  it('draws a progress bar instead of session lines on a terminal', async () => {
    const screen = new Screen(true);
    const code = await importCommand(['codex', '--documents', tempDir('kx-docs-')], { out: screen, env: { CODEX_HOME: codexHome() }, cwd: tempDir() });
    expect(code).toBe(0);
    expect(screen.text).toContain('\r[##############################] 100%  2/2 files  24 items added');
    expect(screen.text).not.toContain(ROLLOUT_THREAD_ID);
  });

  it('passes --no-insight down as queueInsights: false', async () => {
    const queued: string[] = [];
    const io = (home: string) => ({ out: new Screen(false), env: { CODEX_HOME: home }, cwd: tempDir(), queueInsightsFor: (s: { sessionId: string }) => void queued.push(s.sessionId) });
    await importCommand(['codex', '--no-insight', '--documents', tempDir('kx-docs-')], io(codexHome()));
    expect(queued).toEqual([]);
    await importCommand(['codex', '--documents', tempDir('kx-docs-')], io(codexHome()));
    expect(queued).toEqual([ARCHIVED_THREAD_ID, ROLLOUT_THREAD_ID]);
  });
});

/** The insight jobs of a documents folder, by kind. */
function jobCounts(documents: string): { turn: number; session: number } {
  const db = new Database(path.join(documents, 'sessions.db'), { readonly: true });
  try {
    const rows = db.prepare(`SELECT kind, COUNT(*) AS n FROM insight_jobs GROUP BY kind`).all() as Array<{ kind: 'turn' | 'session'; n: number }>;
    return { turn: 0, session: 0, ...Object.fromEntries(rows.map((r) => [r.kind, r.n])) };
  } finally {
    db.close();
  }
}

const JOBS_LINE = /^queued (\d+) insight jobs? \((\d+) turns?, (\d+) session summar(?:y|ies)\) for gpt-5: about ([\d,]+) input tokens/m;

async function importedNotice(args: string[], env: Record<string, string>): Promise<{ text: string; documents: string }> {
  const documents = tempDir('kx-docs-');
  const screen = new Screen(false);
  const code = await importCommand(['codex', ...args, '--documents', documents], { out: screen, env, cwd: tempDir() });
  expect(code).toBe(0);
  return { text: screen.text, documents };
}

const tokensIn = (text: string): number => Number(JOBS_LINE.exec(text)![4]!.replaceAll(',', ''));

describe('kx import codex says what it leaves the insight engine to do', () => {
  it('says how many insight jobs it queued, of which kinds, as many as the store holds', async () => {
    const { text, documents } = await importedNotice([], { CODEX_HOME: codexHome() });
    const m = JOBS_LINE.exec(text);
    expect(m, text).not.toBeNull();
    const jobs = jobCounts(documents);
    expect([Number(m![1]), Number(m![2]), Number(m![3])]).toEqual([jobs.turn + jobs.session, jobs.turn, jobs.session]);
    expect(jobs).toEqual({ turn: 4, session: 2 });
  });

  it('estimates their cost in input tokens from what the imported turns hold, never above the per-call cap', async () => {
    const small = tokensIn((await importedNotice([], { CODEX_HOME: codexHome() })).text);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(6 * 12_000);
    // One agent message 40,000 characters longer: about 10,000 tokens more, still under the cap of its call.
    const lines = rolloutLines();
    const answer = [...lines].reverse().find((l) => l.type === 'response_item' && l.payload.type === 'message' && l.payload.role === 'assistant')!;
    const content = answer.payload.content as Array<{ text: string }>;
    content[0]!.text += ' and more'.repeat(4000);
    const bigger = tokensIn((await importedNotice([writeRollout(lines)], {})).text);
    const one = tokensIn((await importedNotice([writeRollout(rolloutLines())], {})).text);
    expect(bigger - one).toBeGreaterThan(7_000);
    expect(bigger - one).toBeLessThan(12_000);
  });

  it('says how to import without them, and that way queues none and says so', async () => {
    const home = codexHome();
    const { text } = await importedNotice([], { CODEX_HOME: home });
    expect(text).toContain('To import without them: kx import codex --no-insight');
    const skipped = await importedNotice(['--no-insight'], { CODEX_HOME: home });
    expect(jobCounts(skipped.documents)).toEqual({ turn: 0, session: 0 });
    expect(skipped.text).toContain('no insight jobs queued (--no-insight)');
  });

  it('queues what --no-insight left out when the same sessions are imported again without it, and says so at --no-insight time', async () => {
    const home = codexHome();
    const documents = tempDir('kx-docs-');
    const run = async (args: string[]) => {
      const screen = new Screen(false);
      expect(await importCommand(['codex', ...args, '--documents', documents], { out: screen, env: { CODEX_HOME: home }, cwd: tempDir() })).toBe(0);
      return screen.text;
    };
    expect(await run(['--no-insight'])).toContain('no insight jobs queued (--no-insight); to queue them later, import the same sessions again without it');
    const again = await run([]);
    expect(jobCounts(documents)).toEqual({ turn: 4, session: 2 });
    expect(JOBS_LINE.exec(again)?.slice(1, 4)).toEqual(['6', '4', '2']);
    expect(await run([])).toContain('no insight jobs queued: nothing new to read');
  });

  it('says no job was queued when insight is off', async () => {
    const { text, documents } = await importedNotice([], { CODEX_HOME: codexHome(), KX_INSIGHT: 'off' });
    expect(jobCounts(documents)).toEqual({ turn: 0, session: 0 });
    expect(text).toContain('no insight jobs queued (KX_INSIGHT=off)');
  });

  it('says so on the command line too, after the summary', async () => {
    const { code, stdout } = await runKx(['import', 'codex', '--documents', tempDir('kx-docs-')], { CODEX_HOME: codexHome() });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-2)).toMatch(JOBS_LINE);
  });
});
