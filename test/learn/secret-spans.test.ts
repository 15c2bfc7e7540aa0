// One rule ties a `[REDACTED:kind]` marker in an approved text to the secret of the human's own message
// it replaced: used for accept, for an edit, and after a restart from the original the client resends.

import { describe, expect, it } from 'vitest';
import { redact } from '../../src/capture/redact.js';
import { restoreSecrets, secretSpans } from '../../src/learn/secret-spans.js';

const GH = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GH2 = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
const KEY = 'sk-proj-' + 'abcdefghijklmnopqrstuvwx0123';

describe('secret spans', () => {
  it('finds each secret redact() took out, with the marker that replaced it', () => {
    expect(secretSpans(`push with ${GH} then use ${KEY}.`)).toEqual([
      { marker: '[REDACTED:github-token]', secret: GH },
      { marker: '[REDACTED:api-key]', secret: KEY },
    ]);
    expect(secretSpans('API_KEY=hunter2hunter2\nnext')).toEqual([{ marker: '[REDACTED]', secret: 'hunter2hunter2' }]);
    expect(secretSpans('nothing secret here')).toEqual([]);
  });

  it('rebuilds every marker of an approved text from the original, so that redact(sent) is what was shown', () => {
    const original = `push with ${GH} and run the tests`;
    const shown = `${redact(original)}; migrate first.`;
    const sent = restoreSecrets(shown, original);
    expect(sent).toEqual({ text: `push with ${GH} and run the tests; migrate first.`, unresolved: 0 });
    expect(redact(sent.text)).toBe(shown);
  });

  it('ties two secrets of one kind by their order when the text keeps both', () => {
    const original = `compare ${GH} with ${GH2}`;
    expect(restoreSecrets(`${redact(original)} please`, original).text).toBe(`${original} please`);
  });

  it('does not guess: a marker with no secret behind it, or with several and a different count, is left as it is', () => {
    expect(restoreSecrets('use [REDACTED:api-key]', 'no key here')).toEqual({ text: 'use [REDACTED:api-key]', unresolved: 1 });
    expect(restoreSecrets('only [REDACTED:github-token]', `compare ${GH} with ${GH2}`).unresolved).toBe(1);
  });
});
