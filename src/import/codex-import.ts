// `kx import codex`: Codex's own transcripts into kx's store, one rollout file at a time, line by
// line (memory stays flat however long the sessions are), through the same parsers, tracker and
// store as live capture, so the result is what kx would have recorded had it been there.

import fs from 'node:fs';
import { SessionReader } from '../store/session-reader.js';
import { SearchIndex } from '../store/search-index.js';
import type Database from 'better-sqlite3';
import { SessionStore, type CommitEffects } from '../store/session-store.js';
import { scanRolloutFiles, threadIdOfFileName, type RolloutFile } from './rollout-files.js';
import { DEFAULT_MAX_LINE_BYTES, lineBatches } from './line-reader.js';
import { parseRolloutLineBytes } from './rollout-line.js';
import { RolloutReplay, type ReplayedSession } from './rollout-replay.js';

export type ImportedSession = ReplayedSession;

export interface CodexImportOptions {
  /** Rollout files or folders (searched recursively for files whose first line is a session_meta). */
  paths: readonly string[];
  /** Paths that may be missing (the default Codex folders); a missing explicit path is an error. */
  pathsOptional?: boolean;
  /** Only sessions that started at or after this time. */
  since?: Date;
  /** false with `--no-insight`: imported turns are not handed to `queueInsightsFor`. */
  queueInsights: boolean;
  /** The insight engine's entry for each imported session, new turns or not (connected by the caller). */
  queueInsightsFor?: (session: ImportedSession, db: Database.Database) => void;
  /**
   * Runs inside each commit of the store the import opens (the insight engine's commit hook: it places
   * sessions in their project and queues a job for each ended turn, in the same transaction).
   */
  inTransaction?: (effects: CommitEffects, db: Database.Database) => void;
  /** Where to write: an open store (a running kx's), else one opened on `documentsDir` for the import. */
  store?: SessionStore;
  documentsDir?: string;
  onStart?: (plan: { files: number; bytes: number }) => void;
  onProgress?: (progress: ImportProgress) => void;
  /** After each file, once what it added is committed. */
  onSession?: (session: ImportedSession) => void;
}

export interface ImportProgress {
  files: number;
  filesDone: number;
  bytes: number;
  bytesRead: number;
  itemsAdded: number;
}

export interface CodexImportResult {
  files: number;
  /** Sessions this import added something to. */
  sessionsChanged: number;
  /** Sessions the store already held in full. */
  sessionsUnchanged: number;
  /** Sessions that started before `since`. */
  sessionsBeforeSince: number;
  turnsAdded: number;
  itemsAdded: number;
  itemsRead: number;
  skipped: Record<string, number>;
  /** Lines whose timestamp was not a date and took the time of the line before. */
  timestampsRepaired: number;
  /** Files that look like rollouts in a format kx cannot read (Codex before 0.4x), with why. */
  unsupported: { file: string; reason: string }[];
  /** Files that could not be read at all (permissions, vanished), with why. */
  failed: { file: string; error: string }[];
  seconds: number;
}

/** Store ops the import lets queue before it commits them in one transaction: bounds memory on huge sessions. */
const COMMIT_EVERY_OPS = 2000;
const STORE_PATIENCE_MS = 60_000;

const isBlank = (line: Buffer): boolean => line.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);

/** When a file was last written: the time of a rollout whose lines carry none. */
const fileTime = (file: string): string => {
  try {
    return fs.statSync(file).mtime.toISOString();
  } catch {
    return new Date().toISOString();
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Commits until at most `keep` ops wait; waits out a database another writer (a running kx) holds locked. */
async function commitQueued(store: SessionStore, keep: number): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    store.flush();
    const health = store.getHealth();
    if (health.backlog <= keep) return;
    if (waited >= STORE_PATIENCE_MS) throw new Error(`the database refused writes for a minute: ${health.lastError ?? 'unknown error'}`);
    await sleep(100);
  }
}

async function replayFile(
  store: SessionStore,
  reader: SessionReader,
  rollout: RolloutFile,
  since: Date | undefined,
  onBytes: (bytesRead: number) => void,
): Promise<{ session: ImportedSession; beforeSince: boolean }> {
  const replay = new RolloutReplay(
    { enqueue: (op) => store.enqueue(op), resumeState: (id) => reader.resumeState(id), sessionOfResponse: (id) => reader.sessionOfResponse(id) },
    rollout.file,
    threadIdOfFileName(rollout.file),
    fileTime(rollout.file),
  );
  let beforeSince = false;
  let bytesRead = 0;
  const onOversized = (): void => replay.skipLine(`line over ${DEFAULT_MAX_LINE_BYTES / 1024 / 1024} MB`);
  reading: for await (const lines of lineBatches(rollout.file, { onBytes: (n) => (bytesRead = n), onOversized })) {
    for (const line of lines) {
      if (isBlank(line)) continue;
      try {
        replay.feed(parseRolloutLineBytes(line));
      } catch (err) {
        // A line the parsers choke on costs that line, not the import.
        replay.skipLine(`unreadable line (${(err as Error).message.slice(0, 80)})`);
      }
      if (since && replay.result.startedAt && Date.parse(replay.result.startedAt) < since.getTime()) {
        beforeSince = true;
        break reading;
      }
    }
    if (store.getHealth().backlog >= COMMIT_EVERY_OPS) await commitQueued(store, 0);
    onBytes(bytesRead);
  }
  if (!beforeSince) replay.end();
  await commitQueued(store, 0);
  onBytes(rollout.bytes);
  return { session: replay.result, beforeSince };
}

export async function importCodexRollouts(opts: CodexImportOptions): Promise<CodexImportResult> {
  const started = performance.now();
  const scan = scanRolloutFiles(opts.paths, { optional: opts.pathsOptional ?? false });
  const files = scan.rollouts;
  const ownStore = opts.store ? undefined : openImportStore(opts.documentsDir, opts.inTransaction);
  const store = opts.store ?? ownStore!;
  const reader = new SessionReader(store.db);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const result: CodexImportResult = {
    files: files.length,
    sessionsChanged: 0,
    sessionsUnchanged: 0,
    sessionsBeforeSince: 0,
    turnsAdded: 0,
    itemsAdded: 0,
    itemsRead: 0,
    skipped: {},
    timestampsRepaired: 0,
    unsupported: scan.unsupported,
    failed: [],
    seconds: 0,
  };
  opts.onStart?.({ files: files.length, bytes });
  let bytesDone = 0;
  const search = new SearchIndex(store.db);
  try {
    for (const [i, rollout] of files.entries()) {
      const progress = (bytesRead: number): void =>
        opts.onProgress?.({ files: files.length, filesDone: i, bytes, bytesRead: bytesDone + bytesRead, itemsAdded: result.itemsAdded });
      try {
        const { session, beforeSince } = await replayFile(store, reader, rollout, opts.since, progress);
        // Indexed now, in this process: a running kx searches the same index and sees the session at once.
        search.catchUp();
        if (beforeSince) result.sessionsBeforeSince++;
        else {
          for (const [reason, n] of Object.entries(session.skipped)) result.skipped[reason] = (result.skipped[reason] ?? 0) + n;
          result.itemsRead += session.itemsRead;
          result.timestampsRepaired += session.timestampsRepaired;
          result.itemsAdded += session.itemsAdded;
          result.turnsAdded += session.newTurnIds.length;
          if (session.itemsAdded > 0) result.sessionsChanged++;
          else result.sessionsUnchanged++;
          opts.onSession?.(session);
          // Unchanged sessions too: what an earlier `--no-insight` import left out is queued now.
          if (opts.queueInsights) opts.queueInsightsFor?.(session, store.db);
        }
      } catch (err) {
        result.failed.push({ file: rollout.file, error: (err as Error).message });
      }
      bytesDone += rollout.bytes;
      opts.onProgress?.({ files: files.length, filesDone: i + 1, bytes, bytesRead: bytesDone, itemsAdded: result.itemsAdded });
    }
  } finally {
    ownStore?.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function openImportStore(documentsDir: string | undefined, inTransaction: CodexImportOptions['inTransaction']): SessionStore {
  if (!documentsDir) throw new Error('importCodexRollouts needs a store or a documentsDir');
  // A second writer beside a possibly running kx: kx's own crash recovery is left to kx.
  // The import commits itself, in large transactions between reads, rather than on the store's timer.
  return new SessionStore({
    documentsDir,
    recover: false,
    flushDelayMs: 60_000,
    maxBatch: 2 * COMMIT_EVERY_OPS,
    sliceOps: 2 * COMMIT_EVERY_OPS,
    ...(inTransaction ? { inTransaction } : {}),
  });
}
