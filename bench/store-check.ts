// Counts what kx stored, straight from its SQLite file (read-only, beside the running kx: WAL
// lets a reader in while kx writes). The bench's "zero lost events" rests on these counts.

import path from 'node:path';
import Database from 'better-sqlite3';

export interface StoredCounts {
  requests: number;
  completed: number;
  events: number;
  items: number;
  newItems: number;
  maxSkipped: number;
}

/** Requests, their outcomes and stream events, and items, of the sessions whose id starts with `sessionPrefix`. */
export function storedCounts(documentsDir: string, sessionPrefix: string): StoredCounts {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true, fileMustExist: true });
  try {
    const like = `${sessionPrefix.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const r = db
      .prepare(
        `SELECT COUNT(*) AS requests, COALESCE(SUM(outcome = 'completed'), 0) AS completed, COALESCE(SUM(events), 0) AS events,
           COALESCE(SUM(new_items), 0) AS newItems, COALESCE(MAX(skipped_items), 0) AS maxSkipped
         FROM requests WHERE session_id LIKE ? ESCAPE '\\'`,
      )
      .get(like) as Omit<StoredCounts, 'items'>;
    const items = db.prepare(`SELECT COUNT(*) FROM items WHERE session_id LIKE ? ESCAPE '\\'`).pluck().get(like) as number;
    return { ...r, items };
  } finally {
    db.close();
  }
}

/** What the client saw through kx against what kx stored: the figures a reader needs to trust "nothing lost". */
export interface StoreCheck {
  streams: number;
  /** Events the client received through kx. */
  eventsSent: number;
  storedRequests: number;
  storedCompleted: number;
  storedEvents: number;
  lostEvents: number;
  ok: boolean;
}

export function checkStore(documentsDir: string, sessionPrefix: string, streams: number, eventsSent: number): StoreCheck {
  const c = storedCounts(documentsDir, sessionPrefix);
  const lostEvents = eventsSent - c.events;
  return {
    streams,
    eventsSent,
    storedRequests: c.requests,
    storedCompleted: c.completed,
    storedEvents: c.events,
    lostEvents,
    ok: lostEvents === 0 && c.requests === streams && c.completed === streams,
  };
}
