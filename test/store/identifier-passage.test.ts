// A passage for a hit found only by an identifier's split words: the stored text, the identifier marked as written.

import { describe, expect, it } from 'vitest';
import { identifierPassage, markedWords } from '../../src/store/identifier-passage.js';

const unmarked = (p: string): string => p.replace(/[\u0001\u0002]/g, '').replace(/^…|…$/g, '');

describe('identifier passage', () => {
  it('reads the words FTS5 marked in the identifier column', () => {
    expect(markedWords('\u0001stripe\u0002 \u0001signature\u0002 verification error')).toEqual(['stripe', 'signature']);
  });

  it('marks the identifier, not the same word written plainly before it', () => {
    const text = 'the signature looked fine, then StripeSignatureVerificationError was thrown';
    expect(identifierPassage(text, ['signature'])).toBe('the signature looked fine, then \u0001StripeSignatureVerificationError\u0002 was thrown');
  });

  it('prefers the identifier holding more of the marked words', () => {
    const text = `first StripeClient ${'word '.repeat(60)}then StripeSignatureVerificationError`;
    const passage = identifierPassage(text, ['stripe', 'signature'])!;
    expect(passage).toMatch(/^….*word then \u0001StripeSignatureVerificationError\u0002$/);
    expect(passage).not.toContain('StripeClient');
  });

  it('is a substring of the text, with ellipses where the text goes on, and skips a long run that holds the word', () => {
    const blob = `${'x'.repeat(100)}Token${'y'.repeat(100)}`;
    const text = `${'lorem '.repeat(100)}${blob} then refreshAccessToken failed ${'ipsum '.repeat(100)}`;
    const passage = identifierPassage(text, ['token'])!;
    expect(passage).toMatch(/^….*\u0001refreshAccessToken\u0002 failed.*…$/);
    expect(text).toContain(unmarked(passage));
  });

  it('finds nothing when no identifier holds the words', () => {
    expect(identifierPassage('a plain token here', ['token'])).toBeUndefined();
  });
});
