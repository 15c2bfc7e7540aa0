// The outbox is filled in the insight engine's landing transaction: a landed note queues itself and its
// gaps; an answer that does not land (its job was no longer running) queues nothing; a gap a person
// changes afterwards is noticed by the worker's scan and queued once.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { landTurnInsight } from '../../src/insight/insight-store.js';
import { createJob, JobQueue } from '../../src/insight/jobs.js';
import { migrate } from '../../src/store/schema.js';
import { enqueueChangedGaps } from '../../src/team/outbox.js';
import { setTeamEnabled } from '../../src/team/team-state.js';
import { noteOutput } from './sync-machine.js';

function store(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  setTeamEnabled(db, true);
  return db;
}

const facts = { turnId: 'turn_1', sessionId: 'sess_1', seq: 1, project: 'shop-aaaaaa', at: '2026-12-05T10:00:00.000Z' };
const withGap = { ...noteOutput('asked about the sandbox'), gaps: [{ topic: 'payments sandbox', question: 'which key?', evidence: 'asked twice', confidence: 0.9, existing_gap_id: null }] };
const outbox = (db: Database.Database) => db.prepare('SELECT kind, local_id AS localId, project FROM team_outbox ORDER BY seq').all();

describe('the team outbox', () => {
  it("gets a landed turn's note and its new gap in the landing's transaction", () => {
    const db = store();
    const queue = new JobQueue(db);
    const { id } = createJob(db, 'turn', 'turn_1', 'sess_1');
    queue.claim(id);
    landTurnInsight(db, queue.get(id)!, facts, withGap, 'gpt-5', { input: 1, output: 1 });
    const gapId = db.prepare('SELECT id FROM gaps').pluck().get();
    expect(outbox(db)).toEqual([
      { kind: 'note', localId: 'turn_1', project: 'shop-aaaaaa' },
      { kind: 'gap', localId: gapId, project: 'shop-aaaaaa' },
    ]);
    // Already queued with its state: the scan for other changes finds nothing new.
    expect(enqueueChangedGaps(db)).toBe(0);
  });

  it('gets nothing from an answer that does not land', () => {
    const db = store();
    const queue = new JobQueue(db);
    const { id } = createJob(db, 'turn', 'turn_1', 'sess_1');
    // Never claimed: markDone refuses it, so nothing of the answer may land, in the outbox either.
    expect(landTurnInsight(db, queue.get(id)!, facts, withGap, 'gpt-5', { input: 1, output: 1 })).toBeUndefined();
    expect(outbox(db)).toEqual([]);
  });

  it('gets a gap a person resolved elsewhere once, from the scan', () => {
    const db = store();
    const queue = new JobQueue(db);
    const { id } = createJob(db, 'turn', 'turn_1', 'sess_1');
    queue.claim(id);
    landTurnInsight(db, queue.get(id)!, facts, withGap, 'gpt-5', { input: 1, output: 1 });
    db.prepare('DELETE FROM team_outbox').run();
    db.prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_at = '2026-12-05T11:00:00.000Z'`).run();
    expect(enqueueChangedGaps(db)).toBe(1);
    expect(enqueueChangedGaps(db)).toBe(0);
    expect(outbox(db)).toMatchObject([{ kind: 'gap' }]);
  });
});

describe('joining a team', () => {
  it('keeps the gaps noted before local until they change', async () => {
    const { joinOnce } = await import('../../src/team/team-state.js');
    const { markAllGaps } = await import('../../src/team/outbox.js');
    const db = store();
    db.prepare(
      `INSERT INTO gaps (id, project, topic, question, evidence, first_seen_session_id, first_seen_turn_id, first_seen_at, last_seen_session_id, last_seen_turn_id, last_seen_at)
       VALUES ('g_old', 'shop-aaaaaa', 'old topic', 'why?', 'asked', 's0', 't0', '2026-11-01T00:00:00Z', 's0', 't0', '2026-11-01T00:00:00Z')`,
    ).run();
    expect(joinOnce(db, () => markAllGaps(db))).toBe(true);
    expect(joinOnce(db, () => markAllGaps(db))).toBe(false);
    expect(enqueueChangedGaps(db)).toBe(0);
    db.prepare(`UPDATE gaps SET status = 'resolved', resolved_by = 'person', resolved_at = '2026-12-05T11:00:00.000Z'`).run();
    expect(enqueueChangedGaps(db)).toBe(1);
  });
});
