// The fake upstream's stand-in for the model's search terms: deterministic, so tests and the bench can rely on them.

import { describe, expect, it } from 'vitest';
import { defaultSearchTerms, defaultSessionSummary, defaultTurnInsight } from '../../harness/fake-upstream/insight.js';
import { renderParts, type TurnPart } from '../../src/insight/turn-input.js';

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

  it("leaves kx's own tag names, labels and tool argument keys out of the terms", () => {
    const parts: TurnPart[] = [
      { kind: 'human', label: 'human, as typed', text: 'users get logged out after an hour' },
      { kind: 'sent_rewritten', label: "sent upstream in its place by kx's learn mode", text: 'users get logged out after an hour (past sessions: refresh tokens rotate)' },
      { kind: 'tool_call', label: 'tool call exec_command', text: '{"cmd":"grep -rn invalid_grant src","yield_time_ms":10000,"max_output_tokens":6000}' },
      { kind: 'tool_output', label: 'tool output', text: 'src/auth/refresh.ts:12: if (err.code === "invalid_grant") logout(REFRESH_TOKEN_TTL)' },
      { kind: 'assistant', label: 'agent', text: 'Refresh tokens rotate; make refresh_access_token single-flight.' },
    ];
    const terms = defaultSearchTerms(turn(renderParts(parts)));
    expect(terms).toEqual(expect.arrayContaining(['invalid_grant', 'refresh_access_token', 'signed out']));
    for (const artifact of ['tool_call', 'tool_output', 'sent_rewritten', 'exec_command', 'yield_time_ms', 'max_output_tokens']) expect(terms).not.toContain(artifact);
  });
});

describe('fake upstream notes', () => {
  const LONG = 'Stripe webhooks fail in production with StripeSignatureVerificationError since the deploy. The raw body is parsed as JSON first, I think.';
  const words = (text: string) => new Set(text.split(/[\s,.?!:;…]+/).filter(Boolean));

  it('cuts a long message at a sentence or word end, never inside a word', () => {
    const note = defaultTurnInsight(turn(`<human>\n${LONG}\n</human>`));
    const summary = String(note.summary);
    expect(summary.length).toBeLessThan(LONG.length);
    expect(summary).toMatch(/^Asked: Stripe webhooks fail/);
    for (const w of words(summary.replace(/^Asked: /, ''))) expect(words(LONG)).toContain(w);
  });
});
