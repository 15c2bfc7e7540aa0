import { describe, expect, it } from 'vitest';
import { cutMark, cutToFit, headAndTail } from '../../src/text/head-and-tail.js';

describe('head and tail', () => {
  it('keeps the head and the tail around a mark that says how much went', () => {
    expect(headAndTail('a'.repeat(600) + 'b'.repeat(400), 100)).toBe(`${'a'.repeat(60)}${cutMark(900)}${'b'.repeat(40)}`);
    expect(headAndTail('short', 100)).toBe('short');
  });

  it('fits the mark inside the limit when asked to', () => {
    const cut = cutToFit(`START ${'x'.repeat(5000)} END`, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/^START x+\n\[kx: \d+ characters cut here\]\nx+ END$/);
  });

  it('adds a fact to the mark', () => {
    expect(cutMark(5, 'the field had 9')).toBe('\n[kx: 5 characters cut here; the field had 9]\n');
  });
});
