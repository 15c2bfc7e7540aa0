// Each call the agent makes to kx's tools, kept per session so the console can say how much a session
// leaned on its memory. Arguments are redacted (an agent may search for a pasted key) and capped.

import type Database from 'better-sqlite3';
import { redact } from '../capture/redact.js';

export class LookupLog {
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO memory_lookups (session_id, tool, arguments, created_at) VALUES (?, ?, ?, ?)`);
  }

  record(sessionId: string | undefined, tool: string, args: unknown): void {
    this.insert.run(sessionId ?? null, tool, redact(JSON.stringify(args ?? {})).slice(0, 2000), new Date().toISOString());
  }
}
