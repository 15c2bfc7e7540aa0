// A store with two projects for the MCP tests: past sessions of a shop (with a gap, a summary and its
// playbook), one of a blog that uses the same words, and the session that asks.

import type { Kx } from '../../src/kx.js';
import { projectSlug } from '../../src/capture/project.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';

export const SHOP = '/home/ana/shop';
export const BLOG = '/home/ana/blog';
export const SHOP_ID = projectSlug(SHOP);
export const BLOG_ID = projectSlug(BLOG);
/** A key as a person might paste it, written raw into the store (capture would have redacted it). */
export const RAW_KEY = ['sk-proj-', 'mcpSeedKey0123456789abcdefghijkl'].join('');

export interface McpSeed {
  shopPast: string;
  shopNow: string;
  blogPast: string;
}

export function seedMcpStore(kx: Kx, opts: { hugeOutputChars?: number } = {}): McpSeed {
  const db = kx.store.db;
  const say: Record<string, string[]> = {
    'shop-past': ['how do we deploy the shop to staging?', `my key is ${RAW_KEY} for the payment sandbox`],
    'shop-now': ['deploy the shop again please'],
    'blog-past': ['how do we deploy the blog with hugo?'],
  };
  for (const [prefix, texts] of Object.entries(say)) {
    seedSessions(db, { sessions: 1, turnsPerSession: texts.length, idPrefix: prefix, humanText: (_s, t) => texts[t - 1]!, start: new Date(prefix === 'shop-now' ? '2026-02-01T00:00:00Z' : '2026-01-01T00:00:00Z') });
  }
  const [shopPast, shopNow, blogPast] = ['shop-past-000000', 'shop-now-000000', 'blog-past-000000'];
  const now = '2026-01-05T10:00:00.000Z';
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?), (?, ?, ?)`).run(SHOP_ID, SHOP, now, BLOG_ID, BLOG, now);
  const place = db.prepare(`UPDATE sessions SET project = ?, cwd = ? WHERE id = ?`);
  place.run(SHOP_ID, SHOP, shopPast);
  place.run(SHOP_ID, SHOP, shopNow);
  place.run(BLOG_ID, BLOG, blogPast);
  // The past shop session's first turn ran a command that printed a lot.
  const huge = opts.hugeOutputChars ?? 0;
  if (huge) db.prepare(`UPDATE items SET output = ? WHERE session_id = ? AND kind = 'tool_output' AND turn_id = ?`).run(`FIRST-LINE of the build log\n${'x'.repeat(huge)}\nLAST-LINE: deploy finished`, shopPast, `t_${shopPast}_1`);
  db.prepare(
    `INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
       last_seen_session_id, last_seen_turn_id, last_seen_at, resolved_turn_id, resolved_how, resolved_by, resolved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run('gap_shop_1', SHOP_ID, 'staging deploy', 'Which command deploys to staging?', 'how do we deploy the shop to staging?', 'resolved', 2, shopPast, `t_${shopPast}_1`, now, shopPast, `t_${shopPast}_1`, now, `t_${shopPast}_1`, 'make ship ENV=staging, after the tests pass', 'model', now);
  db.prepare(
    `INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
       last_seen_session_id, last_seen_turn_id, last_seen_at) VALUES (?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?, ?, ?)`,
  ).run('gap_blog_1', BLOG_ID, 'hugo themes', 'Where do hugo themes live?', 'how do we deploy the blog with hugo?', blogPast, `t_${blogPast}_1`, now, blogPast, `t_${blogPast}_1`, now);
  const summary = {
    title: 'Deploying the shop to staging',
    highlights: ['Staging deploys run through make ship'],
    gapsOpened: [],
    gapsResolved: [],
    unresolvedQuestions: [],
    nextRepetitions: [],
    playbook: [
      { step: 'Run the tests', command: 'npm test', why: null },
      { step: 'Deploy to staging', command: 'make ship ENV=staging', why: 'the Makefile sets the right bucket' },
    ],
  };
  db.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, 1, ?, 'job_s', 10, 10, ?)`).run(shopPast, JSON.stringify(summary), now);
  kx.search.catchUp();
  kx.search.indexDocument({ docKind: 'playbook', refId: `summary:${shopPast}`, sessionId: shopPast, turnId: null, project: SHOP_ID, text: 'Run the tests: npm test\nDeploy to staging: make ship ENV=staging' });
  return { shopPast, shopNow, blogPast };
}
