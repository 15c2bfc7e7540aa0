// Pulling by cursor: the records other machines changed since the last pull, in change_seq order, a page
// at a time. A row that does not parse is logged and passed over; the rest of its page lands.

import type Database from 'better-sqlite3';
import type pg from 'pg';
import { applyPage, pullCursor, type GapChange, type IndexTeamRecord, type Refused } from './apply.js';
import { TeamRecord, type TeamIdentity } from './records.js';

const PAGE = `
  SELECT machine_id, kind, local_id, project_key, author, session_id, data, deleted, changed_at, change_seq, changed_by
  FROM team_records WHERE change_seq > $1 AND changed_by <> $2 ORDER BY change_seq LIMIT $3`;

/** Pulls and applies one page; returns how many records it held (0: up to date). */
export async function pullOnce(
  db: Database.Database,
  pool: pg.Pool,
  me: TeamIdentity,
  hooks: { index: IndexTeamRecord; refused: Refused; gapsChanged: (changes: GapChange[]) => void },
  limit = 500,
): Promise<number> {
  const cursor = pullCursor(db);
  const { rows } = await pool.query(PAGE, [cursor, me.machineId, limit]);
  if (!rows.length) return 0;
  const records: TeamRecord[] = [];
  for (const row of rows) {
    const parsed = TeamRecord.safeParse(row);
    if (parsed.success) records.push(parsed.data);
    // A row that does not parse is passed over (the cursor moves on): one bad row must not stop the sync.
    else hooks.refused(row as TeamRecord, `a malformed row: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  }
  const changed = applyPage(db, records, Number((rows.at(-1) as { change_seq: string }).change_seq), hooks.index, hooks.refused);
  if (changed.length) hooks.gapsChanged(changed);
  return records.length;
}
