import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { teamIndexer } from '../../src/insight/team-index.js';
import { migrate } from '../../src/store/schema.js';
import { SearchIndex } from '../../src/store/search-index.js';

const note = { summary: 'pinned tzdata to fix the flaky clock test', action: 'ran the suite', outcome: 'succeeded', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [] };

describe('indexing what teammates shared', () => {
  it('indexes a note from a kx that wrote no search terms, and finds it', () => {
    const db = new Database(':memory:');
    migrate(db);
    const search = new SearchIndex(db);
    const refused = teamIndexer(search)({ kind: 'note', localId: 't_remote1', sessionId: 's_remote', project: 'shop', data: { output: note }, deleted: false });
    expect(refused).toBeUndefined();
    expect(search.search('tzdata', { limit: 1 }).map((h) => h.sessionId)).toEqual(['s_remote']);
  });
});
