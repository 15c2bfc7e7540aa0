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
});
