// `kx import codex` as a person runs it: Codex's default folders, what it prints, how it refuses bad input.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/import-command.js';
import { sessionFolder, tempDir } from '../support/recording.js';
import { ROLLOUT_FILE, ROLLOUT_THREAD_ID } from '../support/rollouts.js';

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
