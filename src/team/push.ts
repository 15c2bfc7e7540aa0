// Pushing the outbox: a page of entries becomes team records (notes and summaries as they landed, gaps as
// they are now), redacted once more, and is upserted in one PostgreSQL transaction. Upserts are keyed by
// (machine, kind, local id), so a page sent twice (a crash between the commit and the outbox's delete)
// changes nothing; a gap's state is last-writer-wins by the time of its change, and every change is kept
// in team_gap_history. Entries leave the outbox only once the transaction committed.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from '../store/checked-rows.js';
import { gapRow, type GapRow } from '../store/gap-row.js';
import type pg from 'pg';
import { redactDeep } from '../capture/redact.js';
import { outboxDone, outboxPage, type OutboxRow } from './outbox.js';
import { isSharing, teamKeyOf } from './project-key.js';
import type { GapData, OutgoingRecord, TeamIdentity } from './records.js';

/** The channel a push notifies, so other machines pull at once. */
export const TEAM_CHANNEL = 'kx_team_changes';

/** Serialises pushes, so change_seq order is commit order and a pull by cursor never skips a row. */
const PUSH_LOCK = 7_349_002;

const originRow = z.object({ machineId: z.string(), author: z.string() });

function gapData(row: GapRow, resolver: string): GapData {
  return {
    topic: row.topic,
    question: row.question,
    evidence: row.evidence,
    status: row.status,
    timesSeen: row.times_seen,
    firstSeen: { sessionId: row.first_seen_session_id, turnId: row.first_seen_turn_id, at: row.first_seen_at },
    lastSeen: { sessionId: row.last_seen_session_id, turnId: row.last_seen_turn_id, at: row.last_seen_at },
    resolved: row.status === 'resolved' && row.resolved_at ? { how: row.resolved_how, by: row.resolved_by ?? 'model', note: row.resolved_note, at: row.resolved_at, author: resolver } : null,
  };
}

/** One outbox entry as a team record; undefined when it no longer leaves (its project is not shared, its gap is gone). */
function toRecord(db: Database.Database, me: TeamIdentity, row: OutboxRow): OutgoingRecord | undefined {
  if (!isSharing(db, row.project)) return undefined;
  const key = teamKeyOf(db, row.project);
  if (!key) return undefined;
  const base = { project_key: key, author: me.author, session_id: row.sessionId, deleted: false, changed_at: row.createdAt, changed_by: me.machineId };
  if (row.kind !== 'gap') return row.payload ? { ...base, machine_id: me.machineId, kind: row.kind, local_id: row.localId, data: redactDeep(JSON.parse(row.payload)) } : undefined;
  const gap = oneRow(gapRow, 'gap', db.prepare(`SELECT * FROM gaps WHERE id = ?`), row.localId);
  // A gap that came from the team keeps its maker's key: resolving it here updates that record.
  const origin = oneRow(originRow, 'team record', db.prepare(`SELECT machine_id AS machineId, author FROM team_received WHERE kind = 'gap' AND local_id = ?`), row.localId);
  const owner = origin ?? me;
  if (!gap) return { ...base, machine_id: owner.machineId, author: owner.author, kind: 'gap', local_id: row.localId, data: {}, deleted: true };
  return { ...base, machine_id: owner.machineId, author: owner.author, kind: 'gap', local_id: row.localId, data: redactDeep(gapData(gap, me.author)) };
}

/** The last entry per key wins within a page (PostgreSQL refuses to upsert one row twice in a statement). */
function lastPerKey(records: OutgoingRecord[]): OutgoingRecord[] {
  const byKey = new Map<string, OutgoingRecord>();
  for (const r of records) byKey.set(`${r.machine_id}\u0000${r.kind}\u0000${r.local_id}`, r);
  return [...byKey.values()];
}

const UPSERT = `
  INSERT INTO team_records (machine_id, kind, local_id, project_key, author, session_id, data, deleted, changed_at, changed_by)
  SELECT machine_id, kind, local_id, project_key, author, session_id, data, deleted, changed_at, changed_by
  FROM jsonb_to_recordset($1::jsonb) AS r(machine_id text, kind text, local_id text, project_key text, author text, session_id text,
    data jsonb, deleted boolean, changed_at timestamptz, changed_by text)
  ON CONFLICT (machine_id, kind, local_id) DO UPDATE SET
    project_key = EXCLUDED.project_key, session_id = COALESCE(EXCLUDED.session_id, team_records.session_id), data = EXCLUDED.data,
    deleted = EXCLUDED.deleted, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by, change_seq = nextval('team_change_seq')
  WHERE team_records.changed_at < EXCLUDED.changed_at
    OR (team_records.changed_at = EXCLUDED.changed_at AND (team_records.data IS DISTINCT FROM EXCLUDED.data OR team_records.deleted <> EXCLUDED.deleted))`;

const HISTORY = `
  INSERT INTO team_gap_history (machine_id, local_id, status, how, by_machine, by_author, at)
  SELECT machine_id, local_id, COALESCE(data->>'status', 'deleted'), COALESCE(data->'resolved'->>'how', data->'resolved'->>'note'), changed_by, $2, changed_at
  FROM jsonb_to_recordset($1::jsonb) AS r(machine_id text, local_id text, data jsonb, changed_at timestamptz, changed_by text)
  ON CONFLICT DO NOTHING`;

async function sendRecords(client: pg.ClientBase, me: TeamIdentity, records: OutgoingRecord[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
    await client.query(UPSERT, [JSON.stringify(records)]);
    const gaps = records.filter((r) => r.kind === 'gap');
    if (gaps.length) await client.query(HISTORY, [JSON.stringify(gaps), me.author]);
    await client.query(
      `INSERT INTO team_machines (machine_id, author, last_push) VALUES ($1, $2, now()) ON CONFLICT (machine_id) DO UPDATE SET author = EXCLUDED.author, last_push = now()`,
      [me.machineId, me.author],
    );
    // Delivered at commit to every kx listening (sync.ts): they pull now rather than at their next poll.
    await client.query(`NOTIFY ${TEAM_CHANNEL}`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Sends one page of the outbox; returns how many entries left it (0: it is empty). */
export async function pushOnce(db: Database.Database, pool: pg.Pool, me: TeamIdentity, limit = 500): Promise<number> {
  const page = outboxPage(db, limit);
  if (!page.length) return 0;
  const records = lastPerKey(page.map((row) => toRecord(db, me, row)).filter((r): r is OutgoingRecord => r !== undefined));
  if (records.length) {
    const client = await pool.connect();
    try {
      await sendRecords(client, me, records);
    } finally {
      client.release();
    }
  }
  outboxDone(db, page.at(-1)!.seq);
  return page.length;
}
