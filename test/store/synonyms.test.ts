// Other words for a query's words (src/store/synonyms.ts): how a query meets the synonym table.

import { describe, expect, it } from 'vitest';
import { expandQuery, plainForm, synonymTable } from '../../src/store/synonyms.js';

const table = synonymTable([
  ['log out', 'sign out', 'logged out', 'signed out'],
  ['retry', 'try again'],
  ['refresh', 'renew'],
  ['vendor', 'supplier'],
]);

describe('synonyms', () => {
  it('meets a word in any of its everyday forms', () => {
    expect(['signing', 'signed', 'signs'].map(plainForm)).toEqual(['sign', 'sign', 'sign']);
    expect(['tries', 'retried', 'retry'].map(plainForm)).toEqual(['try', 'retry', 'retry']);
    expect(['stopped', 'running', 'called', 'passes'].map(plainForm)).toEqual(['stop', 'run', 'call', 'pass']);
  });

  it('looks a phrase up before its words, and brings the group\'s other members', () => {
    const found = expandQuery('People got signed out when tabs renewed the token', table);
    expect(found).toEqual([
      // "sign out" is the query's own words in another form, and "logged out" one of "log out": the index's stemmer finds those.
      { concept: 'signed out', alternatives: ['log out'] },
      { concept: 'renewed', alternatives: ['refresh'] },
    ]);
  });

  it('finds a phrase typed in another form: "the app tries again" is a retry', () => {
    expect(expandQuery('billed twice when the app tries again', table)).toEqual([{ concept: 'tries again', alternatives: ['retry'] }]);
  });

  it('finds nothing for words the table does not hold', () => {
    expect(expandQuery('add a footer to the page', table)).toEqual([]);
  });
});
