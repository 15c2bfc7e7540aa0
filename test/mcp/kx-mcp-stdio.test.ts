// `kx mcp`: the stdio MCP server for clients that only start those, run as a client runs it (a child
// process), relaying to the running kx's /mcp.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { seedMcpStore, SHOP_ID, type McpSeed } from '../support/mcp-seed.js';
import { projectSlug } from '../../src/capture/project.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { freePort } from '../support/free-port.js';
import { tempDir } from '../support/recording.js';

/** `kx mcp` as a client starts it: a child process with pipes, killed after `timeoutMs` if still running. */
function startKxMcp(env: Record<string, string>, timeoutMs = 15_000) {
  const child = spawn(process.execPath, [path.resolve('bin/kx.js'), 'mcp'], { cwd: tempDir('kx-mcp-cwd-'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, exited, stdout: () => stdout };
}

describe('kx mcp (stdio)', () => {
  let h: Harness;
  let seed: McpSeed;
  let client: Client;

  beforeAll(async () => {
    h = await startHarness();
    seed = seedMcpStore(h.kx);
    client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [path.resolve('bin/kx.js'), 'mcp'],
        cwd: tempDir('kx-mcp-cwd-'),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KX_PORT: new URL(h.kx.url).port, KX_UI_TOKEN: TEST_TOKEN },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await h?.close();
  });

  it("lists kx's tools and answers a call with the running kx's record, scoped like the HTTP server", async () => {
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['gaps', 'playbook', 'profile', 'search', 'turn']);
    const res = await client.callTool({ name: 'search', arguments: { query: 'deploy' }, _meta: { sessionId: seed.shopNow } });
    const text = (res.content as Array<{ text: string }>)[0]!.text;
    expect(text).toContain(`project ${SHOP_ID} (the asking session's)`);
    expect(text).toContain(`session ${seed.shopPast} turn 1`);
    expect(text).not.toContain(seed.blogPast);
  });

  it('started in a folder inside a known project, scopes a client that cannot name its session to that project', async () => {
    const root = tempDir('kx-mcp-project-');
    const deep = path.join(root, 'src', 'deep');
    fs.mkdirSync(deep, { recursive: true });
    const db = h.kx.store.db;
    const [own] = seedSessions(db, { sessions: 1, turnsPerSession: 1, idPrefix: 'deep', humanText: () => 'how do we deploy the deep project?' });
    db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)`).run(projectSlug(root), root, '2026-01-05T10:00:00.000Z');
    db.prepare(`UPDATE sessions SET project = ?, cwd = ? WHERE id = ?`).run(projectSlug(root), root, own);
    h.kx.search.catchUp();
    const inside = new Client({ name: 'stdio-deep', version: '1.0.0' });
    await inside.connect(new StdioClientTransport({ command: process.execPath, args: [path.resolve('bin/kx.js'), 'mcp'], cwd: deep, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KX_PORT: new URL(h.kx.url).port, KX_UI_TOKEN: TEST_TOKEN } }));
    try {
      const res = await inside.callTool({ name: 'search', arguments: { query: 'deploy' } });
      const text = (res.content as Array<{ text: string }>)[0]!.text;
      expect(text).toContain(`in project ${projectSlug(root)}`);
      expect(text).toContain(own);
      expect(text).not.toContain(seed.shopPast);
    } finally {
      await inside.close();
    }
  }, 30_000);

  it('exits when the client closes its input', async () => {
    const mcp = startKxMcp({ KX_PORT: new URL(h.kx.url).port, KX_UI_TOKEN: TEST_TOKEN });
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'closer', version: '1' } } };
    mcp.child.stdin.write(JSON.stringify(init) + '\n');
    await expect.poll(() => mcp.stdout(), { timeout: 10_000 }).toContain('"id":1');
    mcp.child.stdin.end();
    const run = await mcp.exited;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  }, 30_000);
});

describe('kx mcp with kx down', () => {
  it('says in one plain line that kx is not answering and how to start it, with no stack trace', async () => {
    const port = await freePort();
    const run = await startKxMcp({ KX_PORT: String(port), KX_UI_TOKEN: TEST_TOKEN }).exited;
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^kx: kx is not answering at http://127\\.0\\.0\\.1:${port} \\(tried for the documents folder .*\\): start it with kx start, or point this command at the running one with --documents DIR or --port P \\(or KX_DOCUMENTS_DIR, KX_PORT\\)\n$`));
  }, 30_000);
});
