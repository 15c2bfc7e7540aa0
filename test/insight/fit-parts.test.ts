import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitParts, renderParts, type TurnPart } from '../../src/insight/turn-input.js';
import { estimateTokens } from '../../src/text/tokens.js';
import { runInWorker } from '../support/run-in-worker.js';

const KINDS: TurnPart['kind'][] = ['human', 'assistant', 'reasoning', 'tool_call', 'tool_output', 'error'];
const part = (kind: TurnPart['kind'], chars: number, fill = 'x'): TurnPart => ({ kind, label: kind.replace('_', ' '), text: fill.repeat(chars) });
const dropMarker = (p: TurnPart) => p.label === 'kx';

describe('fitting a turn to the insight call’s budget', () => {
  it('returns for 100 parts of 1,000 characters under a 10,000-token budget (it looped for good)', async () => {
    const parts = Array.from({ length: 100 }, (_, i) => part(i === 0 ? 'human' : i % 2 ? 'tool_call' : 'tool_output', 1000));
    const outcome = await runInWorker<TurnPart[]>(new URL('../../src/insight/turn-input.ts', import.meta.url).href, 'fitParts', [parts, 10_000], 15_000);
    expect(outcome.returned).toBe(true);
    if (outcome.returned) expect(estimateTokens(renderParts(outcome.value))).toBeLessThanOrEqual(10_000);
  });

  it('always returns, and either fits or drops the middle with a marker, for hundreds of parts of every kind and size', () => {
    const anyPart = fc.record({ kind: fc.constantFrom(...KINDS), chars: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 200_000 })) });
    fc.assert(
      fc.property(fc.array(anyPart, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 200_000 }), (specs, budget) => {
        const parts = specs.map((s) => part(s.kind, s.chars));
        const fitted = fitParts(parts, budget);
        const size = estimateTokens(renderParts(fitted));
        if (size > budget) {
          // Only when even the first and last parts, cut to the bone, do not fit.
          expect(fitted.length).toBeLessThanOrEqual(3);
        }
        expect(fitted[0]!.kind).toBe(parts[0]!.kind);
        if (fitted.length < parts.length) expect(fitted.filter(dropMarker)).toHaveLength(1);
      }),
      { numRuns: 150 },
    );
  });

  it('never grows a part it cuts', () => {
    // Parts just over the minimum a cut keeps are where a cut's marker could make a part longer.
    const size = fc.oneof(fc.integer({ min: 230, max: 300 }), fc.integer({ min: 0, max: 3_000 }));
    fc.assert(
      fc.property(fc.array(size, { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 50_000 }), (sizes, budget) => {
        const parts = sizes.map((n, i) => part(KINDS[i % KINDS.length]!, n));
        const fitted = fitParts(parts, budget);
        // With nothing dropped, part i of the answer is part i of the turn, at most as long.
        if (fitted.some(dropMarker)) return;
        expect(fitted).toHaveLength(parts.length);
        fitted.forEach((p, i) => expect(p.text.length).toBeLessThanOrEqual(parts[i]!.text.length));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the human’s message and the latest step when the middle is dropped', () => {
    const parts = [part('human', 500, 'h'), ...Array.from({ length: 600 }, () => part('tool_call', 400)), part('assistant', 300, 'a')];
    const fitted = fitParts(parts, 2_000);
    expect(estimateTokens(renderParts(fitted))).toBeLessThanOrEqual(2_000);
    expect(fitted[0]!.text.startsWith('h')).toBe(true);
    expect(fitted.at(-1)!.text.startsWith('a')).toBe(true);
    expect(fitted.filter(dropMarker)).toHaveLength(1);
  });

  it('keeps at least the last step, cut, when not even it fits beside the human’s message', () => {
    const parts = [part('human', 2_000, 'h'), part('tool_call', 2_000), part('tool_output', 2_000), part('assistant', 2_000, 'a')];
    const fitted = fitParts(parts, 100);
    expect(fitted[0]!.text.startsWith('h')).toBe(true);
    expect(fitted.filter(dropMarker)).toHaveLength(1);
    expect(fitted.at(-1)!.kind).toBe('assistant');
    expect(fitted.at(-1)!.text.startsWith('a')).toBe(true);
  });

  it('gives the room a budget leaves to the parts it keeps, rather than cutting them all to the bone', () => {
    const parts = [part('human', 200, 'h'), part('tool_output', 20_000), part('tool_output', 20_000)];
    const fitted = fitParts(parts, 6_000);
    const size = estimateTokens(renderParts(fitted));
    expect(size).toBeLessThanOrEqual(6_000);
    expect(size).toBeGreaterThan(5_500);
  });

  it('cuts a part once, with one marker that counts what was cut', () => {
    const fitted = fitParts([part('human', 100, 'h'), part('tool_output', 50_000)], 2_000);
    const marks = fitted[1]!.text.match(/\[kx: (\d+) characters cut here\]/g) ?? [];
    expect(marks).toHaveLength(1);
    const kept = fitted[1]!.text.replace(/\n\[kx: \d+ characters cut here\]\n/, '').length;
    expect(Number(/\[kx: (\d+)/.exec(marks[0]!)![1])).toBe(50_000 - kept);
  });
});
