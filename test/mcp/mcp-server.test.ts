// kx's memory over MCP, as an MCP client sees it: the official SDK's client against /mcp on a running kx
// whose store holds two projects (test/support/mcp-seed.ts).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { mcpTokenOf } from '../../src/api/auth.js';
import { Memory } from '../../src/mcp/memory.js';

const MCP_TOKEN = mcpTokenOf(TEST_TOKEN);
import { BLOG_ID, RAW_KEY, SHOP, SHOP_ID, seedMcpStore, type McpSeed } from '../support/mcp-seed.js';

const HUGE = 400_000;

describe('kx MCP server', () => {
  let h: Harness;
  let seed: McpSeed;
  let client: Client;

  /** A tool call as Codex 0.169 makes it: the asking session in `_meta` (docs/protocol.md, "MCP tools"). */
  const call = async (name: string, args: Record<string, unknown>, sessionId?: string): Promise<string> => {
    const _meta = sessionId ? { 'x-codex-turn-metadata': { session_id: sessionId, turn_id: 'turn-x' }, sessionId } : undefined;
    const res = await client.callTool({ name, arguments: args, ...(_meta ? { _meta } : {}) });
    const content = res.content as Array<{ type: string; text: string }>;
    expect(res.isError ?? false).toBe(false);
    return content.map((c) => c.text).join('\n');
  };

  const connect = async (token = MCP_TOKEN, path = '/mcp'): Promise<Client> => {
    const c = new Client({ name: 'kx-test', version: '1.0.0' });
    await c.connect(new StreamableHTTPClientTransport(new URL(path, h.kx.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return c;
  };

  beforeAll(async () => {
    h = await startHarness();
    seed = seedMcpStore(h.kx, { hugeOutputChars: HUGE });
    client = await connect();
  });
  afterAll(async () => {
    await client?.close();
    await h?.close();
  });

  it('lists five read-only tools whose descriptions say when to use them', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['gaps', 'playbook', 'profile', 'search', 'turn']);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint).toBe(true);
      expect(t.description).toMatch(/\bUse it\b/);
    }
  });

  it('search teaches the model to ask with a few distinctive words and synonyms, and each hit says which words matched and where', async () => {
    const { tools } = await client.listTools();
    const search = tools.find((t) => t.name === 'search')!;
    expect(search.description).toMatch(/a few distinctive words/);
    expect(search.description).toMatch(/synonyms/);
    const text = await call('search', { query: 'deploy staging' }, seed.shopNow);
    expect(text).toMatch(/matched "deploy", "staging" in human said/);
  });

  it('says a query of words every session has ("how did we fix it") has nothing to look for, and what to ask with instead', async () => {
    const text = await call('search', { query: 'how did we fix it last time?' }, seed.shopNow);
    expect(text).toMatch(/nothing to look for/i);
    expect(text).toMatch(/an error name, a file, a component/);
    expect(text).not.toMatch(/No past session/);
  });

  it('a hit found by meaning alone says so, with how close it is', async () => {
    const near = { sessionId: seed.shopPast, project: SHOP_ID, score: 0.03, turnId: null, turnSeq: 1, words: [], docs: [], near: { turnId: 't', distance: 0.25 } };
    const memory = new Memory({ db: h.kx.store.db, search: h.kx.search, sessions: { sessions: async () => [near] }, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
    const text = await memory.search({ query: 'shipping the store to the test server', project: 'all' }, {});
    expect(text).toContain('found by meaning, none of its words: close to the query (embeddings, cosine similarity 0.75)');
  });

  it("search finds the asking session's project's past words, cites session, turn, date and console link, and leaves the asking session out", async () => {
    const text = await call('search', { query: 'deploy' }, seed.shopNow);
    expect(text).toContain(`project ${SHOP_ID} (the asking session's)`);
    expect(text).toContain(`session ${seed.shopPast} turn 1, 2026-01-01 00:00 UTC`);
    expect(text).toContain(`${h.kx.url}/ui/#/sessions/${seed.shopPast}/turns/1`);
    expect(text).toContain('how do we **deploy** the shop to staging?');
    expect(text).not.toContain(seed.shopNow);
  });

  it("never shows another project's hit unless asked for it", async () => {
    const own = await call('search', { query: 'deploy' }, seed.shopNow);
    expect(own).not.toContain(seed.blogPast);
    expect(own).not.toContain('hugo');
    const blog = await call('search', { query: 'deploy', project: BLOG_ID }, seed.shopNow);
    expect(blog).toContain(seed.blogPast);
    expect(blog).not.toContain(seed.shopPast);
    const all = await call('search', { query: 'deploy', project: 'all' }, seed.shopNow);
    expect(all).toContain(seed.blogPast);
    expect(all).toContain(seed.shopPast);
  });

  it('takes a project by its folder path too, and names the known projects when the one asked for does not exist', async () => {
    expect(await call('search', { query: 'deploy', project: SHOP })).toContain(seed.shopPast);
    const unknown = await call('search', { query: 'deploy', project: '/nowhere' });
    expect(unknown).toContain('kx knows no project "/nowhere"');
    expect(unknown).toContain(SHOP_ID);
  });

  it('gaps lists the project gaps with their evidence and how resolved ones were resolved', async () => {
    const text = await call('gaps', {}, seed.shopNow);
    expect(text).toContain('RESOLVED <quote>staging deploy</quote>: <quote>Which command deploys to staging?</quote>');
    expect(text).toContain('Evidence: <quote>how do we deploy the shop to staging?</quote>');
    expect(text).toContain('make ship ENV=staging, after the tests pass');
    expect(text).not.toContain('hugo');
    expect(await call('gaps', { status: 'open' }, seed.shopNow)).toContain('No open gaps');
  });

  it('playbook gives the steps that worked, in order, with their commands, filtered by topic', async () => {
    const text = await call('playbook', {}, seed.shopNow);
    expect(text).toMatch(/1\. <quote>Run the tests<\/quote> command: <command>npm test<\/command>[\s\S]*2\. <quote>Deploy to staging<\/quote> command: <command>make ship ENV=staging<\/command> why: <quote>the Makefile sets the right bucket<\/quote>/);
    expect(text).toContain('<quote>Deploying the shop to staging</quote>');
    expect(text).toMatch(/<quote>Deploying the shop to staging<\/quote>, session \S+, [^\n]*\(http:\/\/127\.0\.0\.1:\d+\/ui\/#\/sessions\/\S+\)/);
    const deploy = await call('playbook', { topic: 'staging' }, seed.shopNow);
    expect(deploy).toContain('make ship ENV=staging');
    expect(deploy).not.toContain('npm test');
  });

  it("profile gives the project's profile page", async () => {
    const text = await call('profile', {}, seed.shopNow);
    expect(text).toContain(`# ${SHOP}: read before your next session`);
    expect(text).toContain('**staging deploy**: make ship ENV=staging, after the tests pass');
  });

  it('turn gives one past turn in full, and a huge tool output keeps its head and tail within the budget', async () => {
    const text = await call('turn', { session: seed.shopPast, turn: 1 });
    expect(text).toContain('<human>\nhow do we deploy the shop to staging?\n</human>');
    expect(text).toContain('<tool_call tool="exec_command">');
    expect(text).toContain('FIRST-LINE of the build log');
    expect(text).toContain('LAST-LINE: deploy finished');
    expect(text).toMatch(/characters cut/);
    expect(text.length).toBeLessThan(8_000); // the 2,000-token answer budget, at 4 characters a token
    expect(await call('turn', { session: seed.shopPast, turn: 9 })).toContain('has turns 1 to 2; there is no turn 9');
  });

  it('keeps every search answer within the budget, and a hit in a huge tool output does not crowd out the others', async () => {
    const text = await call('search', { query: 'deploy' }, seed.shopNow);
    expect(text).toContain('1 session matching');
    const huge = await call('search', { query: 'deploy finished' }, seed.shopNow);
    expect(huge).toContain('**deploy finished**');
    expect(huge.length).toBeLessThan(8_000);
    expect(text).not.toContain('more not shown');
    expect(text.length).toBeLessThan(8_000);
    const many = await call('search', { query: 'x', project: 'all', limit: 20 });
    expect(many.length).toBeLessThan(8_000);
  });

  it('shows secrets redacted, even ones that reached the store raw', async () => {
    const hit = await call('search', { query: 'payment sandbox' }, seed.shopNow);
    const turn = await call('turn', { session: seed.shopPast, turn: 2 });
    for (const text of [hit, turn]) {
      expect(text).not.toContain(RAW_KEY);
      expect(text).toContain('[REDACTED:api-key]');
    }
  });

  it('counts the memory lookups each session made', async () => {
    const before = h.kx.reader.getSummary(seed.shopNow)!.memoryLookups;
    await call('search', { query: 'tests' }, seed.shopNow);
    await call('gaps', {}, seed.shopNow);
    expect(h.kx.reader.getSummary(seed.shopNow)!.memoryLookups).toBe(before + 2);
    expect(h.kx.reader.getSummary(seed.blogPast)!.memoryLookups).toBe(0);
  });

  it('answers 401 without the token, and the SDK client fails to connect', async () => {
    const res = await fetch(`${h.kx.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    await expect(connect('wrong-token')).rejects.toThrow();
    await expect(connect(TEST_TOKEN)).rejects.toThrow(); // the console token is not the agent's
  });

  it('refuses a request from a web page on another origin, even with the token, and a foreign Host', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${h.kx.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${MCP_TOKEN}`, ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    const { default: http } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL('/mcp', h.kx.url);
      const req = http.request({ host: u.hostname, port: u.port, path: '/mcp', method: 'POST', headers: { host: 'evil.example', authorization: `Bearer ${MCP_TOKEN}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('answers a call on a server URL naming a project kx does not know with the error the argument gives, not every project', async () => {
    const scoped = await connect(MCP_TOKEN, `/mcp?project=${encodeURIComponent('/nope')}`);
    try {
      const res = await scoped.callTool({ name: 'search', arguments: { query: 'deploy' } });
      const text = (res.content as Array<{ text: string }>)[0]!.text;
      expect(text).toContain('kx knows no project "/nope"');
      expect(text).toContain(SHOP_ID);
      expect(text).not.toContain(seed.shopPast);
    } finally {
      await scoped.close();
    }
  });

  it('scopes a client that cannot say its session by the project the server URL names', async () => {
    const scoped = await connect(MCP_TOKEN, `/mcp?project=${encodeURIComponent(SHOP)}`);
    try {
      const res = await scoped.callTool({ name: 'search', arguments: { query: 'deploy' } });
      const text = (res.content as Array<{ text: string }>)[0]!.text;
      expect(text).toContain(seed.shopPast);
      expect(text).not.toContain(seed.blogPast);
    } finally {
      await scoped.close();
    }
  });
});
