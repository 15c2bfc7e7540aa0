import { describe, expect, it } from 'vitest';
import { guardObserver } from '../../src/proxy/guarded-observer.js';

class CountingObserver {
  seen: string[] = [];
  chunk(c: string): void {
    if (c === 'bad') throw new Error('parser bug');
    this.seen.push(c);
  }
  end(): void {
    this.seen.push('end');
  }
}

describe('a guarded capture observer', () => {
  it('passes calls through to the observer, its own methods included', () => {
    const obs = new CountingObserver();
    const guarded = guardObserver(obs, 'traffic', () => {})!;
    guarded.chunk('a');
    guarded.end();
    expect(obs.seen).toEqual(['a', 'end']);
  });

  it('drops an observer after its first throw, logs it once, and never throws to the caller', () => {
    const obs = new CountingObserver();
    const logs: Array<Record<string, unknown>> = [];
    const guarded = guardObserver(obs, 'traffic', (l) => logs.push(l))!;
    guarded.chunk('a');
    expect(() => guarded.chunk('bad')).not.toThrow();
    guarded.chunk('b');
    guarded.end();
    expect(obs.seen).toEqual(['a']);
    expect(logs).toEqual([expect.objectContaining({ msg: 'capture observer failed; traffic continues uncaptured', error: 'parser bug' })]);
  });

  it('is nothing when there is no observer', () => {
    expect(guardObserver(undefined, 'traffic', () => {})).toBeUndefined();
  });
});
