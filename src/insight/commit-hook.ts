// What the insight engine adds to each store commit, inside its transaction: the job of every turn
// that just ended (so no ended turn is ever missed, even if kx dies right after the commit), and the
// session's project as soon as its working directory is seen.

import type Database from 'better-sqlite3';
import type { InsightMode } from '../config/config.js';
import type { CommitEffects } from '../store/session-store.js';
import { createJob } from './jobs.js';
import { clientProject, cwdOfContext, projectSlug } from './project.js';

export function insightCommitHook(mode: InsightMode): (effects: CommitEffects, db: Database.Database) => void {
  let statements: ReturnType<typeof prepare> | undefined;
  const prepare = (db: Database.Database) => ({
    project: db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`),
    // A folder already known keeps the id it was given, whatever shape ids had then.
    projectByName: db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck(),
    sessionProject: db.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`),
    sessionCwd: db.prepare(`UPDATE sessions SET cwd = ?, project = ? WHERE id = ? AND cwd IS NULL`),
  });
  return (effects, db) => {
    statements ??= prepare(db);
    const s = statements;
    for (const op of effects.changes) {
      if (op.op === 'session') {
        const name = clientProject(op.rec.client);
        const id = (s.projectByName.get(name) as string | undefined) ?? projectSlug(name);
        s.project.run(id, name, op.rec.startedAt);
        s.sessionProject.run(id, op.rec.id);
      } else if (op.op === 'item' && op.rec.kind === 'injected_context') {
        const cwd = cwdOfContext(op.rec.text);
        if (!cwd) continue;
        const id = (s.projectByName.get(cwd) as string | undefined) ?? projectSlug(cwd);
        s.project.run(id, cwd, op.rec.createdAt);
        s.sessionCwd.run(cwd, id, op.rec.sessionId);
      }
    }
    if (mode !== 'turn') return;
    for (const turn of effects.endedTurns) if (turn.insightJobs) createJob(db, 'turn', turn.turnId, turn.sessionId);
  };
}
