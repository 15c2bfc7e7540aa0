// What the insight engine adds to each store commit, inside its transaction: the job of every turn
// that just ended (so no ended turn is ever missed, even if kx dies right after the commit), and the
// session's project by the one project rule (src/capture/project.ts): the working directory of the
// session's first request when it has one, else the client until a working directory is seen; a
// client placeholder nothing uses any more is removed then.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { oneRow } from '../store/checked-rows.js';
import type { InsightMode } from '../config/config.js';
import type { CommitEffects } from '../store/session-store.js';
import { createJob } from './jobs.js';
import { cwdOfContext, decideProject, statesCwd } from '../capture/project.js';

export function insightCommitHook(mode: InsightMode): (effects: CommitEffects, db: Database.Database) => void {
  let statements: ReturnType<typeof prepare> | undefined;
  const prepare = (db: Database.Database) => ({
    project: db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`),
    // A folder already known keeps the id it was given, whatever shape ids had then.
    projectByName: db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck(),
    sessionProject: db.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`),
    sessionCwd: db.prepare(`UPDATE sessions SET cwd = ?, project = ? WHERE id = ? AND cwd IS NULL`),
    projectOf: db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck(),
    dropPlaceholder: db.prepare(
      `DELETE FROM projects WHERE id = @id AND (name LIKE 'client: %' OR name = 'unknown client')
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE project = @id) AND NOT EXISTS (SELECT 1 FROM gaps WHERE project = @id)`,
    ),
  });
  return (effects, db) => {
    statements ??= prepare(db);
    const s = statements;
    const storedId = (name: string) => oneRow(z.string(), 'project id', s.projectByName, name);
    for (const op of effects.changes) {
      if (op.op === 'session') {
        const p = decideProject({ cwd: op.rec.cwd, client: op.rec.client, storedId });
        s.project.run(p.id, p.name ?? p.id, op.rec.startedAt);
        if (op.rec.cwd) s.sessionCwd.run(op.rec.cwd, p.id, op.rec.id);
        else s.sessionProject.run(p.id, op.rec.id);
      } else if (op.op === 'item' && statesCwd(op.rec.kind)) {
        const cwd = cwdOfContext(op.rec.text);
        if (!cwd) continue;
        const p = decideProject({ cwd, storedId });
        const before = oneRow(z.string().nullable(), 'session project', s.projectOf, op.rec.sessionId);
        s.project.run(p.id, cwd, op.rec.createdAt);
        if (s.sessionCwd.run(cwd, p.id, op.rec.sessionId).changes === 1 && before && before !== p.id) s.dropPlaceholder.run({ id: before });
      }
    }
    if (mode !== 'turn') return;
    for (const turn of effects.endedTurns) if (turn.insightJobs) createJob(db, 'turn', turn.turnId, turn.sessionId);
  };
}
