// `kx mcp`: the stdio MCP server for clients that only start those, run as a client runs it (a child
// process), relaying to the running kx's /mcp.

import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { seedMcpStore, SHOP_ID, type McpSeed } from '../support/mcp-seed.js';
import { tempDir } from '../support/recording.js';

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
});
