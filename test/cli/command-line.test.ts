// The kx command as a person runs it off a terminal (a spawned process, output piped): help for each
// command, strict options, plain errors with exit code 2, never a stack trace.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKx } from '../support/kx-process.js';
import { tempDir } from '../support/recording.js';

const KX_BIN = path.resolve('bin/kx.js');

const kx = (args: string[], env: Record<string, string> = {}) => runKx(args, env);

describe('kx on the command line', () => {
  it.each(['start', 'import', 'sessions', 'end', 'gaps', 'summary', 'notes', 'approve', 'codex'])('kx %s --help prints that command’s usage', async (cmd) => {
    const r = await kx([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: kx ${cmd}\\b`));
    expect(r.stderr).toBe('');
  }, 30_000);

  it('refuses an unknown option of kx start with exit code 2, naming it', async () => {
    const r = await kx(['start', '--prot', '9999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kx: unknown option --prot \(did you mean --port\?\)\nUsage: kx start/);
  }, 30_000);

  it('says a busy port is busy and how to choose another, without a stack trace', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await kx(['start', '--port', String(port), '--documents', tempDir('kx-docs-')], { KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^kx: port ${port} on 127.0.0.1 is in use \\(another kx\\?\\)\\. Choose another with --port N, or KX_PORT=N in `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
  }, 30_000);

  it('says a documents path under a file is one, in a line, without a stack trace', async () => {
    const file = path.join(tempDir('kx-file-'), 'a-file');
    fs.writeFileSync(file, '');
    const r = await kx(['start', '--port', '0', '--documents', path.join(file, 'docs')], { KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' });
    expect(r.stderr).toBe(`kx: cannot make the folder ${path.join(file, 'docs')}: ${file} is a file, not a folder\n`);
    expect(r.code).toBe(2);
  }, 30_000);

  it('refuses a documents folder that cannot be made under /proc at once, instead of spinning', async () => {
    const r = await kx(['start', '--port', '0', '--documents', '/proc/nope'], { KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' });
    expect(r.stderr).toMatch(/^kx: cannot make the folder \/proc\/nope \(ENOENT/);
    expect(r.code).toBe(2);
  }, 30_000);

  it('says a bad --port plainly, naming the flag, the range and what was typed', async () => {
    const r = await kx(['start', '--port', 'abc']);
    expect(r.stderr).toBe('kx: --port must be a number from 1 to 65535 (0 picks a free port), got "abc"\n');
    expect(r.code).toBe(2);
  }, 30_000);

  it('kx help sessions prints the help of kx sessions, and kx help nope says there is no such command', async () => {
    const r = await kx(['help', 'sessions']);
    expect(r.stdout).toBe((await kx(['sessions', '--help'])).stdout);
    expect(r.stdout).toMatch(/^Usage: kx sessions/);
    const nope = await kx(['help', 'nope']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/^kx: unknown command nope\n/);
  }, 30_000);

  it('ends quietly with exit code 0 when its output is closed early (kx help | head -0), as Unix tools do', async () => {
    const child = spawn(process.execPath, [KX_BIN, 'help', 'sessions'], { cwd: tempDir('kx-cwd-'), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader has gone before kx writes: its write meets EPIPE
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);

  it('kx start whose output is closed stops gracefully, as when its terminal closes: exit 0, its lock given back', async () => {
    const documents = tempDir('kx-docs-');
    const child = spawn(process.execPath, [KX_BIN, 'start', '--port', '0', '--documents', documents], {
      cwd: tempDir('kx-cwd-'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir('kx-home-'), KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(documents, 'kx.lock'))).toBe(false);
  }, 30_000);

  it('refuses a day that does not exist in --since, in one line', async () => {
    for (const day of ['2026-02-30', '2026-13-01', '2026-04-31T10:00:00Z']) {
      const r = await kx(['import', 'codex', '--since', day]);
      expect(r.stderr).toMatch(new RegExp(`^kx: --since .*got "${day}"\n`));
      expect(r.code).toBe(2);
    }
  }, 30_000);

  it('lists every command and each of its forms in kx --help, and no npx', async () => {
    const r = await kx(['--help']);
    for (const cmd of ['start', 'codex', 'import', 'sessions', 'end', 'gaps', 'gaps resolve', 'gaps reopen', 'summary', 'notes', 'mode', 'approve']) expect(r.stdout).toContain(`  kx ${cmd}`);
    expect(r.stdout).not.toContain('npx');
  }, 30_000);

  it('kx --help shows kx mcp with the --documents an MCP client must pass it for a kx started with one', async () => {
    const r = await kx(['--help']);
    expect(r.stdout).toMatch(/^  kx mcp \[--documents DIR\]/m);
    const mcp = (await kx(['mcp', '--help'])).stdout;
    expect(mcp).toMatch(/^Usage: kx mcp \[--documents DIR\]/);
    expect(mcp).toContain('give it the --documents DIR kx start was given');
  }, 30_000);

  it('kx start, run from another folder, says which documents folder and settings it uses', async () => {
    const documents = tempDir('kx-docs-');
    const child = spawn(process.execPath, [KX_BIN, 'start', '--port', '0', '--documents', documents], {
      cwd: tempDir('kx-elsewhere-'),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir('kx-home-'), KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no console line: ${stdout}${stderr}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('  mode:')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`kx ${lines[0]!.split(' ')[1]} recording to ${documents}`);
    expect(lines[1]).toMatch(/^  settings: (no proxy\.env in |\/).*/);
    expect(lines[1]).toContain(path.resolve('.'));
    // Not the folder the other commands use by default: kx says what to give them.
    expect(lines).toContain(`  commands: this kx is not on the default documents folder; give kx sessions, end, notes… --documents ${documents}`);
    // People read the screen; the log on stderr is plain lines too (JSON only when asked), and no line there repeats one here.
    expect(stdout).not.toMatch(/^\{/m);
    expect(stderr).not.toMatch(/^\{/m);
  }, 30_000);
});
