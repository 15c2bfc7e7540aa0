// Projects named by their git remote, and a store from before that rule: a folder already known keeps
// the id it was given, in the request hook (learn mode) as in capture, so its gaps are still found.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withRequestFacts, type HookRequestWithFacts } from '../../src/capture/hook-facts.js';
import { projectIdOfCwd, projectSlug } from '../../src/capture/project.js';
import { rawRequest } from '../../harness/drivers/http-client.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';
import { InsightContextSource } from '../../src/learn/insight-context-source.js';
import { environmentContext } from '../support/insight-harness.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { checkout } from './checkouts.js';

describe('a folder known before projects were named by their remote', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('keeps its old id in the hook and in capture; a new checkout of the remote gets the remote’s', async () => {
    h = await startHarness();
    const root = tempDir('kx-upgrade-');
    const old = checkout(root, 'shop', 'git@github.com:acme/shop.git');
    const fresh = checkout(path.join(root, 'other'), 'shop', 'https://github.com/acme/shop');
    const db = h.kx.store.db;
    db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, '2026-11-01T00:00:00Z')`).run(projectSlug(old), old);
    const source = new InsightContextSource(db, h.kx.search);
    const seen: HookRequestWithFacts[] = [];
    h.kx.setRequestHook(withRequestFacts(async (r) => (seen.push(r), { action: 'forward' }), () => undefined, () => undefined, (name) => source.projectIdByName(name)));
    const body = (cwd: string) => JSON.stringify({ model: 'gpt-5', stream: true, input: [environmentContext(cwd), { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] });
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'old-s' }, body: body(old) });
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'fresh-s' }, body: body(fresh) });
    await h.kx.settle();
    expect(seen.map((r) => r.project.id)).toEqual([projectSlug(old), projectIdOfCwd(fresh)]);
    expect(projectSlug(old)).not.toBe(projectIdOfCwd(fresh));
    const stored = db.prepare(`SELECT id, project FROM sessions ORDER BY id`).all();
    expect(stored).toEqual([
      { id: 'fresh-s', project: projectIdOfCwd(fresh) },
      { id: 'old-s', project: projectSlug(old) },
    ]);
  });
});
