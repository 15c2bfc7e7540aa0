import { describe, expect, it } from 'vitest';
import { cutEnd, oneLine, oneLineCut } from '../../src/text/one-line.js';

describe('one-line text', () => {
  it('puts text on one line whatever breaks it: newlines, tabs, and the Unicode line and paragraph separators', () => {
    expect(oneLine(' run\nthe\r\ntests\tnow\u2028then\u2029ship ')).toBe('run the tests now then ship');
    expect(oneLine('a\u2028\u2028b')).not.toMatch(/[\u2028\u2029\n]/);
  });

  it('cuts a long line to its limit, ending in …', () => {
    expect(cutEnd('abcdef', 4)).toBe('abc…');
    expect(oneLineCut('ab\ncd ef', 6)).toBe('ab cd…');
    expect(oneLineCut('short', 6)).toBe('short');
  });
});
