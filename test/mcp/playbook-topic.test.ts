// The playbook tool's `topic`: steps are found by words, in any form, in the step or in what the session (or
// turn) it came from is about; never by a fragment of a word. An answer with no step about the topic says so,
// not that there are no steps yet.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { Memory } from '../../src/mcp/memory.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import type { Harness } from '../support/kx-harness.js';
import { startMemoryHarness } from '../support/memory-harness.js';
import { SHOP_ID, type McpSeed } from '../support/mcp-seed.js';

/** One session of the shop with a note on each turn: what was asked, and the steps it ran. */
function notedSession(db: Database.Database, prefix: string, turns: Array<{ asked: string; steps: Array<{ step: string; command: string | null }> }>): string {
  const [id] = seedSessions(db, { sessions: 1, turnsPerSession: turns.length, idPrefix: prefix, humanText: (_s, t) => turns[t - 1]!.asked, start: new Date('2026-01-10T00:00:00Z') });
  db.prepare(`UPDATE sessions SET project = ? WHERE id = ?`).run(SHOP_ID, id);
  turns.forEach((t, i) => {
    const data = { summary: `Asked: ${t.asked}`, action: 'Ran the commands.', outcome: 'succeeded', playbookSteps: t.steps };
    db.prepare(`INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at) VALUES (?, ?, 'j', ?, 0, 0, 'm', '2026-12-06T02:40:00Z')`).run(`t_${id}_${i + 1}`, id!, JSON.stringify(data));
  });
  return id!;
}

describe('MCP playbook topics', () => {
  let h: Harness;
  let seed: McpSeed;
  let memory: Memory;
  let deploy: string;
  let cart: string;
  let webhook: string;

  beforeAll(async () => {
    ({ h, seed, memory } = await startMemoryHarness());
    const db = h.kx.store.db;
    deploy = notedSession(db, 'deploy', [{ asked: 'how do we deploy with the secrets to production?', steps: [{ step: 'Run the command', command: 'kubectl apply -f k8s/secrets.yaml' }] }]);
    cart = notedSession(db, 'cart', [{ asked: 'the cart total is wrong', steps: [{ step: 'Run the command', command: 'npm test -- cart' }] }]);
    webhook = notedSession(db, 'hook', [{ asked: 'signature check fails', steps: [{ step: 'Forward events locally', command: 'stripe listen --forward-to localhost:3000/api/hooks' }] }]);
    const summary = { title: 'Fixing the Stripe webhook signature', highlights: ['express.raw keeps the body for the signature'], gapsOpened: [], gapsResolved: [], unresolvedQuestions: [], nextRepetitions: [], playbook: [{ step: 'Forward events locally', command: 'stripe listen --forward-to localhost:3000/api/hooks', why: null }] };
    db.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, 1, ?, 'job_w', 1, 1, '2026-12-06T02:40:00Z')`).run(webhook, JSON.stringify(summary));
    // The shop's past session ran the tests in turn 1: its summary's step is that turn's.
    db.prepare(`INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at) VALUES (?, ?, 'j', ?, 0, 0, 'm', '2026-12-06T02:40:00Z')`).run(
      `t_${seed.shopPast}_1`, seed.shopPast, JSON.stringify({ summary: 'Asked: how do we deploy the shop to staging?', playbookSteps: [{ step: 'Run the tests', command: 'npm test' }] }),
    );
    // The deploy session's note is indexed, as the insight engine indexes it; then many newer sessions with steps.
    h.kx.search.indexDocument({ docKind: 'insight', refId: `t_${deploy}_1`, sessionId: deploy, turnId: `t_${deploy}_1`, project: SHOP_ID, text: 'Asked: how do we deploy with the secrets to production?' });
  });
  afterAll(async () => h?.close());

  /** Sessions with steps, newer than all the others: the playbook reads only the latest 50 without a topic. */
  function manyNewerSessions(): void {
    const db = h.kx.store.db;
    const ids = seedSessions(db, { sessions: 60, turnsPerSession: 1, idPrefix: 'bulk', humanText: () => 'rename a variable', start: new Date('2026-03-01T00:00:00Z') });
    for (const id of ids) {
      db.prepare(`UPDATE sessions SET project = ? WHERE id = ?`).run(SHOP_ID, id);
      const data = { summary: 'Asked: rename a variable', playbookSteps: [{ step: 'Run the command', command: 'sed -i s/a/b/ x.ts' }] };
      db.prepare(`INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at) VALUES (?, ?, 'j', ?, 0, 0, 'm', '2026-12-06T02:40:00Z')`).run(`t_${id}_1`, id, JSON.stringify(data));
    }
  }

  const playbook = (topic?: string) => memory.playbook({ project: SHOP_ID, ...(topic !== undefined ? { topic } : {}) }, {});

  it('finds the steps of a turn about the topic, though the steps do not name it ("deploy", the schema\'s own example)', () => {
    const text = playbook('deploy');
    expect(text).toContain('kubectl apply -f k8s/secrets.yaml');
    expect(text).toContain(deploy);
    expect(text).not.toContain('npm test -- cart');
  });

  it('finds the steps another name of the topic is in, as search does ("kubernetes" finds k8s)', () => {
    expect(playbook('kubernetes')).toContain('kubectl apply -f k8s/secrets.yaml');
  });

  it('matches any form of a word: "tests" finds `npm test`', () => {
    const text = playbook('tests');
    expect(text).toContain('npm test -- cart');
    expect(text).toContain(cart);
    expect(text).not.toContain('kubectl');
  });

  it("finds the steps of a session its summary says is about the topic (\"webhook\")", () => {
    const text = playbook('webhook');
    expect(text).toContain('stripe listen --forward-to');
    expect(text).not.toContain('kubectl');
  });

  it('never matches a fragment of a word: "e" is about no step', () => {
    const text = playbook('e');
    expect(text).not.toContain('kubectl');
    expect(text).not.toContain('npm test');
  });

  it('says no step is about the topic, what the steps there are about, and to try without a topic; not that there are none yet', () => {
    const text = playbook('pagination cursor');
    expect(text).not.toMatch(/No playbook steps[^.]*yet/);
    expect(text).toMatch(/no playbook step .*"pagination cursor"/i);
    expect(text).toContain('Fixing the Stripe webhook signature');
    expect(text).toMatch(/without a `topic`/);
  });

  it('cites the turn of a step from a session summary when a turn ran the same step', () => {
    const text = playbook();
    expect(text).toMatch(/<quote>Run the tests<\/quote> command: <command>npm test<\/command> \[turn 1\]/);
    expect(text).toMatch(/<quote>Forward events locally<\/quote> command: <command>stripe listen[^\n]*\[turn 1\]/);
  });

  it('finds the steps about the topic in an older session, behind many newer ones with steps (the search index finds it)', () => {
    manyNewerSessions();
    const text = playbook('deploy');
    expect(text).toContain('kubectl apply -f k8s/secrets.yaml');
    expect(text).not.toContain('sed -i');
  });
});
