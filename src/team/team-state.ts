// team_state: the few facts team memory keeps in SQLite — whether it is on (the outbox fills only then),
// this documents folder's machine id, the pull cursor (apply.ts) and the sync's last status, which kx's
// main thread reads for /api/team while the worker writes it.

import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { oneRow } from '../store/checked-rows.js';
import { z } from 'zod';

export const TeamStatus = z.object({
  state: z.enum(['starting', 'connected', 'unreachable']),
  database: z.string(),
  lastError: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  nextRetryAt: z.string().nullable(),
  sent: z.number().int(),
  received: z.number().int(),
});
export type TeamStatus = z.infer<typeof TeamStatus>;

function get(db: Database.Database, key: string): string | undefined {
  return oneRow(z.string(), 'team state', db.prepare(`SELECT value FROM team_state WHERE key = ?`).pluck(), key);
}

function set(db: Database.Database, key: string, value: string): void {
  db.prepare(`INSERT INTO team_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
}

export function setTeamEnabled(db: Database.Database, on: boolean): void {
  set(db, 'enabled', on ? '1' : '0');
}

/**
 * The first time team memory starts in this documents folder: what kx learned before stays local, only
 * what it learns from now on is shared. The gaps already noted are marked as sent, so the scan for
 * changed gaps passes over them until they change.
 */
export function joinOnce(db: Database.Database, stampAll: () => void, now = new Date().toISOString()): boolean {
  return db.transaction(() => {
    if (get(db, 'joined_at')) return false;
    stampAll();
    set(db, 'joined_at', now);
    return true;
  })();
}

export function teamEnabled(db: Database.Database): boolean {
  return get(db, 'enabled') === '1';
}

/** This documents folder's id in the team, made at its first sync and kept. */
export function machineId(db: Database.Database): string {
  const known = get(db, 'machine_id');
  if (known) return known;
  const id = `m_${crypto.randomUUID()}`;
  set(db, 'machine_id', id);
  return id;
}

export function writeStatus(db: Database.Database, status: TeamStatus): void {
  set(db, 'status', JSON.stringify(status));
}

export function readStatus(db: Database.Database): TeamStatus | undefined {
  const raw = get(db, 'status');
  if (!raw) return undefined;
  const parsed = TeamStatus.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : undefined;
}
