import { describe, expect, it, vi } from 'vitest';
import { AnswerGate } from '../../src/proxy/answer-gate.js';
import { WorkQueue } from '../../src/capture/work-queue.js';

const turn = () => new Promise<void>((r) => setImmediate(r));
const ms = (n: number) => new Promise<void>((r) => setTimeout(r, n));

describe('the answer gate', () => {
  it('runs work on the next turn of the event loop when no request awaits its answer', async () => {
    const gate = new AnswerGate(1000);
    const ran = vi.fn();
    gate.whenQuiet(ran);
    expect(ran).not.toHaveBeenCalled();
    await turn();
    expect(ran).toHaveBeenCalledOnce();
  });

  it('holds work while a forwarded request has no answer yet, and runs it once the answer starts', async () => {
    const gate = new AnswerGate(1000);
    const answered = gate.awaitAnswer();
    const ran = vi.fn();
    gate.whenQuiet(ran);
    await ms(20);
    expect(ran).not.toHaveBeenCalled();
    answered();
    await turn();
    await turn();
    expect(ran).toHaveBeenCalledOnce();
  });

  it('waits for every request in flight, counting a request answered twice once', async () => {
    const gate = new AnswerGate(1000);
    const first = gate.awaitAnswer();
    const second = gate.awaitAnswer();
    const ran = vi.fn();
    gate.whenQuiet(ran);
    first();
    first();
    await ms(10);
    expect(ran).not.toHaveBeenCalled();
    expect(gate.waiting).toBe(1);
    second();
    await vi.waitFor(() => expect(ran).toHaveBeenCalledOnce());
  });

  it('runs held work by its bound when answers keep not coming', async () => {
    const gate = new AnswerGate(5);
    gate.awaitAnswer();
    const ran = vi.fn();
    gate.whenQuiet(ran);
    await vi.waitFor(() => expect(ran).toHaveBeenCalledOnce(), { timeout: 2000, interval: 5 });
    expect(gate.waiting).toBe(1);
  });

  it('keeps capture work in order behind the gate', async () => {
    const gate = new AnswerGate(1000);
    const answered = gate.awaitAnswer();
    const order: number[] = [];
    const q = new WorkQueue((e) => {
      throw e;
    }, gate);
    q.push(() => order.push(1));
    q.push(() => order.push(2));
    await ms(10);
    expect(q.size).toBe(2);
    answered();
    await q.drained();
    expect(order).toEqual([1, 2]);
  });

  it('runs held work one piece per turn of the event loop, and holds the rest when a request goes upstream between pieces', async () => {
    const gate = new AnswerGate(1000);
    const answered = gate.awaitAnswer();
    let next: (() => void) | undefined;
    // The first piece stands for the I/O that a turn of the loop lets in: a request forwarded meanwhile.
    gate.whenQuiet(() => (next = gate.awaitAnswer()));
    const second = vi.fn();
    gate.whenQuiet(second);
    answered();
    await vi.waitFor(() => expect(next).toBeDefined());
    await ms(20);
    expect(second).not.toHaveBeenCalled();
    next!();
    await vi.waitFor(() => expect(second).toHaveBeenCalledOnce());
  });

  it('lets the event loop turn between two pieces of work queued while nothing was in flight', async () => {
    const gate = new AnswerGate(1000);
    const order: string[] = [];
    gate.whenQuiet(() => {
      order.push('first');
      // An I/O callback of this turn: it runs before the next piece of held work, not after it.
      setImmediate(() => order.push('between'));
    });
    gate.whenQuiet(() => order.push('second'));
    await vi.waitFor(() => expect(order).toHaveLength(3));
    expect(order).toEqual(['first', 'between', 'second']);
  });

  it('gives the loop back after about a millisecond of capture work, not four', async () => {
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const q = new WorkQueue((e) => {
        throw e;
      }, new AnswerGate(1000));
      let ran = 0;
      for (let i = 0; i < 10; i++) q.push(() => ((now += 0.6), ran++));
      await turn();
      expect(ran).toBe(2);
      await q.drained();
      expect(ran).toBe(10);
    } finally {
      clock.mockRestore();
    }
  });
});
