// What changed, for subscribers that show or act on it while kx runs: the console's live views
// (through GET /api/events), learn mode and the insight engine. In-process only; anything that must
// survive a crash is a row in SQLite, and this only says that the row changed.

import type { LiveEvent } from '../contracts/live-events.js';

export type LiveListener = (event: LiveEvent) => void;

export class LiveEvents {
  private readonly listeners = new Set<LiveListener>();

  constructor(private readonly onListenerError: (err: Error) => void = () => {}) {}

  /** Returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Each listener runs on its own: one that throws neither stops the others nor reaches the publisher. */
  publish(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
