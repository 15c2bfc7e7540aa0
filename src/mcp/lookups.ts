// Each call the agent makes to kx's tools, kept per session so the console can say how much a session
// leaned on its memory. Arguments are redacted (an agent may search for a pasted key) and capped.

import type Database from 'better-sqlite3';
import { redact } from '../capture/redact.js';
import { MemoryQueries } from '../store/memory-queries.js';

export class LookupLog {
  private readonly store: MemoryQueries;

  constructor(db: Database.Database) {
    this.store = new MemoryQueries(db);
  }

  record(sessionId: string | undefined, tool: string, args: unknown): void {
    this.store.recordLookup(sessionId, tool, redact(JSON.stringify(args ?? {})).slice(0, 2000));
  }
}
