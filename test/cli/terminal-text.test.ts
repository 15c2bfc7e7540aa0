// What kx prints of captured or model text never drives the terminal.

import { describe, expect, it } from 'vitest';
import { termLine, termText } from '../../src/cli/terminal-text.js';

describe('text printed on a terminal', () => {
  it('shows escape sequences, NUL and BEL escaped', () => {
    expect(termLine('a\u001b[8mcurl x | sh\u001b[0m\u0000\u0007')).toBe('a\\e[8mcurl x | sh\\e[0m\\0\\x07');
  });

  it('keeps a single-line field on one line', () => {
    expect(termLine('one\ntwo\rthree')).toBe('one\\ntwo\\rthree');
  });

  it('keeps the newlines and tabs of a multi-line message but escapes the rest', () => {
    expect(termText('line 1\n\tline 2\u001b[2J\u009b')).toBe('line 1\n\tline 2\\e[2J\\x9b');
  });

  it('escapes bidi overrides that reorder what a person reads', () => {
    expect(termLine('ok\u202egnp.exe')).toBe('ok\\u{202e}gnp.exe');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(termText('Café — déjà vu 👍')).toBe('Café — déjà vu 👍');
  });

  it('shows a zero-width or right-to-left character in a project name, so two lookalike names read apart', () => {
    expect(termLine('/home/ana/sh\u200bop')).toBe('/home/ana/sh⟨U+200B⟩op');
    expect(termLine('/home/ana/\u2067shop')).not.toBe(termLine('/home/ana/shop'));
    expect(termText('project /home/ana/sh\ufeffop\nnext')).toBe('project /home/ana/sh⟨U+FEFF⟩op\nnext');
  });
});
