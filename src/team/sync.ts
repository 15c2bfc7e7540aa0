// The sync loop, run by the insight engine's worker (never kx's forwarding thread): bring the team
// database's schema up to date, queue the gaps a person changed, push the outbox, pull what others
// changed, and again. When the database cannot be reached, nothing is lost: the outbox keeps growing in
// SQLite, the status says so (with the backlog), and the loop retries with a doubling delay.

import type Database from 'better-sqlite3';
import pg from 'pg';
import type { GapChange, IndexTeamRecord } from './apply.js';
import { enqueueChangedGaps, markAllGaps } from './outbox.js';
import { migrateTeamDatabase } from './pg-migrations.js';
import { pullOnce } from './pull.js';
import { pushOnce, TEAM_CHANNEL } from './push.js';
import type { TeamIdentity } from './records.js';
import { joinOnce, machineId, setTeamEnabled, writeStatus, type TeamStatus } from './team-state.js';
import { poolConfig, type TeamUrl } from './team-url.js';

export interface TeamSyncOptions {
  db: Database.Database;
  url: TeamUrl;
  author: string;
  index: IndexTeamRecord;
  log: (line: Record<string, unknown>) => void;
  /** Told of the gaps a pull changed (kx's worker announces them as live events). */
  gapsChanged?: (changes: GapChange[]) => void;
  /** How often an idle loop looks for others' changes. */
  pollMs?: number;
  /** First retry delay after a failure; doubles up to maxRetryMs. */
  retryBaseMs?: number;
  maxRetryMs?: number;
  /** Records per push or pull page. */
  pageSize?: number;
}

/** Pages per round before the loop yields, so a long backlog does not starve the pull. */
const PAGES_PER_ROUND = 20;

export class TeamSync {
  private pool: pg.Pool | undefined;
  private migrated = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Woken while a round ran: run another at once when it ends. */
  private again = false;
  /** A connection that LISTENs for other machines' pushes; dropped on error, made again after a good round. */
  private listener: pg.Client | undefined;
  private closed = false;
  private failures = 0;
  private readonly me: TeamIdentity;
  private status: TeamStatus;
  private lastWrite = 0;

  constructor(private readonly o: TeamSyncOptions) {
    setTeamEnabled(o.db, true);
    joinOnce(o.db, () => markAllGaps(o.db));
    this.me = { machineId: machineId(o.db), author: o.author };
    this.status = { state: 'starting', database: o.url.masked, lastError: null, lastSyncAt: null, nextRetryAt: null, sent: 0, received: 0 };
    writeStatus(o.db, this.status);
  }

  get identity(): TeamIdentity {
    return this.me;
  }

  start(): void {
    this.schedule(0);
  }

  /** Something was queued: push soon rather than at the next poll. */
  wake(): void {
    if (this.failures > 0) return; // the database is down: the retry timer decides
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.round().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    let busy = false;
    try {
      busy = await this.exchange();
      this.failures = 0;
      this.report({ state: 'connected', lastError: null, lastSyncAt: new Date().toISOString(), nextRetryAt: null });
    } catch (err) {
      this.failures++;
      const delay = Math.min((this.o.retryBaseMs ?? 1000) * 2 ** (this.failures - 1), this.o.maxRetryMs ?? 30_000);
      const message = this.masked((err as Error).message ?? String(err));
      if (this.failures === 1 || this.status.lastError !== message) this.o.log({ level: 'warn', msg: 'team database unreachable; kept locally, retrying', error: message, retryInMs: delay });
      this.report({ state: 'unreachable', lastError: message, nextRetryAt: new Date(Date.now() + delay).toISOString() });
      return this.schedule(delay);
    }
    void this.listen();
    const again = this.again;
    this.again = false;
    this.schedule(busy || again ? 0 : this.o.pollMs ?? 500);
  }

  /** Other machines' pushes wake this one (NOTIFY); polling stays, in case a notification is lost. */
  private async listen(): Promise<void> {
    if (this.listener || this.closed) return;
    const client = new pg.Client(poolConfig(this.o.url));
    this.listener = client;
    const drop = () => {
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => {});
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${TEAM_CHANNEL}`);
      if (this.closed) drop();
    } catch {
      drop();
    }
  }

  /** One round of work; true when there may be more right away. */
  private async exchange(): Promise<boolean> {
    const pool = (this.pool ??= this.newPool());
    if (!this.migrated) {
      const client = await pool.connect();
      try {
        await migrateTeamDatabase(client);
      } finally {
        client.release();
      }
      this.migrated = true;
    }
    enqueueChangedGaps(this.o.db);
    const size = this.o.pageSize ?? 500;
    let pushed = 0;
    let pulled = 0;
    for (let i = 0; i < PAGES_PER_ROUND && !this.closed; i++) {
      const sent = await pushOnce(this.o.db, pool, this.me, size);
      const got = await pullOnce(this.o.db, pool, this.me, { index: this.o.index, refused: this.refused, gapsChanged: this.o.gapsChanged ?? (() => {}) }, size);
      pushed += sent;
      pulled += got;
      if (sent < size && got < size) return this.counted(pushed, pulled, false);
    }
    return this.counted(pushed, pulled, true);
  }

  private readonly refused = (r: { machine_id: string; kind: string; local_id: string }, why: string): void =>
    this.o.log({ level: 'warn', msg: 'a record from the team was refused', machine: r.machine_id, kind: r.kind, id: r.local_id, why });

  private counted(pushed: number, pulled: number, more: boolean): boolean {
    this.status.sent += pushed;
    this.status.received += pulled;
    return more;
  }

  private newPool(): pg.Pool {
    const pool = new pg.Pool(poolConfig(this.o.url));
    // An idle connection dropped by the server must not crash the worker: the next query reconnects.
    pool.on('error', (err) => this.o.log({ level: 'warn', msg: 'team database connection lost', error: this.masked(err.message) }));
    return pool;
  }

  /** A driver's message with the URL's password taken out, wherever it appears. */
  private masked(message: string): string {
    let out = message.replaceAll(this.o.url.secret, this.o.url.masked);
    const password = safePassword(this.o.url.secret);
    if (password) out = out.replaceAll(password, '***');
    return out;
  }

  private report(change: Partial<TeamStatus>): void {
    const next = { ...this.status, ...change };
    const changed = JSON.stringify({ ...next, lastSyncAt: null, sent: 0, received: 0 }) !== JSON.stringify({ ...this.status, lastSyncAt: null, sent: 0, received: 0 });
    this.status = next;
    // Written when something a person would see changed, and at most every few seconds otherwise.
    if (changed || Date.now() - this.lastWrite > 2_000) {
      this.lastWrite = Date.now();
      writeStatus(this.o.db, this.status);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
    writeStatus(this.o.db, this.status);
    await this.listener?.end().catch(() => {});
    await this.pool?.end().catch(() => {});
  }
}

function safePassword(url: string): string | undefined {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p.length >= 3 ? p : undefined;
  } catch {
    return undefined;
  }
}
