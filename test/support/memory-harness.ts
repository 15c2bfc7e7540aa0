// kx's memory tools (src/mcp/memory.ts) on a running kx whose store holds the MCP seed (mcp-seed.ts), called
// directly rather than through an MCP client.

import { Memory } from '../../src/mcp/memory.js';
import { startHarness, type Harness } from './kx-harness.js';
import { seedMcpStore, type McpSeed } from './mcp-seed.js';

export interface MemoryHarness {
  h: Harness;
  seed: McpSeed;
  memory: Memory;
  close(): Promise<void>;
}

export async function startMemoryHarness(): Promise<MemoryHarness> {
  const h = await startHarness();
  const seed = seedMcpStore(h.kx);
  const memory = new Memory({ db: h.kx.store.db, search: h.kx.search, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
  return { h, seed, memory, close: () => h.close() };
}
