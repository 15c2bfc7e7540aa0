// What the console and `kx team status` show of team memory, read from SQLite on kx's main thread (the
// worker writes the status; this only reads, and writes a project's sharing switch).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import { teamReceivedView, type TeamReceivedView, type TeamView } from '../contracts/team.js';
import { teamKeyOf } from './project-key.js';
import { machineId, readStatus, teamEnabled } from './team-state.js';
import { isObject, parseJson, str } from '../protocol/json-guards.js';

/** What leaves the machine, per shared project: the insight engine's distilled, redacted layer. */
export const SHARED = [
  'turn notes: what each turn did, its decisions, successes, follow-ups and what to do next time',
  'gaps with their life: opened, seen again, resolved or reopened, by whom and when',
  'playbooks: the steps and commands that worked',
  'session summaries',
  'search terms: the words of the above, which the team indexes for search',
];
export const KEPT_LOCAL = ['raw turns: your messages, the agent’s messages, reasoning, tool calls and their outputs', 'documents/ files, approvals, learn mode decisions', 'the database URL and any credential'];

const projectRow = z.object({ id: z.string(), name: z.string(), teamKey: z.string().nullable(), sharing: z.number(), waiting: z.number(), received: z.number() });
const receivedRow = teamReceivedView.omit({ title: true, deleted: true }).extend({ data: z.string(), deleted: z.number() });
const originRow = z.object({ id: z.string(), author: z.string(), machineId: z.string(), sessionId: z.string().nullable(), at: z.string() });
const sharedRow = z.object({ author: z.string(), at: z.string() });

function titleOf(kind: string, data: string): string {
  const d = parseJson(data);
  if (!isObject(d)) return '';
  const output = isObject(d.output) ? d.output : {};
  return str(kind === 'gap' ? d.topic : kind === 'note' ? output.summary : output.title)?.slice(0, 160) ?? '';
}

function projects(db: Database.Database): TeamView['projects'] {
  const sql = `SELECT p.id, p.name, tp.team_key AS teamKey, COALESCE(tp.sharing, 1) AS sharing,
      (SELECT COUNT(*) FROM team_outbox o WHERE o.project = p.id) AS waiting,
      (SELECT COUNT(*) FROM team_received r WHERE r.project = p.id) AS received
    FROM projects p LEFT JOIN team_projects tp ON tp.project = p.id ORDER BY p.name`;
  const rows = allRows(projectRow, 'team project', db.prepare(sql));
  return rows.map((r) => ({ ...r, sharing: r.sharing === 1 }));
}

function recent(db: Database.Database, limit: number): TeamReceivedView[] {
  const sql = `SELECT kind, local_id AS id, project, author, machine_id AS machineId, session_id AS sessionId, data, changed_at AS changedAt, deleted
    FROM team_received ORDER BY received_at DESC, changed_at DESC LIMIT ?`;
  const rows = allRows(receivedRow, 'team record', db.prepare(sql), limit);
  return rows.map(({ data, deleted, ...r }) => ({ ...r, title: titleOf(r.kind, data), deleted: deleted === 1 }));
}

export function teamView(db: Database.Database, settings: { database: string; author: string } | undefined): TeamView {
  // Configured is on: until the worker's first status, the sync is starting.
  const enabled = settings !== undefined;
  const status = enabled && teamEnabled(db) ? readStatus(db) : undefined;
  return {
    enabled,
    database: settings?.database ?? null,
    machineId: enabled ? machineId(db) : null,
    author: settings?.author ?? null,
    state: enabled ? status?.state ?? 'starting' : 'off',
    lastError: enabled ? status?.lastError ?? null : null,
    lastSyncAt: status?.lastSyncAt ?? null,
    nextRetryAt: enabled ? status?.nextRetryAt ?? null : null,
    backlog: oneRow(z.number(), 'outbox count', db.prepare(`SELECT COUNT(*) FROM team_outbox`).pluck()) ?? 0,
    sent: status?.sent ?? 0,
    received: oneRow(z.number(), 'received count', db.prepare(`SELECT COUNT(*) FROM team_received`).pluck()) ?? 0,
    shared: SHARED,
    keptLocal: KEPT_LOCAL,
    projects: projects(db),
    recent: recent(db, 20),
  };
}

/**
 * A person turns a project's sharing on or off. Off: nothing more of it is queued, and what waits in the
 * outbox is dropped (it never leaves). Returns false for an unknown project.
 */
export function setSharing(db: Database.Database, project: string, on: boolean, now = new Date().toISOString()): boolean {
  if (!db.prepare(`SELECT 1 FROM projects WHERE id = ?`).get(project)) return false;
  db.transaction(() => {
    const key = teamKeyOf(db, project, now) ?? `local:${project}`;
    db.prepare(
      `INSERT INTO team_projects (project, team_key, sharing, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(project) DO UPDATE SET sharing = excluded.sharing, updated_at = excluded.updated_at`,
    ).run(project, key, on ? 1 : 0, now);
    if (!on) db.prepare(`DELETE FROM team_outbox WHERE project = ?`).run(project);
  })();
  return true;
}

export interface TeamOrigin {
  author: string;
  machineId: string;
  sessionId: string | null;
  at: string;
}

/** Who made the gaps that came from the team, and in which session, by gap id (local gaps, and this machine's own coming back, are absent). */
export function gapOrigins(db: Database.Database, ids: readonly string[]): Map<string, TeamOrigin> {
  if (!ids.length) return new Map();
  const sql = `SELECT r.local_id AS id, r.author, r.machine_id AS machineId, g.first_seen_session_id AS sessionId, g.first_seen_at AS at
    FROM team_received r JOIN gaps g ON g.id = r.local_id WHERE r.kind = 'gap'
      AND r.machine_id IS NOT (SELECT value FROM team_state WHERE key = 'machine_id') AND r.local_id IN (${ids.map(() => '?').join(', ')})`;
  const rows = allRows(originRow, 'gap origin', db.prepare(sql), ...ids);
  return new Map(rows.map(({ id, ...o }) => [id, o]));
}

/** "ana's session 019…, 2026-12-05": how a reader cites what came from the team. */
export const originLabel = (o: TeamOrigin): string => `from ${o.author}'s session ${o.sessionId ?? '(unknown)'}, ${o.at.slice(0, 10)} (team memory)`;

/** Who shared a search hit's document, when it came from the team: by its kind and ref as the search index keeps them. */
export function hitOrigin(db: Database.Database, docKind: string, refId: string): { author: string; at: string } | undefined {
  const kind = docKind === 'insight' || (docKind === 'playbook' && !refId.startsWith('summary:')) ? 'note' : docKind === 'summary' || docKind === 'playbook' ? 'summary' : undefined;
  if (!kind) return undefined;
  const id = refId.replace(/^summary:/, '');
  return oneRow(sharedRow, 'team record', db.prepare(`SELECT author, changed_at AS at FROM team_received WHERE kind = ? AND local_id = ? LIMIT 1`), kind, id);
}

/** The words a reader appends to a hit or gap that came from the team. */
export const teamLabel = (o: { author: string; at: string }): string => `shared by ${o.author} through team memory, ${o.at.slice(0, 10)}`;
