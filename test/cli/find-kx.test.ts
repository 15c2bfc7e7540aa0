// The commands that talk to kx find a kx started with flags: through the flags kx start takes, and
// through the documents folder's lock (kx.lock), which records the port its kx listens on. When they
// cannot, one line says which URL and folder were tried and what to pass or set.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { freePort } from '../support/free-port.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';

const KX_BIN = path.resolve('bin/kx.js');
const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', KX_INSIGHT: 'off' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One kx command as typed in another folder; `input` is written to its standard input, which then closes. */
function kx(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KX_BIN, ...args], { cwd: tempDir('kx-cwd-'), env: { ...BASE_ENV, HOME: tempDir('kx-home-'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

/** A mistake is one line on stderr that starts with a single "kx: ". */
function expectOneLine(r: Run): void {
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(/^kx: /);
  expect(r.stderr).not.toMatch(/kx: kx:/);
}

describe('commands find a kx started with --port 0 and --documents', () => {
  let fake: FakeUpstream;
  let child: ChildProcessWithoutNullStreams;
  let documents: string;
  let port: number;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    documents = path.join(tempDir('kx-find-'), 'docs');
    child = spawn(process.execPath, [KX_BIN, 'start', '--port', '0', '--documents', documents, '--upstream', fake.baseUrl], {
      cwd: tempDir('kx-start-cwd-'),
      env: { ...BASE_ENV, HOME: tempDir('kx-home-') },
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kx did not start: ${out}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m && out.includes('  mode:')) {
          port = Number(m[1]);
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }, 30_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child) await new Promise((r) => child.on('close', r));
    await fake?.close();
  });

  it('kx sessions --documents DIR reaches the kx on that folder, whatever port it took', async () => {
    const r = await kx(['sessions', '--documents', documents]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('no sessions\n');
    expect(r.code).toBe(0);
  }, 30_000);

  it('KX_DOCUMENTS_DIR alone is enough too, for kx end', async () => {
    const r = await kx(['end'], { KX_DOCUMENTS_DIR: documents });
    expect(r.stderr).toBe('kx: no session recorded yet\n');
  }, 30_000);

  it('kx mcp --documents DIR serves the tools of the kx on that folder', async () => {
    const r = await kx(['mcp', '--documents', documents], {}, INIT + '\n');
    expect(r.stdout).toContain('"id":1');
    expect(r.stdout).toContain('"serverInfo"');
    expect(r.code).toBe(0);
  }, 30_000);

  it('a wrong token says whose token was refused and what to pass, in terms a terminal user can act on', async () => {
    const other = tempDir('kx-other-');
    fs.writeFileSync(path.join(other, 'ui-token'), 'another-token-0123456789\n');
    const r = await kx(['sessions', '--documents', other, '--port', String(port)]);
    expectOneLine(r);
    expect(r.stderr).toContain(`http://127.0.0.1:${port}`);
    expect(r.stderr).toContain(path.join(other, 'ui-token'));
    expect(r.stderr).toContain('--documents DIR');
    expect(r.stderr).toContain('KX_UI_TOKEN');
    expect(r.stderr).not.toContain('console URL');
  }, 30_000);

  it('a folder with no console token while a kx answers says that kx runs on another folder', async () => {
    const empty = tempDir('kx-empty-');
    const r = await kx(['gaps', '--documents', empty, '--port', String(port)]);
    expectOneLine(r);
    expect(r.stderr).toContain(`a kx answers at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain(empty);
    expect(r.stderr).toContain('--documents DIR');
  }, 30_000);

  it('kx mcp with a wrong token says so on stderr in one line, and to the MCP client as a JSON-RPC error', async () => {
    const other = tempDir('kx-other-');
    fs.writeFileSync(path.join(other, 'ui-token'), 'another-token-0123456789\n');
    const r = await kx(['mcp', '--documents', other, '--port', String(port)], {}, INIT + '\n');
    expectOneLine(r);
    expect(r.stderr).toContain('--documents DIR');
    const answer = JSON.parse(r.stdout.trim()) as { id: number; error: { message: string } };
    expect(answer.id).toBe(1);
    expect(answer.error.message).toBe(r.stderr.trim().replace(/^kx: /, ''));
  }, 30_000);
});

describe('commands when no kx answers', () => {
  it('say which URL and folder they tried and exactly what to pass or set', async () => {
    const port = await freePort();
    const empty = tempDir('kx-empty-');
    const r = await kx(['sessions', '--documents', empty, '--port', String(port)]);
    expectOneLine(r);
    expect(r.stderr).toContain(`http://127.0.0.1:${port}`);
    expect(r.stderr).toContain(empty);
    for (const what of ['kx start', '--documents DIR', '--port P', 'KX_DOCUMENTS_DIR', 'KX_PORT']) expect(r.stderr).toContain(what);
  }, 30_000);

  it('a folder whose kx has gone, with its token left behind, is said the same way', async () => {
    const port = await freePort();
    const left = tempDir('kx-left-');
    fs.writeFileSync(path.join(left, 'ui-token'), 'left-behind-token-0123456789\n');
    const r = await kx(['summary', '--documents', left, '--port', String(port)]);
    expectOneLine(r);
    expect(r.stderr).toContain(`kx is not answering at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain(left);
    for (const what of ['--documents DIR', '--port P', 'KX_DOCUMENTS_DIR', 'KX_PORT']) expect(r.stderr).toContain(what);
  }, 30_000);
});

describe('commands and a kx started with its own KX_UI_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('say to set the same KX_UI_TOKEN when the folder has no token, and reach kx once it is set', async () => {
    const r = await kx(['sessions', '--documents', h.config.documentsDir]);
    expectOneLine(r);
    expect(r.stderr).toContain(`the kx on ${h.config.documentsDir} (pid ${process.pid}) was started with KX_UI_TOKEN: set the same KX_UI_TOKEN`);
    const ok = await kx(['sessions', '--documents', h.config.documentsDir], { KX_UI_TOKEN: TEST_TOKEN });
    expect(ok.stdout).toBe('no sessions\n');
  }, 30_000);

  it('say the token differs, not that kx runs elsewhere, when KX_UI_TOKEN is another', async () => {
    const r = await kx(['sessions', '--documents', h.config.documentsDir], { KX_UI_TOKEN: 'not-the-token-0123456789' });
    expectOneLine(r);
    expect(r.stderr).toMatch(/refused the console token of KX_UI_TOKEN: the kx on .* was started with another KX_UI_TOKEN/);
  }, 30_000);
});
