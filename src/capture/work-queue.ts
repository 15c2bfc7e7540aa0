// An ordered queue of capture work, drained in slices when the traffic is quiet (answer-gate.ts)
// so forwarding always gets the event loop first: an answer never waits behind parsing.

import { immediately, type QuietScheduler } from '../proxy/answer-gate.js';

// A request that arrives while a slice runs waits for it: at most about a millisecond (and one job).
const SLICE_MS = 1;

export class WorkQueue {
  private jobs: Array<() => void> = [];
  private head = 0;
  private scheduled = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly onError: (err: unknown) => void,
    private readonly scheduler: QuietScheduler = immediately,
  ) {}

  get size(): number {
    return this.jobs.length - this.head;
  }

  push(job: () => void): void {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      this.scheduler.whenQuiet(this.run);
    }
  }

  drained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private readonly run = (): void => {
    const deadline = performance.now() + SLICE_MS;
    while (this.head < this.jobs.length) {
      const job = this.jobs[this.head]!;
      this.jobs[this.head] = undefined as unknown as () => void;
      this.head++;
      try {
        job();
      } catch (err) {
        this.onError(err);
      }
      if (performance.now() > deadline) break;
    }
    if (this.head >= this.jobs.length) {
      this.jobs = [];
      this.head = 0;
      this.scheduled = false;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    } else {
      if (this.head > 4096) {
        this.jobs = this.jobs.slice(this.head);
        this.head = 0;
      }
      this.scheduler.whenQuiet(this.run);
    }
  };
}
