// Each session shows how many memory lookups its agent made: in the API and in the console.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../harness/drivers/browser.js';
import { consoleContext, deepText, openWatchedPage, type WatchedPage } from '../support/console-browser.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { mcpTokenOf } from '../../src/api/auth.js';
import { seedMcpStore, type McpSeed } from '../support/mcp-seed.js';

describe('memory lookups per session', () => {
  let h: Harness;
  let seed: McpSeed;
  let browser: Browser | undefined;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    h = await startHarness();
    seed = seedMcpStore(h.kx);
    const client = new Client({ name: 'kx-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', h.kx.url), { requestInit: { headers: { authorization: `Bearer ${mcpTokenOf(TEST_TOKEN)}` } } }));
    const _meta = { 'x-codex-turn-metadata': { session_id: seed.shopNow } };
    await client.callTool({ name: 'search', arguments: { query: 'deploy' }, _meta });
    await client.callTool({ name: 'playbook', arguments: {}, _meta });
    await client.callTool({ name: 'turn', arguments: { session: seed.shopPast, turn: 1 }, _meta });
    await client.close();
  });
  afterAll(async () => {
    await w?.close();
    await browser?.close();
    await h?.close();
  });

  const api = async <T>(path: string): Promise<T> => (await fetch(`${h.kx.url}${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).json() as Promise<T>;

  it('gives the count in the session list and the session detail of the API', async () => {
    const { sessions } = await api<{ sessions: Array<{ id: string; memoryLookups: number }> }>('/api/sessions');
    expect(sessions.find((s) => s.id === seed.shopNow)?.memoryLookups).toBe(3);
    expect(sessions.find((s) => s.id === seed.shopPast)?.memoryLookups).toBe(0);
    expect((await api<{ memoryLookups: number }>(`/api/sessions/${seed.shopNow}`)).memoryLookups).toBe(3);
  });

  it("shows the count in the session's header and in its row of the session list", async () => {
    browser = await launchBrowser();
    w = await openWatchedPage(await consoleContext(browser));
    await w.page.goto(`${h.kx.url}/ui/?token=${TEST_TOKEN}`);
    const row = w.page.locator('kx-sessions-view tbody tr', { hasText: 'deploy the shop again please' });
    await row.waitFor();
    expect(await row.textContent()).toContain('3 memory lookups');
    await w.page.evaluate((id) => (location.hash = `#/sessions/${id}`), seed.shopNow);
    const header = w.page.locator('kx-session-view p.muted').first();
    await header.waitFor();
    await expect.poll(() => deepText(header)).toContain('3 memory lookups');
    await w.page.evaluate((id) => (location.hash = `#/sessions/${id}`), seed.shopPast);
    await expect.poll(() => deepText(w!.page.locator('kx-session-view p.muted').first())).toContain('0 memory lookups');
    expect(w.errors).toEqual([]);
  }, 60_000);
});
