// A session learn mode rewrote is named by what the human typed, not by what went upstream: its
// title in the session list, its label, the insight engine's view of it, and its folder's name.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InsightReader } from '../../src/insight/insight-reader.js';
import { InsightPages } from '../../src/insight/pages.js';
import { JobQueue } from '../../src/insight/jobs.js';
import { exportTitle } from '../../src/api/session-export.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';

const TYPED = 'run the integration tests and tell me what breaks';
const SENT = 'Migrate the test database first, then run the integration tests';

async function rewrittenSession(h: LearnHarness, session: string): Promise<void> {
  h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(TYPED) });
  const pending = h.nextPending();
  const res = rawRequest(`${h.proxyBase}/responses`, {
    headers: { 'session-id': session, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(TYPED)] }),
  });
  await h.decide((await pending).id, { decision: 'edit', text: SENT });
  expect((await res).status).toBe(200);
  await h.kx.settle();
}

describe('the title of a session learn mode rewrote', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('is what the human typed in the session list', async () => {
    h = await startLearnHarness(['s-typed-list']);
    await rewrittenSession(h, 's-typed-list');
    const res = await fetch(`${h.kx.url}/api/sessions`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const { sessions } = (await res.json()) as { sessions: Array<{ id: string; title: string | null }> };
    expect(sessions.find((s) => s.id === 's-typed-list')?.title).toBe(TYPED);
  });

  it('is what the human typed in the insight engine’s view (learnings.md, summaries)', async () => {
    h = await startLearnHarness(['s-typed-insight']);
    await rewrittenSession(h, 's-typed-insight');
    expect(new InsightReader(h.kx.store.db).session('s-typed-insight')?.title).toBe(TYPED);
  });

  it('is what learnings.md says the human typed, and the export’s title', async () => {
    h = await startLearnHarness(['s-typed-page']);
    await rewrittenSession(h, 's-typed-page');
    const db = h.kx.store.db;
    const pages = new InsightPages({ db, reader: new InsightReader(db), queue: new JobQueue(db), documentsDir: h.config.documentsDir, sessionDir: (id) => h.kx.store.sessionDir(id), mode: 'turn', log: () => {} });
    pages.rebuildSession('s-typed-page');
    expect(fs.readFileSync(path.join(h.kx.store.sessionDir('s-typed-page'), 'learnings.md'), 'utf8')).toContain(`**You typed:** “${TYPED}”`);
    expect(exportTitle(h.kx.reader.getSession('s-typed-page')!)).toBe(TYPED);
  });

  it("names the session's one folder by the words the human typed, and keeps all its files there", async () => {
    h = await startLearnHarness(['s-typed-folder']);
    await rewrittenSession(h, 's-typed-folder');
    const recorded = h.kx.store.db.prepare(`SELECT folder FROM sessions WHERE id = 's-typed-folder'`).pluck().get() as string;
    expect(recorded).toMatch(/^\d{4}-\d{2}-\d{2}_run-the-integration-tests-and_s-typed-folder$/);
    // The decision was written while the turn was held, before capture had the session: the same folder all the same.
    const folders = fs.readdirSync(h.config.documentsDir).filter((f) => f.includes('s-typed-folder'));
    expect(folders).toEqual([recorded]);
    expect(fs.readdirSync(path.join(h.config.documentsDir, recorded)).sort()).toEqual(['agent_actions.jsonl', 'augmented_turns.md', 'user_actions.jsonl']);
  });

  it('keeps what was sent on the record: the item is the text that went upstream', async () => {
    h = await startLearnHarness(['s-typed-item']);
    await rewrittenSession(h, 's-typed-item');
    const text = h.kx.store.db.prepare(`SELECT text FROM items WHERE session_id = 's-typed-item' AND kind = 'human_message'`).pluck().get();
    expect(text).toBe(SENT);
  });
});
