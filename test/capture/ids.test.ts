import { describe, expect, it } from 'vitest';
import { newId } from '../../src/capture/ids.js';

describe('ids', () => {
  it('are unique, sorted by creation and say what they name, across many blocks of random bytes', () => {
    const ids = Array.from({ length: 5000 }, () => newId('i'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^i_[0-9a-z]{12}[0-9a-f]{10}$/);
  });

  it('end in random bytes, not a pattern of the pool', () => {
    const tails = new Set(Array.from({ length: 2000 }, () => newId('t').slice(-10)));
    expect(tails.size).toBe(2000);
  });
});
