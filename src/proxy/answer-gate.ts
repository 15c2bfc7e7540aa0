// Requests that have gone upstream and whose answer has not started yet. kx's own work (capture's
// parsing, the store's commits) waits while any is pending, so an answer's first byte never queues
// behind it on the one forwarding thread. Held work runs one piece per turn of the event loop, so a
// request that arrives meanwhile is read, forwarded and closes the gate before the next piece. Each
// wait is bounded: under constant overlapping traffic the work still runs, at most `maxDeferMs` after
// it was ready.

import { performance } from 'node:perf_hooks';

export interface QuietScheduler {
  /** Runs `fn` once no forwarded request is waiting for its first byte, or after the bound. */
  whenQuiet(fn: () => void): void;
}

export class AnswerGate implements QuietScheduler {
  private pending = 0;
  private waiters: Array<{ fn: () => void; deadline: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  constructor(private readonly maxDeferMs = 20) {}

  get waiting(): number {
    return this.pending;
  }

  /** A request went upstream; call the returned function when its answer starts (or never will). */
  awaitAnswer(): () => void {
    this.pending++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pending--;
      if (this.pending === 0 && this.waiters.length) this.releaseSoon();
    };
  }

  whenQuiet(fn: () => void): void {
    this.waiters.push({ fn, deadline: performance.now() + this.maxDeferMs });
    if (this.pending === 0) this.releaseSoon();
    else this.armTimer();
  }

  // After the current I/O callback, so the byte that released the gate is written first; one
  // immediate at a time, so I/O is polled between two pieces of held work.
  private releaseSoon(): void {
    if (this.released) return;
    this.released = true;
    setImmediate(() => {
      this.released = false;
      this.run(this.pending === 0 ? Infinity : performance.now());
    });
  }

  private armTimer(): void {
    if (this.timer) return;
    const first = this.waiters[0]!.deadline;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run(performance.now());
    }, Math.max(0, first - performance.now()));
    this.timer.unref?.();
  }

  /** Runs the oldest waiter if its deadline is at or before `now` (always when quiet), then yields. */
  private run(now: number): void {
    const first = this.waiters[0];
    if (first && first.deadline <= now) {
      this.waiters.shift();
      first.fn();
    }
    if (this.waiters.length) {
      if (this.pending === 0) this.releaseSoon();
      else this.armTimer();
    }
  }
}

/** No traffic to wait for (tests, import): the next turn of the event loop. */
export const immediately: QuietScheduler = { whenQuiet: (fn) => void setImmediate(fn) };
