// Which files `kx import codex` reads: Codex writes one rollout per thread under
// `<CODEX_HOME>/sessions/YYYY/MM/DD/` and moves archived ones to `<CODEX_HOME>/archived_sessions/`.
// People keep copies under other names (`bug-repro.jsonl`), so a file is a rollout by its content:
// its first line is a `session_meta` line. Rollouts Codex wrote before it put every line in a
// `{timestamp, type, payload}` envelope (before 0.4x) cannot be replayed; they are counted, not read.

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ROLLOUT_NAME = /^rollout-.*\.jsonl?$/;
const THREAD_ID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
/** How much of a file is read to tell what it is: a line's type sits in its first hundred bytes. */
const HEAD_BYTES = 512;
/** `{"timestamp":"…","ordinal":N,"type":"…"`: the envelope every line has had since Codex 0.4x, as Codex writes it. */
const ENVELOPE_HEAD = /^\s*\{"timestamp":"([^"]*)",(?:"ordinal":\d+,)?"type":"([a-z_]+)"/;
/** The same envelope in any JSON formatting (`json.dumps` puts spaces after `:` and `,`; keys may come in any order). */
const envelopeLine = z.object({ timestamp: z.string(), type: z.string().regex(/^[a-z_]+$/) });
/** Longest first line read whole when it is not in Codex's compact form (a session_meta carries the base instructions). */
const MAX_FIRST_LINE = 8 * 1024 * 1024;

/** Where Codex keeps rollouts under its home folder. */
export function codexRolloutDirs(codexHome: string): string[] {
  return [path.join(codexHome, 'sessions'), path.join(codexHome, 'archived_sessions')];
}

/** The thread id Codex puts at the end of a rollout's file name. */
export function threadIdOfFileName(file: string): string | undefined {
  return THREAD_ID_IN_NAME.exec(path.basename(file))?.[1]?.toLowerCase();
}

/** What a file's first line says it is. */
export type RolloutKind =
  /** A rollout kx reads; `startedAt` is its first line's time, for ordering. */
  | { kind: 'rollout'; startedAt: string }
  /** Named or shaped like a rollout, in a format kx cannot read. */
  | { kind: 'unsupported'; reason: string }
  | { kind: 'other' };

/** The file's start up to `bytes`, or to its first newline past `HEAD_BYTES` when `wholeLine`. */
function readHead(file: string, wholeLine = false): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (let want = HEAD_BYTES; size < MAX_FIRST_LINE; want = Math.min(size, MAX_FIRST_LINE - size)) {
      const buf = Buffer.alloc(want);
      const n = fs.readSync(fd, buf, 0, want, size);
      chunks.push(buf.subarray(0, n));
      size += n;
      if (n < want || !wholeLine || buf.subarray(0, n).includes(10)) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The time and type a first line states: Codex's compact form from the head, any other formatting parsed whole. */
function firstLineEnvelope(file: string, firstLine: string): { timestamp: string; type: string } | undefined {
  const compact = ENVELOPE_HEAD.exec(firstLine);
  if (compact) return { timestamp: compact[1]!, type: compact[2]! };
  if (!/^\s*\{/.test(firstLine)) return undefined;
  const whole = readHead(file, true).replace(/^\uFEFF/, '').split('\n', 1)[0]!;
  try {
    const parsed = envelopeLine.safeParse(JSON.parse(whole));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not JSON, or cut at MAX_FIRST_LINE
  }
}

/**
 * Tells a rollout by its first line. `named`: the person named this file, or its name is Codex's own
 * `rollout-…`; such a file that is not readable is reported as unsupported rather than passed over.
 */
export function rolloutKind(file: string, named: boolean): RolloutKind {
  const head = readHead(file).replace(/^\uFEFF/, '');
  const firstLine = head.split('\n', 1)[0] ?? '';
  const envelope = firstLineEnvelope(file, firstLine);
  if (envelope?.type === 'session_meta') return { kind: 'rollout', startedAt: envelope.timestamp };
  // A rollout cut before its session_meta still names its thread in the file name.
  if (envelope && named && threadIdOfFileName(file)) return { kind: 'rollout', startedAt: envelope.timestamp };
  if (!named && !/^\s*\{"id":"[^"]*","timestamp":"/.test(firstLine)) return { kind: 'other' };
  if (/^\s*\{"id":"/.test(firstLine) || /^\s*\{"session":/.test(firstLine)) return { kind: 'unsupported', reason: 'written by Codex before 0.4x' };
  return { kind: 'unsupported', reason: 'first line is not a session_meta' };
}

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && /\.jsonl?$/i.test(entry.name)) out.push(full);
  }
}

/** A path given to the import that is not there: the person's mistake, said plainly. */
export class MissingRolloutPath extends Error {}

export interface RolloutFile {
  file: string;
  bytes: number;
}

export interface RolloutScan {
  rollouts: RolloutFile[];
  /** Files that look like rollouts kx cannot read, with why. */
  unsupported: { file: string; reason: string }[];
}

/**
 * Rollout files under each path (a folder, searched recursively, or one file), oldest first by the
 * time on their first line, so a thread's history is imported in order whatever the files are called.
 * `optional` paths that do not exist are passed over (a Codex home without archived sessions).
 */
export function scanRolloutFiles(paths: readonly string[], opts: { optional?: boolean } = {}): RolloutScan {
  const found = new Map<string, boolean>();
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      if (opts.optional) continue;
      throw new MissingRolloutPath(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      const inside: string[] = [];
      walk(p, inside);
      for (const f of inside) if (!found.has(path.resolve(f))) found.set(path.resolve(f), ROLLOUT_NAME.test(path.basename(f)));
    } else found.set(path.resolve(p), true);
  }
  const rollouts: Array<RolloutFile & { startedAt: string }> = [];
  const unsupported: RolloutScan['unsupported'] = [];
  for (const [file, named] of found) {
    let kind: RolloutKind;
    try {
      kind = rolloutKind(file, named);
    } catch (err) {
      kind = { kind: 'unsupported', reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
    if (kind.kind === 'rollout') rollouts.push({ file, bytes: fs.statSync(file).size, startedAt: kind.startedAt });
    else if (kind.kind === 'unsupported') unsupported.push({ file, reason: kind.reason });
  }
  rollouts.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || path.basename(a.file).localeCompare(path.basename(b.file)) || a.file.localeCompare(b.file));
  return { rollouts: rollouts.map(({ file, bytes }) => ({ file, bytes })), unsupported };
}

/** The readable rollouts of `scanRolloutFiles`. */
export function findRolloutFiles(paths: readonly string[], opts: { optional?: boolean } = {}): RolloutFile[] {
  return scanRolloutFiles(paths, opts).rollouts;
}
