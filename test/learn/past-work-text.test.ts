// The pure parts of the first-turn context: when a past session is related enough to quote, how a
// long answer is cut without losing its fix, and how a fact said several times is said once.

import { describe, expect, it } from 'vitest';
import { isRelated, wordsHeld } from '../../src/learn/related-sessions.js';
import { cutAtSentences, firstSentences, sentencesOf } from '../../src/learn/sentences.js';
import { distinctTexts, SaidBefore } from '../../src/learn/near-duplicates.js';
import { bestTurn, lessonLines, type PastLesson } from '../../src/learn/past-work.js';
import type { MatchedDoc } from '../../src/store/retrieval.js';
import { queryWords } from '../../src/store/query-words.js';

const TABS = 'users are getting logged out again since we added a second browser tab feature, how did we fix this last time?';
const ANSWER =
  'Refresh tokens rotate: each refresh revokes the previous one. When two tabs call `refreshAccessToken` at the same moment, the second request sends the already-revoked token and the provider answers `invalid_grant`, which the client treats as a logout. Make the refresh single-flight: keep one in-flight promise per session and let concurrent callers await it.';
const SYMPTOM = 'Users get logged out randomly after about an hour.';

describe('a past session related enough to quote', () => {
  it('is not one that shares only two generic words of a request ("add", "api")', () => {
    expect(isRelated(['add', 'api'], queryWords("Let's add rate limiting to the public API"))).toBe(false);
  });

  it('is not one that shares one or two words of a long question ("getting", "out")', () => {
    expect(isRelated(['getting', 'out'], queryWords(TABS))).toBe(false);
  });

  it('is one that shares most words of the question, a synonym counting for the words it stands for', () => {
    const held = ['users', 'getting', 'logout (for logged out)', 'second', 'tab'];
    expect(wordsHeld(held, queryWords(TABS))).toEqual(['users', 'getting', 'logged', 'second', 'tab']);
    expect(isRelated(held, queryWords(TABS))).toBe(true);
  });

  it('counts a word the retrieval names as it was typed', () => {
    expect(wordsHeld(['invalidGrant', 'Refresh'], queryWords('refresh fails with invalidGrant'))).toEqual(['refresh', 'invalidgrant']);
  });

  it('is one that holds the only word of a one-word message, or both of a two-word one', () => {
    expect(isRelated(['oomkilled'], ['oomkilled'])).toBe(true);
    expect(isRelated(['redis'], ['redis', 'timeout'])).toBe(false);
    expect(isRelated(['redis', 'timeout'], ['redis', 'timeout'])).toBe(true);
  });

  it('needs no more than four shared words, however long the message', () => {
    const words = queryWords('the nightly export cronjob died with exit code 137 while the invoices batch wrote its csv file to the bucket');
    expect(isRelated(['nightly', 'export', 'cronjob', '137'], words)).toBe(true);
    expect(isRelated(['nightly', 'export', 'cronjob'], words)).toBe(false);
  });
});

describe('cutting a past answer', () => {
  it('splits at sentence ends and line ends, not inside names like `express.json()` or 10.0.0.7', () => {
    expect(sentencesOf('Use `express.json()` after it. Redis at 10.0.0.7 closed.\nDone')).toEqual(['Use `express.json()` after it.', 'Redis at 10.0.0.7 closed.', 'Done']);
  });

  it('keeps a text that fits whole, on one line', () => {
    expect(cutAtSentences('First line.\nSecond line.', 100)).toBe('First line. Second line.');
  });

  it('keeps the first sentence and the last ones that fit, so the fix at the end survives', () => {
    const cut = cutAtSentences(ANSWER, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.startsWith('Refresh tokens rotate: each refresh revokes the previous one.')).toBe(true);
    expect(cut).toContain('Make the refresh single-flight: keep one in-flight promise per session and let concurrent callers await it.');
    expect(cut).toContain(' … ');
  });

  it('cuts a single sentence longer than the budget at a word, marked', () => {
    const cut = cutAtSentences('word '.repeat(100).trim(), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/word…$/);
  });

  it('keeps the first sentences of a question that fit', () => {
    expect(firstSentences(`${SYMPTOM} The logs show refresh_access_token failing with invalid_grant.`, 60)).toBe(SYMPTOM);
  });
});

describe('a fact said several times', () => {
  it('is said once: a later text keeps only the sentences that say something new', () => {
    const texts = [`${SYMPTOM} Answer: ${ANSWER}`, `${SYMPTOM} The logs show refresh_access_token failing.`, `Asked: ${SYMPTOM}`];
    const kept = distinctTexts(texts);
    expect(kept.join(' ').split('logged out randomly').length - 1).toBe(1);
    expect(kept).toEqual([`${SYMPTOM} Answer: ${ANSWER}`, 'The logs show refresh_access_token failing.']);
  });

  it('leaves out what an open question already says', () => {
    expect(distinctTexts(['You asked: what is the StripeSignatureVerificationError in the webhook handler? Mount express.raw on the route.'], ['what is the StripeSignatureVerificationError in the webhook handler?'])).toEqual([
      'Mount express.raw on the route.',
    ]);
  });

  it('keeps short sentences apart: fewer than four words never count as the same', () => {
    expect(distinctTexts(['It works.', 'It works.'])).toEqual(['It works.', 'It works.']);
  });

  it('remembers only what it is told was said', () => {
    const said = new SaidBefore([SYMPTOM]);
    expect(said.news(`${SYMPTOM} Use a promise per session to share one refresh.`)).toBe('Use a promise per session to share one refresh.');
    expect(said.news('Use a promise per session to share one refresh.')).toBe('Use a promise per session to share one refresh.');
    said.remember('Use a promise per session to share one refresh.');
    expect(said.news('Use a promise per session to share one refresh.')).toBe('');
  });
});

describe('past sessions as context lines', () => {
  const lesson = (sessionId: string, asked: string, answer: string): PastLesson => ({ sessionId, ref: `assistant:${sessionId}`, day: '2026-10-20', asked, answer });

  it('leave out a session whose answer only echoes its question: the symptom alone does not help', () => {
    const echo = lesson('s-echo', "Let's add rate limiting to the public API", "You said: Let's add rate limiting to the public API");
    expect(lessonLines([echo])).toEqual([]);
  });

  it('say the question once and keep each answer that adds something', () => {
    const lines = lessonLines([lesson('s-1', SYMPTOM, ANSWER), lesson('s-2', SYMPTOM, 'Clear the cookie jar in the second tab before signing in again.')]).map((l) => l.line);
    expect(lines).toEqual([`Asked (2026-10-20): ${SYMPTOM} · Answer: ${ANSWER}`, '(2026-10-20) Answer: Clear the cookie jar in the second tab before signing in again.']);
  });
});

describe('the turn a past session is quoted from', () => {
  const doc = (docKind: MatchedDoc['docKind'], turnId: string | null, words: string[]): MatchedDoc => ({ rowid: 0, docKind, refId: 'r', turnId, score: 1, words, snippet: '' });
  const words = queryWords('the stripe webhook signature check fails after we moved to express 5');

  it('is the one whose messages together hold the most of the words, not the best single document', () => {
    const docs = [
      doc('human', 't-thanks', ['webhook', 'moved', 'express']),
      doc('assistant', 't-problem', ['stripe', 'webhook', 'express']),
      doc('summary', null, ['stripe', 'webhook', 'signature', 'moved', 'express']),
      doc('human', 't-problem', ['stripe', 'webhook', 'signature']),
    ];
    expect(bestTurn(docs, words)).toBe('t-problem');
  });

  it('is the best document\'s on a tie, and none when no document is in a turn', () => {
    expect(bestTurn([doc('human', 't-2', ['stripe']), doc('human', 't-1', ['webhook'])], words)).toBe('t-2');
    expect(bestTurn([doc('summary', null, ['stripe'])], words)).toBeNull();
  });
});
