// Two projects' worth of what the insight engine leaves behind (sessions with a project, gaps,
// summaries, indexed snippets), written straight into a migrated database for learn mode's tests.

import type Database from 'better-sqlite3';
import { SearchIndex } from '../../src/store/search-index.js';

export const SHOP = 'home-dev-shop-a1b2c3';
export const BLOG = 'home-dev-blog-d4e5f6';

const AT = '2026-11-20T10:00:00.000Z';

export function seedSession(db: Database.Database, id: string, project: string | null): void {
  db.prepare(`INSERT INTO sessions (id, identified_by, started_at, project) VALUES (?, 'header', ?, ?)`).run(id, AT, project);
}

export function seedGap(db: Database.Database, g: { id: string; project: string; topic: string; question: string; status?: 'open' | 'resolved'; session: string }): void {
  db.prepare(
    `INSERT INTO gaps (id, project, topic, question, evidence, status, first_seen_session_id, first_seen_turn_id, first_seen_at, last_seen_session_id, last_seen_turn_id, last_seen_at)
     VALUES (?, ?, ?, ?, 'seen in a test', ?, ?, 't0', ?, ?, 't0', ?)`,
  ).run(g.id, g.project, g.topic, g.question, g.status ?? 'open', g.session, AT, g.session, AT);
}

export function seedSummary(db: Database.Database, sessionId: string, data: { title: string; nextRepetitions?: string[]; playbook?: { step: string; command: string | null }[] }): void {
  const view = { title: data.title, highlights: [], gapsOpened: [], gapsResolved: [], unresolvedQuestions: [], nextRepetitions: data.nextRepetitions ?? [], playbook: (data.playbook ?? []).map((p) => ({ ...p, why: null })) };
  db.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, 1, ?, 'j', 0, 0, ?)`).run(sessionId, JSON.stringify(view), AT);
}

/** The shop project learned to migrate before testing; the blog project learned the same words about something else. */
export function seedTwoProjects(db: Database.Database): void {
  seedSession(db, 's-shop-old', SHOP);
  seedSession(db, 's-blog-old', BLOG);
  seedGap(db, { id: 'g_shop', project: SHOP, topic: 'test database', question: 'why do the integration tests fail on a fresh checkout?', session: 's-shop-old' });
  seedGap(db, { id: 'g_blog', project: BLOG, topic: 'blog build', question: 'why does the integration build of the blog fail?', session: 's-blog-old' });
  seedSummary(db, 's-shop-old', { title: 'Fixed the integration tests', nextRepetitions: ['migrate first'], playbook: [{ step: 'Migrate the test database', command: 'npm run db:migrate' }] });
  seedSummary(db, 's-blog-old', { title: 'Blog integration build', playbook: [{ step: 'Rebuild the blog', command: 'hugo --gc' }] });
  const index = new SearchIndex(db);
  index.indexDocument({ docKind: 'human', refId: 'i-shop', sessionId: 's-shop-old', turnId: null, project: null, text: 'the integration tests fail: relation users does not exist; run npm run db:migrate first' });
  index.indexDocument({ docKind: 'human', refId: 'i-blog', sessionId: 's-blog-old', turnId: null, project: null, text: 'the integration tests of the blog fail until hugo rebuilds the SECRET-BLOG-THEME' });
}
