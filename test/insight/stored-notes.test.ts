import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InsightReader } from '../../src/insight/insight-reader.js';
import { migrate } from '../../src/store/schema.js';

function storeWithSummary(data: unknown): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare(`INSERT INTO sessions (id, client, identified_by, started_at) VALUES ('s1', 'codex', 'header', '2026-12-05T10:00:00.000Z')`).run();
  db.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES ('s1', 1, ?, 'job-1', 10, 5, '2026-12-05T11:00:00.000Z')`).run(JSON.stringify(data));
  return db;
}

describe('notes the insight engine stored, read back', () => {
  it('keeps every field of a summary in the shape the console expects', () => {
    const summary = { title: 'Fix the token refresh race', highlights: ['a lock around refresh'], gapsOpened: [], gapsResolved: [], unresolvedQuestions: [], nextRepetitions: [], playbook: [{ step: 'add the lock', command: null, why: null }] };
    expect(new InsightReader(storeWithSummary(summary)).summary('s1')).toMatchObject({ ...summary, version: 1, tokens: { input: 10, output: 5 } });
  });

  it('reads a summary an older kx wrote differently field by field: the odd field is empty, the rest is kept', () => {
    const older = { title: 'Fix the token refresh race', highlights: 'one line, not a list', unresolvedQuestions: ['why twice?'] };
    const read = new InsightReader(storeWithSummary(older)).summary('s1');
    expect(read?.title).toBe('Fix the token refresh race');
    expect(read?.highlights).toEqual([]);
    expect(read?.unresolvedQuestions).toEqual(['why twice?']);
    expect(read?.playbook).toEqual([]);
  });
});
