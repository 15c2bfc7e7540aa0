// Where kx's memory looks when the caller does not name a project: never quietly in every project. A
// folder inside a known project is that project; a project kx does not know is an error that lists the
// known ones, whether the tool's argument or the server's URL names it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Memory } from '../../src/mcp/memory.js';
import type { Harness } from '../support/kx-harness.js';
import { startMemoryHarness } from '../support/memory-harness.js';
import { BLOG_ID, SHOP, SHOP_ID, type McpSeed } from '../support/mcp-seed.js';

describe('MCP memory scope', () => {
  let h: Harness;
  let seed: McpSeed;
  let memory: Memory;

  beforeAll(async () => ({ h, seed, memory } = await startMemoryHarness()));
  afterAll(async () => h?.close());

  it("a folder inside a known project, named by the server's URL, is that project", async () => {
    const text = await memory.search({ query: 'deploy' }, { project: `${SHOP}/src/deep` });
    expect(text).toContain(`in project ${SHOP_ID}`);
    expect(text).toContain(seed.shopPast);
    expect(text).not.toContain(seed.blogPast);
  });

  it('a folder inside a known project, passed as the `project` argument, is that project', async () => {
    const text = await memory.search({ query: 'deploy', project: `${SHOP}/src/` }, {});
    expect(text).toContain(`in project ${SHOP_ID}`);
    expect(text).not.toContain(seed.blogPast);
  });

  it("an unknown project in the server's URL is the same error the argument gives, listing the known projects", async () => {
    for (const tool of [() => memory.search({ query: 'deploy' }, { project: '/nope' }), async () => memory.gaps({}, { project: '/nope' }), async () => memory.playbook({}, { project: '/nope' })]) {
      const text = await tool();
      expect(text).toContain('kx knows no project "/nope"');
      expect(text).toContain(SHOP_ID);
      expect(text).toContain(BLOG_ID);
      expect(text).not.toContain(seed.blogPast);
      expect(text).not.toMatch(/all projects/);
    }
  });

  it("an asking session still in its client's placeholder project (its folder not seen yet) is no project to narrow to", async () => {
    const db = h.kx.store.db;
    db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('client-codex-exec-0000', 'client: codex_exec', '2026-01-05T10:00:00Z')`).run();
    db.prepare(`INSERT INTO sessions (id, identified_by, client, user_agent, started_at, project) VALUES ('asking-new', 'header', 'codex_exec', 'codex/1', '2026-02-02T00:00:00Z', 'client-codex-exec-0000')`).run();
    const text = await memory.search({ query: 'deploy' }, { sessionId: 'asking-new' });
    expect(text).not.toContain('client-codex-exec-0000');
    expect(text).toContain(seed.shopPast);
  });

  it("a folder that only starts like a project's is not inside it", async () => {
    expect(await memory.search({ query: 'deploy' }, { project: `${SHOP}ping` })).toContain(`kx knows no project "${SHOP}ping"`);
  });

  it('the `project` argument still wins over the URL, and "all" still looks everywhere', async () => {
    const text = await memory.search({ query: 'deploy', project: 'all' }, { project: '/nope' });
    expect(text).toContain(seed.blogPast);
    expect(text).toContain(seed.shopPast);
  });

  it('a session id kx does not know is not said to be left out', async () => {
    const text = await memory.search({ query: 'deploy', project: 'all' }, { sessionId: 'no-such-session' });
    expect(text).toContain(seed.shopPast);
    expect(text).not.toContain('this session left out');
    const own = await memory.search({ query: 'deploy' }, { sessionId: seed.shopNow });
    expect(own).toContain('(this session left out)');
  });
});
