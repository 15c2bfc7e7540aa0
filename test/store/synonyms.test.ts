// Other words for a query's words (src/store/synonyms.ts): how a query meets the synonym table.

import { describe, expect, it } from 'vitest';
import { expandQuery, plainForm, synonymTable } from '../../src/store/synonyms.js';
import { SYNONYMS } from '../../src/store/synonym-groups.js';

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

  it('brings at most 16 alternatives to one query, the longest phrases first', () => {
    const wide = synonymTable(Array.from({ length: 10 }, (_, i) => [`word${i}`, ...Array.from({ length: 6 }, (_, j) => `other${i}x${j}`)]));
    const found = expandQuery(Array.from({ length: 10 }, (_, i) => `word${i}`).join(' '), wide);
    expect(found.flatMap((e) => e.alternatives)).toHaveLength(16);
    expect(found.map((e) => e.concept)).toEqual(['word0', 'word1', 'word2']);
  });

  it('meets a short abbreviation only as itself or its plural, never inside a longer word\'s stem ("side" is not "sid")', () => {
    const short = synonymTable([['sid', 'session id'], ['pod', 'k8s pod'], ['tax', 'vat']]);
    expect(expandQuery('photos turned on their side', short)).toEqual([]);
    expect(expandQuery('both sides of the split', short)).toEqual([]);
    expect(expandQuery('the sid cookie', short)).toEqual([{ concept: 'sid', alternatives: ['session id'] }]);
    expect(expandQuery('restart the pods', short)).toEqual([{ concept: 'pods', alternatives: ['k8s pod'] }]);
    expect(expandQuery('taxes on the invoice', short)).toEqual([{ concept: 'taxes', alternatives: ['vat'] }]);
  });

  it('takes no everyday word for a term of the trade: a killed pod is not "stopped" logouts', () => {
    const alternatives = expandQuery('pod killed exit code 137', SYNONYMS).flatMap((e) => e.alternatives);
    expect(alternatives).toContain('terminate');
    expect(alternatives).not.toContain('stop');
  });

  it('finds nothing for words the table does not hold', () => {
    expect(expandQuery('add a footer to the page', table)).toEqual([]);
  });
});
