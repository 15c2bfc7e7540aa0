import { describe, expect, it } from 'vitest';
import { fitEntries } from '../../src/mcp/budget.js';
import { cutToFit } from '../../src/text/head-and-tail.js';

describe('answer budget', () => {
  it('keeps the head and the tail of a long text, says how much was cut, and stays within the limit', () => {
    const text = `START ${'a'.repeat(10_000)} END`;
    const cut = cutToFit(text, 500);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.startsWith('START ')).toBe(true);
    expect(cut.endsWith(' END')).toBe(true);
    expect(cut).toMatch(/\[kx: \d+ characters cut here\]/);
    expect(cutToFit('short', 500)).toBe('short');
  });

  it('shows entries while they fit and counts the ones left out', () => {
    const entries = Array.from({ length: 50 }, (_, i) => `entry ${i} ${'w'.repeat(300)}`);
    const out = fitEntries('heading', entries, 500);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toContain('entry 0 ');
    const shown = (out.match(/entry \d+ /g) ?? []).length;
    expect(out).toContain(`(${50 - shown} more not shown`);
  });
});
