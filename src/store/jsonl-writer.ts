// The append side of the jsonl files: after each commit, the lines of its new rows go to each
// session's user_actions.jsonl and agent_actions.jsonl. Lines an append could not write are kept and
// retried with backoff on later commits, and counted, so health can say the files are behind.

import path from 'node:path';
import type Database from 'better-sqlite3';
import { appendPrivate } from './documents-dir.js';
import { jsonlLines } from './jsonl-lines.js';
import { appendMissingLines, joinSources, lineSources, type LineSources } from './jsonl-recovery.js';
import type { StoreOp } from './records.js';

export class JsonlWriter {
  private carry: LineSources = { items: [], results: [] };
  private failing = false;
  private retryAt = 0;
  private retryDelayMs = 0;
  constructor(
    private readonly db: Database.Database,
    private readonly sessionDir: (sessionId: string) => string,
    private readonly log: ((line: Record<string, unknown>) => void) | undefined,
    /** Each failed append, for health. */
    private readonly onFailure: (message: string) => void,
  ) {}

  /** Lines still owed to the files, which the commit of `batch` records in its own transaction. */
  pendingWith(batch: StoreOp[]): string {
    return JSON.stringify(joinSources(this.carry, lineSources(batch)));
  }

  get behind(): number {
    return this.carry.items.length + this.carry.results.length;
  }

  get isFailing(): boolean {
    return this.failing;
  }

  /** Appends the lines of `written` (a committed batch less the items the database already had). */
  append(written: StoreOp[]): void {
    // Lines a failed append kept back are retried with backoff: each retry re-reads the session's files.
    if (this.behind > 0 && Date.now() >= this.retryAt) {
      try {
        appendMissingLines(this.db, this.sessionDir, this.carry);
        this.carry = { items: [], results: [] };
      } catch (err) {
        this.failed(err as Error, undefined);
      }
    }
    let failed = false;
    for (const [sessionId, lines] of jsonlLines(written)) {
      const dir = this.sessionDir(sessionId);
      try {
        if (lines.user.length) appendPrivate(path.join(dir, 'user_actions.jsonl'), lines.user.join(''));
        if (lines.agent.length) appendPrivate(path.join(dir, 'agent_actions.jsonl'), lines.agent.join(''));
      } catch (err) {
        failed = true;
        this.failed(err as Error, path.basename(dir));
      }
    }
    if (failed) this.carry = joinSources(this.carry, lineSources(written));
    if (this.failing && this.behind === 0) {
      this.failing = false;
      this.retryDelayMs = 0;
      this.log?.({ level: 'info', msg: 'jsonl appends recovered' });
    }
  }

  /** Logged once per run of failures, naming the folder (bounded), never the client's id (it may be huge). */
  private failed(err: Error, folder: string | undefined): void {
    const message = err.message.length > 300 ? `${err.message.slice(0, 300)}…` : err.message;
    if (!this.failing) this.log?.({ level: 'error', msg: 'jsonl append failed; retrying after later commits', ...(folder ? { folder } : {}), error: message });
    this.failing = true;
    this.onFailure(`jsonl append failed: ${message}`);
    this.retryAt = Date.now() + this.retryDelayMs;
    // The first retry comes with the next commit, later ones ever further apart.
    this.retryDelayMs = this.retryDelayMs ? Math.min(this.retryDelayMs * 2, 5000) : 100;
  }
}
