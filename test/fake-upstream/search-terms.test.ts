// The fake upstream's stand-in for the model's search terms: deterministic, so tests and the bench can rely on them.

import { describe, expect, it } from 'vitest';
import { defaultSearchTerms, defaultTurnInsight } from '../../harness/fake-upstream/insight.js';

const turn = (body: string) => `<project>shop</project>\n<turn>\n${body}\n</turn>`;

describe('fake upstream search terms', () => {
  it('names the errors and identifiers the turn printed', () => {
    const terms = defaultSearchTerms(turn('<human>the tabs fight</human>\n<tool_output>Error: invalid_grant, StripeSignatureVerificationError</tool_output>'));
    expect(terms).toEqual(expect.arrayContaining(['invalid_grant', 'StripeSignatureVerificationError']));
  });

  it('adds other words for a symptom it knows ("logged out" → "signed out")', () => {
    expect(defaultSearchTerms(turn('<human>users get logged out randomly</human>'))).toEqual(expect.arrayContaining(['signed out', 'session expired']));
  });

  it('answers the same turn with the same terms, inside the turn note', () => {
    const input = turn('<human>the cron job runs twice</human>');
    expect(defaultTurnInsight(input).search_terms).toEqual(defaultSearchTerms(input));
    expect(defaultSearchTerms(input)).toEqual(expect.arrayContaining(['duplicate']));
  });
});
