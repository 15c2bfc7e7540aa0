// The only writer of documents/: SQLite rows and the jsonl files.
// Capture enqueues ops; they are committed in batches off the request path. A batch is
// acknowledged (emitted on `events`) only once it is in SQLite and its jsonl lines are appended.

import { EventEmitter } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from './checked-rows.js';
import { parseJson } from '../protocol/json-guards.js';
import { closeAppendFiles, ensureDocumentsDir, repairAllJsonl, privateDatabaseFile } from './documents-dir.js';
import { JsonlWriter } from './jsonl-writer.js';
import { appendMissingLines, storedLineSources } from './jsonl-recovery.js';
import { prepareOpWriters, writeOp } from './op-writers.js';
import type { ItemRecord, StoreOp, TurnStatus } from './records.js';
import type { QuietScheduler } from '../proxy/answer-gate.js';
import { migrate } from './schema.js';
import { FolderBook } from './folder-book.js';
import { typedText } from '../protocol/human-text.js';
import type { StoreHealthView } from '../contracts/health.js';

/** How long a write on this thread outside the background commits (API, flush) may wait for the worker's lock. */
const BUSY_TIMEOUT_MS = 200;
const BUSY_RETRY_MS = 3;
const MAX_BUSY_MS = 5000;
const isBusy = (err: unknown): boolean => (err as { code?: string }).code === 'SQLITE_BUSY';

const openTurnRow = z.object({ turnId: z.string(), sessionId: z.string() });

export interface StoreOptions {
  documentsDir: string;
  /** How long ops may wait to be batched. */
  flushDelayMs?: number;
  /** Flush at once past this many queued ops. */
  maxBatch?: number;
  /**
   * Ops the background flush commits per turn of the event loop. Forwarding shares the thread, so a
   * burst (200 streams ending together) is committed in slices with I/O in between, not in one block.
   */
  sliceOps?: number;
  /** Ops kept in memory while the database refuses writes; past this the oldest are dropped and counted. */
  maxBacklog?: number;
  /**
   * false for a second writer beside a running kx (`kx import`): crash recovery (open turns and
   * pending requests marked interrupted, torn jsonl tails cut) belongs to kx itself and would
   * break what a running kx has in flight.
   */
  recover?: boolean;
  log?: (line: Record<string, unknown>) => void;
  /**
   * Runs inside each commit's transaction with what the commit changed, so rows that must follow a
   * change (the insight job of a turn that just ended) commit with it or not at all: a crash can
   * never keep the change and lose its consequence.
   */
  inTransaction?: (effects: CommitEffects, db: Database.Database) => void;
  /** When a background commit may run: after the answers in flight have started (proxy/answer-gate.ts). */
  scheduler?: QuietScheduler;
}

/** A turn that stopped being open in this commit (completed, failed, interrupted). */
export interface EndedTurn {
  turnId: string;
  sessionId: string;
  status: TurnStatus['status'];
  /** False when its writer asked for no insight jobs (e.g. `kx import codex --no-insight`). */
  insightJobs: boolean;
}

export interface CommitEffects {
  /** The ops that changed a row, in commit order (an item already stored, or a status set to what it was, is left out). */
  changes: StoreOp[];
  endedTurns: EndedTurn[];
}

export interface EnqueueOptions {
  /** false: turns this op ends get no insight job (imports that the person asked to keep quiet). */
  insightJobs?: boolean;
}

export type StoreHealth = StoreHealthView;

export interface StoredBatch {
  /** Items newly inserted by this commit (an item already stored is not announced again). */
  items: ItemRecord[];
  /** Every op of the commit, as queued. */
  ops: StoreOp[];
  /** The ops that changed a row, in commit order: what listeners should act on. */
  changes: StoreOp[];
  endedTurns: EndedTurn[];
}

export interface StoreEvents {
  stored: [StoredBatch];
  error: [Error];
}

export class SessionStore {
  readonly db: Database.Database;
  readonly documentsDir: string;
  /** Newly committed records, for the insight engine, learn mode and the console to subscribe to. */
  readonly events = new EventEmitter<StoreEvents>();
  private queue: StoreOp[] = [];
  /** Ops ever queued, and ever taken off the queue (committed or dropped): tickets below `dequeued` are settled. */
  private enqueued = 0;
  private dequeued = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryDelayMs = 50;
  /** Since when background commits have found the database locked by the insight worker's write. */
  private busySince: number | undefined;
  private readonly health: StoreHealth = { ok: true, backlog: 0, committedOps: 0, droppedOps: 0, jsonlBehind: 0 };
  /** Whether the last jsonl append failed; `ok` in the health is false until one succeeds. */
  /** Each session's folder, decided once and recorded on its row. */
  private readonly folderBook: FolderBook;
  private readonly opts: Required<Omit<StoreOptions, 'log' | 'scheduler'>> & Pick<StoreOptions, 'log' | 'scheduler'>;
  private readonly statements;
  /** Test seam: simulate a failing disk or locked database. */
  faultInjector: (() => void) | undefined;
  private closed = false;
  /** Rows whose jsonl lines an append failed to write (a full disk): written again after the next commit. */
  private readonly jsonl: JsonlWriter;
  /** Ops whose writer asked for no insight jobs. */
  private readonly quietOps = new WeakSet<StoreOp>();

  constructor(opts: StoreOptions) {
    this.opts = { flushDelayMs: 10, maxBatch: 2000, sliceOps: 256, maxBacklog: 500_000, recover: true, ...opts, inTransaction: opts.inTransaction ?? (() => {}) };
    this.documentsDir = opts.documentsDir;
    ensureDocumentsDir(opts.documentsDir);
    if (this.opts.recover) repairAllJsonl(opts.documentsDir);
    this.db = new Database(privateDatabaseFile(path.join(opts.documentsDir, 'sessions.db')));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma('foreign_keys = OFF');
    migrate(this.db);
    if (this.opts.recover) this.recoverInterrupted();
    this.folderBook = new FolderBook(this.db, opts.documentsDir);
    this.folderBook.recordUnfiled();
    this.folderBook.finishMoves();
    this.statements = this.prepare();
    this.jsonl = new JsonlWriter(this.db, (id) => this.sessionDir(id), opts.log, (message) => {
      this.health.lastError = message;
      this.health.lastErrorAt = new Date().toISOString();
    });
    if (this.opts.recover) this.recoverJsonl();
  }

  private prepare() {
    return {
      pending: this.db.prepare(`INSERT OR REPLACE INTO jsonl_pending (id, sources) VALUES (1, ?)`),
      writers: prepareOpWriters(this.db),
      noWait: this.db.prepare(`PRAGMA busy_timeout = 0`),
      wait: this.db.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`),
    };
  }

  /** After a crash: what was in flight is marked, so no turn or request looks live forever. */
  private recoverInterrupted(): void {
    // A response that was still streaming when kx died: told apart from a client hanging up.
    this.db
      .prepare(`UPDATE requests SET outcome = 'interrupted', error = ? WHERE outcome IS NULL`)
      .run(JSON.stringify({ message: 'kx stopped before the response ended' }));
    const open = allRows(openTurnRow, 'open turn', this.db.prepare(`SELECT id AS turnId, session_id AS sessionId FROM turns WHERE status = 'open'`));
    if (open.length === 0) return;
    const endedAt = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE turns SET status = 'interrupted' WHERE status = 'open'`).run();
      const changes: StoreOp[] = open.map((t) => ({ op: 'turn-status', rec: { ...t, status: 'interrupted', endedAt } }));
      this.opts.inTransaction({ changes, endedTurns: open.map((t) => ({ ...t, status: 'interrupted', insightJobs: true })) }, this.db);
    })();
  }

  /** Queues an op and returns its ticket (see `settled`). */
  enqueue(op: StoreOp, opts: EnqueueOptions = {}): number {
    const ticket = this.enqueued;
    if (this.closed) return ticket;
    this.enqueued++;
    if (opts.insightJobs === false) this.quietOps.add(op);
    this.queue.push(op);
    if (this.queue.length > this.opts.maxBacklog) {
      const drop = this.queue.length - this.opts.maxBacklog;
      this.queue.splice(0, drop);
      this.health.droppedOps += drop;
      this.dequeued += drop;
    }
    this.health.backlog = this.queue.length;
    if (this.queue.length >= this.opts.maxBatch && this.health.ok) this.schedule(0);
    else this.schedule(this.health.ok ? this.opts.flushDelayMs : this.retryDelayMs);
    return ticket;
  }

  /** Whether the op with this ticket has left the queue: committed (or dropped past the backlog bound). */
  settled(ticket: number): boolean {
    return ticket < this.dequeued;
  }

  private schedule(delay: number): void {
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const commit = () => {
        this.timer = undefined;
        if (this.commitNext(this.opts.sliceOps, true) && this.queue.length > 0) this.schedule(0);
      };
      if (this.opts.scheduler) this.opts.scheduler.whenQuiet(commit);
      else commit();
    }, delay);
    this.timer.unref?.();
  }

  /** Commits everything queued. Safe to call any time; failures keep the ops for a retry. */
  flush(): void {
    while (this.queue.length > 0) if (!this.commitNext(this.opts.maxBatch)) return;
  }

  /**
   * Commits up to `limit` queued ops in one transaction; false when the store refused them (kept for a retry).
   * A background commit never waits for another writer's lock (SQLite's busy handler sleeps on this,
   * the forwarding, thread): it tries again a few milliseconds later, and only a lock held for
   * seconds counts as a failure.
   */
  private commitNext(limit: number, background = false): boolean {
    if (this.queue.length === 0) return true;
    const batch = this.queue.slice(0, limit);
    let written: StoreOp[];
    let effects: CommitEffects;
    try {
      this.faultInjector?.();
      ({ written, effects } = background ? this.withoutWaiting(() => this.commit(batch)) : this.commit(batch));
    } catch (err) {
      if (background && isBusy(err) && Date.now() - (this.busySince ??= Date.now()) < MAX_BUSY_MS) {
        this.schedule(BUSY_RETRY_MS);
        return false;
      }
      this.onFailure(err as Error);
      return false;
    }
    this.busySince = undefined;
    this.queue.splice(0, batch.length);
    this.dequeued += batch.length;
    this.health.committedOps += batch.length;
    this.health.backlog = this.queue.length;
    if (!this.health.ok) {
      this.health.ok = true;
      this.opts.log?.({ level: 'info', msg: 'store recovered', backlog: this.queue.length });
    }
    this.retryDelayMs = 50;
    this.afterCommit(batch, written, effects);
    return true;
  }

  private withoutWaiting<T>(fn: () => T): T {
    this.statements.noWait.get();
    try {
      return fn();
    } finally {
      this.statements.wait.get();
    }
  }

  /** Commits the batch; `written` is its ops less the items the database already had, which get no jsonl line. */
  private commit(batch: StoreOp[]): { written: StoreOp[]; effects: CommitEffects } {
    const duplicates = new Set<StoreOp>();
    const s = this.statements;
    const pending = this.jsonl.pendingWith(batch);
    this.folderBook.dropRefiled(); // renames of a commit that rolled back
    return this.db.transaction((): { written: StoreOp[]; effects: CommitEffects } => {
      const changes: StoreOp[] = [];
      const endedTurns: EndedTurn[] = [];
      // Which rows this commit's jsonl lines come from, in the same transaction as the rows.
      s.pending.run(pending);
      const folderOf = (id: string): string | null => this.folderBook.handedOutFor(id);
      for (const op of batch) {
        const outcome = writeOp(s.writers, op, { folderOf });
        if (outcome.changed) changes.push(op);
        if (outcome.duplicate) duplicates.add(op);
        if (outcome.endedTurn) endedTurns.push({ ...outcome.endedTurn, insightJobs: !this.quietOps.has(op) });
        // A session's folder carries the first words the human typed (folder-book.ts).
        if (op.op === 'item' && op.rec.kind === 'human_message' && outcome.changed) this.folderBook.fileAtFirstMessage(op.rec.sessionId, typedText(op.rec) ?? '');
      }
      const effects = { changes, endedTurns };
      this.opts.inTransaction(effects, this.db);
      return { written: duplicates.size ? batch.filter((op) => !duplicates.has(op)) : batch, effects };
    })();
  }

  /** `written` is the batch less the items the database already had: only those get jsonl lines. */
  private afterCommit(batch: StoreOp[], written: StoreOp[], effects: CommitEffects): void {
    this.folderBook.moveRefiled();
    this.jsonl.append(written);
    this.health.jsonlBehind = this.jsonl.behind;
    const items = effects.changes.flatMap((op) => (op.op === 'item' ? [op.rec] : []));
    this.announce({ items, ops: batch, changes: effects.changes, endedTurns: effects.endedTurns });
  }

  /**
   * Each listener on its own: one that throws neither stops the listeners after it (insight, console
   * and learn mode all listen) nor stalls the store.
   */
  private announce(batch: StoredBatch): void {
    for (const listener of this.events.listeners('stored') as Array<(b: StoredBatch) => void>) {
      try {
        listener(batch);
      } catch (err) {
        this.opts.log?.({ level: 'error', msg: 'store subscriber failed', error: (err as Error).message });
      }
    }
  }

  /** The folder of a session's files (folder-book.ts); `firstMessage` names it when the session is not stored yet. */
  sessionDir(sessionId: string, firstMessage?: string): string {
    return this.folderBook.dir(sessionId, firstMessage);
  }

  /** Writes the lines a crash kept from the jsonl files after their rows were committed. */
  private recoverJsonl(): void {
    const sources = oneRow(z.string(), 'pending jsonl lines', this.db.prepare(`SELECT sources FROM jsonl_pending WHERE id = 1`).pluck());
    if (sources === undefined) return;
    try {
      const written = appendMissingLines(this.db, (id) => this.sessionDir(id), storedLineSources.parse(parseJson(sources)));
      if (written) this.opts.log?.({ level: 'warn', msg: 'jsonl lines restored after an interrupted write', lines: written });
      this.db.prepare(`DELETE FROM jsonl_pending`).run();
    } catch (err) {
      // The files stay behind the database until the next start; kx itself must still start.
      this.opts.log?.({ level: 'error', msg: 'jsonl recovery failed', error: (err as Error).message });
    }
  }

  private onFailure(err: Error): void {
    const first = this.health.ok;
    this.health.ok = false;
    this.health.lastError = err.message;
    this.health.lastErrorAt = new Date().toISOString();
    if (first) this.opts.log?.({ level: 'error', msg: 'store write failed; keeping ops in memory and retrying', error: err.message });
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 2000);
    this.schedule(this.retryDelayMs);
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err);
  }

  /** `ok` is false while the database refuses writes or the jsonl files cannot be appended to. */
  getHealth(): StoreHealth {
    return { ...this.health, ok: this.health.ok && !this.jsonl.isFailing, backlog: this.queue.length };
  }

  close(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.db.close();
      closeAppendFiles();
    }
  }
}
