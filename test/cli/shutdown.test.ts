import { describe, expect, it } from 'vitest';
import { shutdownOnSignals } from '../../src/cli/shutdown.js';

function harness(close: () => Promise<void>) {
  const exits: number[] = [];
  const timers: Array<() => void> = [];
  const handler = shutdownOnSignals({ close, log: () => {}, exit: (c) => exits.push(c), graceMs: 5000, setTimer: (fn) => (timers.push(fn), {}) });
  return { handler, exits, fireGrace: () => timers.forEach((t) => t()) };
}

const never = () => new Promise<void>(() => {});

describe('stopping kx on a signal', () => {
  it('exits 0 once the graceful close is done', async () => {
    const h = harness(async () => {});
    h.handler('SIGTERM');
    await Promise.resolve();
    await Promise.resolve();
    expect(h.exits).toEqual([0]);
  });

  it('exits at once on a second signal while the close hangs', () => {
    const h = harness(never);
    h.handler('SIGINT');
    expect(h.exits).toEqual([]);
    h.handler('SIGINT');
    expect(h.exits).toEqual([130]);
  });

  it('exits when the grace period ends and the close still hangs', () => {
    const h = harness(never);
    h.handler('SIGTERM');
    h.fireGrace();
    expect(h.exits).toEqual([1]);
  });

  it('exits 1 when the close fails', async () => {
    const h = harness(() => Promise.reject(new Error('disk gone')));
    h.handler('SIGTERM');
    await new Promise((r) => setImmediate(r));
    expect(h.exits).toEqual([1]);
  });
});
