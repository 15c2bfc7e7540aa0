// Where a session's project is written, by the one project rule (src/capture/project.ts): at its
// start (its working directory, else its client as a placeholder) and when a working directory is
// first seen (the placeholder then goes, once nothing uses it). Capture's commit hook places sessions
// as their rows land; learn mode places a held session from the frame it holds, which capture has not
// seen yet, so the session is under its card's project while the human decides.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { decideProject } from '../capture/project.js';
import { isClientProjectSql } from '../store/placeholder-projects.js';
import { oneRow } from '../store/checked-rows.js';

export interface SessionPlacement {
  /** A new session row: its working directory's project, else its client's. */
  started(rec: { id: string; cwd?: string | undefined; client?: string | undefined; startedAt: string }): void;
  /** A working directory seen for the session: its project, unless the session already has a directory. */
  atCwd(sessionId: string, cwd: string, at: string): void;
}

export function sessionPlacement(db: Database.Database): SessionPlacement {
  const s = {
    project: db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`),
    // A folder already known keeps the id it was given, whatever shape ids had then.
    projectByName: db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck(),
    sessionProject: db.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`),
    sessionCwd: db.prepare(`UPDATE sessions SET cwd = ?, project = ? WHERE id = ? AND cwd IS NULL`),
    projectOf: db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck(),
    dropPlaceholder: db.prepare(
      `DELETE FROM projects WHERE id = @id AND ${isClientProjectSql('name')}
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE project = @id) AND NOT EXISTS (SELECT 1 FROM gaps WHERE project = @id)`,
    ),
  };
  const storedId = (name: string) => oneRow(z.string(), 'project id', s.projectByName, name);
  return {
    started: (rec) => {
      const p = decideProject({ cwd: rec.cwd, client: rec.client, storedId });
      s.project.run(p.id, p.name ?? p.id, rec.startedAt);
      if (rec.cwd) s.sessionCwd.run(rec.cwd, p.id, rec.id);
      else s.sessionProject.run(p.id, rec.id);
    },
    atCwd: (sessionId, cwd, at) => {
      const p = decideProject({ cwd, storedId });
      const before = oneRow(z.string().nullable(), 'session project', s.projectOf, sessionId);
      s.project.run(p.id, cwd, at);
      if (s.sessionCwd.run(cwd, p.id, sessionId).changes === 1 && before && before !== p.id) s.dropPlaceholder.run({ id: before });
    },
  };
}
