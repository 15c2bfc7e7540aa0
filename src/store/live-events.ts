// What changed, for subscribers that show or act on it while kx runs: the console's live views
// (through GET /api/events), learn mode and the insight engine. In-process only; anything that must
// survive a crash is a row in SQLite, and this only says that the row changed.

export type LiveEvent =
  /** Items committed to SQLite and the jsonl files, in session order. */
  | { type: 'items'; sessionId: string; turnId: string | null; itemIds: string[] }
  /** A turn began or its status changed. */
  | { type: 'turn'; sessionId: string; turnId: string; status: string }
  /** A session was first stored, or its facts changed (project, mode, end). */
  | { type: 'session'; sessionId: string }
  /** An insight job changed state (queued, running, done, failed, waiting_key). */
  | { type: 'insight'; sessionId: string | null; turnId: string | null; jobKind: string; state: string }
  /** A gap opened, was seen again, resolved or reopened. */
  | { type: 'gap'; gapId: string; project: string; status: string }
  /** A learn-mode approval was created or settled. */
  | { type: 'approval'; approvalId: string; sessionId: string; status: string }
  /** The learn/capture mode in force changed. */
  | { type: 'mode'; scope: 'global' | 'project' | 'session'; target: string | null; mode: string };

export type LiveEventType = LiveEvent['type'];
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
