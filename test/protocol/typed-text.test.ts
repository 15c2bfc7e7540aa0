// What a human message says as the human typed it, wherever a session is named (titles, folders,
// learnings.md, the console's heading): learn mode's rewrite went upstream, the typed text is kept beside it.

import { describe, expect, it } from 'vitest';
import { typedText } from '../../src/protocol/human-text.js';

describe('the typed text of a human message', () => {
  it('is the original learn mode kept beside a rewrite', () => {
    expect(typedText({ text: 'Migrate first, then run the tests', detail: { originalText: 'run the tests', approvalId: 'a_1' } })).toBe('run the tests');
  });

  it('is the text itself when nothing was rewritten', () => {
    expect(typedText({ text: 'run the tests', detail: { images: 1 } })).toBe('run the tests');
    expect(typedText({ text: 'run the tests' })).toBe('run the tests');
  });

  it('ignores an original that is not text', () => {
    expect(typedText({ text: 'sent', detail: { originalText: 42 } })).toBe('sent');
    expect(typedText({ text: null, detail: 'not an object' })).toBeUndefined();
  });
});
