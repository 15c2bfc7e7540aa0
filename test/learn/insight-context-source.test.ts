// Learn mode's context from the insight engine's tables and the search index: scoped by project.

import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { InsightContextSource } from '../../src/learn/insight-context-source.js';
import { migrate } from '../../src/store/schema.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { BLOG, SHOP, seedGap, seedSession, seedTwoProjects } from '../support/learn-seed.js';

const MESSAGE = 'run the integration tests and tell me what fails';

describe('InsightContextSource', () => {
  let db: Database.Database;
  let source: InsightContextSource;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
    seedTwoProjects(db);
    source = new InsightContextSource(db, new SearchIndex(db));
  });

  it('knows a session’s project from sessions.project, and nothing of a session without one', () => {
    seedSession(db, 's-new', SHOP);
    seedSession(db, 's-unplaced', null);
    expect(source.projectOf('s-new')).toBe(SHOP);
    expect(source.projectOf('s-unplaced')).toBeUndefined();
    expect(source.projectOf('s-unknown')).toBeUndefined();
  });

  it('finds the past sessions of the project the message is about, with what was asked there', () => {
    const snippets = source.search(MESSAGE, { project: SHOP, limit: 6 });
    expect(snippets).toHaveLength(1);
    expect(snippets[0]!.text).toContain('db:migrate');
    expect(snippets[0]!.text).not.toMatch(/[\u0001\u0002]/);
  });

  it('never uses a snippet from another project, even when it matches better', () => {
    const shop = source.search('integration tests blog hugo SECRET-BLOG-THEME', { project: SHOP, limit: 6 });
    expect(shop.every((s) => !s.text.includes('SECRET-BLOG-THEME'))).toBe(true);
    expect(source.search('SECRET-BLOG-THEME hugo', { project: SHOP, limit: 6 })).toEqual([]);
    expect(source.search('SECRET-BLOG-THEME hugo', { project: BLOG, limit: 6 }).map((s) => s.ref)).toEqual(['summary:s-blog-old']);
  });

  it('leaves out the snippets of the session that asks', () => {
    expect(source.search(MESSAGE, { project: SHOP, limit: 6, excludeSession: 's-shop-old' })).toEqual([]);
  });

  it('gives the open gaps and latest summaries of the project only', () => {
    seedGap(db, { id: 'g_done', project: SHOP, topic: 'lint', question: 'which linter?', status: 'resolved', session: 's-shop-old' });
    expect(source.openGaps(SHOP).map((g) => g.id)).toEqual(['g_shop']);
    const summaries = source.latestSummaries(SHOP, 3);
    expect(summaries).toEqual([
      { sessionId: 's-shop-old', title: 'Fixed the integration tests', highlights: [], nextRepetitions: ['migrate first'], playbook: [{ step: 'Migrate the test database', command: 'npm run db:migrate' }] },
    ]);
    expect(source.gapStatus(['g_shop', 'g_done', 'g_none'])).toEqual(new Map([['g_shop', 'open'], ['g_done', 'resolved']]));
  });

  it('adds the playbook steps of a session not summarised yet from its turn insights', () => {
    seedSession(db, 's-shop-running', SHOP);
    db.prepare(`INSERT INTO turns (id, session_id, seq, started_at) VALUES ('t1', 's-shop-running', 1, '2026-11-21T00:00:00Z')`).run();
    db.prepare(`INSERT INTO insight_jobs (id, kind, subject_id, session_id, state, next_attempt_at, created_at, updated_at) VALUES ('j1', 'turn', 't1', 's-shop-running', 'done', '', '', '')`).run();
    const data = { summary: 'Seeded the fixtures', successes: ['fixtures load'], nextTime: 'seed before testing', playbookSteps: [{ step: 'Seed', command: 'npm run seed' }] };
    db.prepare(`INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at) VALUES ('t1', 's-shop-running', 'j1', ?, 0, 0, 'gpt-5', '2026-11-21T00:00:01Z')`).run(JSON.stringify(data));
    const running = source.latestSummaries(SHOP, 3).find((s) => s.sessionId === 's-shop-running');
    expect(running).toEqual({ sessionId: 's-shop-running', title: 'Seeded the fixtures', highlights: ['fixtures load'], nextRepetitions: ['seed before testing'], playbook: [{ step: 'Seed', command: 'npm run seed' }] });
    expect(source.latestSummaries(BLOG, 3).map((s) => s.sessionId)).toEqual(['s-blog-old']);
  });

  it('writes profile essentials from the open gaps and the last playbook', () => {
    const text = source.profileEssentials(SHOP)!;
    expect(text).toContain('why do the integration tests fail on a fresh checkout?');
    expect(text).toContain('`npm run db:migrate`');
    expect(text).not.toContain('hugo');
    expect(source.profileEssentials('nobody')).toBeUndefined();
  });

  it('adds the past work of the project that the first message is about, and none from another project', () => {
    const text = source.profileEssentials(SHOP, MESSAGE)!;
    expect(text).toContain('## Past work on what this session asks');
    expect(text).toContain('db:migrate');
    expect(source.profileEssentials(SHOP, 'SECRET-BLOG-THEME hugo')).not.toContain('Past work');
  });

  it('lists a fact once when the question, the agent\'s echo of it and a note say it alike, and keeps the answer that adds the fix', () => {
    const index = new SearchIndex(db);
    const question = 'what is the StripeSignatureVerificationError in the webhook handler?';
    seedGap(db, { id: 'g_stripe', project: SHOP, topic: 'stripe webhooks', question, session: 's-shop-old' });
    index.indexDocument({ docKind: 'human', refId: 'i-q', sessionId: 's-shop-old', turnId: null, project: null, text: question });
    index.indexDocument({ docKind: 'assistant', refId: 'i-a', sessionId: 's-shop-old', turnId: null, project: null, text: `You asked: ${question}\nMount express.raw on the webhook route so the handler verifies the raw body.` });
    const text = source.profileEssentials(SHOP, 'why does the webhook handler throw StripeSignatureVerificationError?')!;
    expect(text.split(question).length - 1).toBe(1);
    expect(text).toContain('Answer: Mount express.raw on the webhook route so the handler verifies the raw body.');
  });

  it('looks a message up by the words kx\'s one retrieval keeps: short names count, filler does not', () => {
    const index = new SearchIndex(db);
    index.indexDocument({ docKind: 'human', refId: 'i-ci', sessionId: 's-shop-old', turnId: 't-ci', project: null, text: 'the ci job fails at the db step' });
    index.indexDocument({ docKind: 'assistant', refId: 'i-ci-a', sessionId: 's-shop-old', turnId: 't-ci', project: null, text: 'The ci image has no database: start the db service first.' });
    expect(source.search('why is ci red on db?', { project: SHOP, limit: 6 }).map((s) => s.ref)).toEqual(['assistant:i-ci-a']);
    expect(source.search('how did we fix this last time?', { project: SHOP, limit: 6 })).toEqual([]);
  });

  it('quotes no session that shares only a generic word or two with the message', () => {
    const index = new SearchIndex(db);
    index.indexDocument({ docKind: 'human', refId: 'i-cart', sessionId: 's-shop-old', turnId: 't-cart', project: null, text: 'add a test for the cart total when an item has no price' });
    index.indexDocument({ docKind: 'assistant', refId: 'i-pay', sessionId: 's-shop-old', turnId: 't-pay', project: null, text: 'The payments gateway expects the live key; PAYMENTS_API_KEY holds a test key.' });
    expect(source.search("Let's add rate limiting to the public API", { project: SHOP, limit: 6 })).toEqual([]);
    expect(source.profileEssentials(SHOP, "Let's add rate limiting to the public API")).not.toContain('Past work');
  });

  it('quotes the answer of the turn that matched, cut at a sentence so its fix survives', () => {
    const index = new SearchIndex(db);
    const fix = 'Make the refresh single-flight: keep one in-flight promise per session and let concurrent callers await it.';
    const long = `Refresh tokens rotate: each refresh revokes the previous one. ${'When two tabs call refreshAccessToken at the same moment, the second request sends the already-revoked token. '.repeat(5)}${fix}`;
    index.indexDocument({ docKind: 'human', refId: 'i-out', sessionId: 's-shop-old', turnId: 't-out', project: null, text: 'Users get logged out randomly after about an hour. The logs show invalid_grant.' });
    index.indexDocument({ docKind: 'assistant', refId: 'i-fix', sessionId: 's-shop-old', turnId: 't-out', project: null, text: long });
    const [snippet] = source.search('users keep getting logged out with invalid_grant', { project: SHOP, limit: 6 });
    expect(snippet!.ref).toBe('assistant:i-fix');
    expect(snippet!.text).toContain('Asked (2026-11-20): Users get logged out randomly after about an hour.');
    expect(snippet!.text).toContain(fix);
  });
});
