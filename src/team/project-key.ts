// A local project's name in the team: its git remote, else its folder's name (src/capture/git-remote.ts),
// kept in team_projects beside the project's sharing switch. A project a record from the team names
// but this machine has not seen yet is made here, with the id the project rule will give a checkout of it.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import { projectSlug } from '../capture/project.js';
import { teamProjectKey } from '../capture/git-remote.js';

const isPath = (name: string): boolean => name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name);

/** The team key of a local project, worked out once and kept; undefined for a project with no folder (`client: …`). */
export function teamKeyOf(db: Database.Database, project: string, now = new Date().toISOString()): string | undefined {
  const known = oneRow(z.string(), 'team key', db.prepare(`SELECT team_key FROM team_projects WHERE project = ?`).pluck(), project);
  if (known) return known;
  const name = oneRow(z.string(), 'project name', db.prepare(`SELECT name FROM projects WHERE id = ?`).pluck(), project);
  if (!name || !isPath(name)) return undefined;
  const key = teamProjectKey(name);
  db.prepare(`INSERT INTO team_projects (project, team_key, updated_at) VALUES (?, ?, ?) ON CONFLICT(project) DO NOTHING`).run(project, key, now);
  return key;
}

/**
 * The local project that holds what the team shares under a key: one already mapped, else a project of this
 * machine whose folder has that key, else a new one named by the key.
 */
export function localProjectFor(db: Database.Database, key: string, now = new Date().toISOString()): string {
  const mapped = oneRow(z.string(), 'team project', db.prepare(`SELECT project FROM team_projects WHERE team_key = ? ORDER BY updated_at LIMIT 1`).pluck(), key);
  if (mapped) return mapped;
  // A folder this machine knows but has not shared from yet (by its remote, or by its folder name).
  const unmapped = allRows(z.string(), 'project id', db.prepare(`SELECT id FROM projects WHERE id NOT IN (SELECT project FROM team_projects) ORDER BY created_at`).pluck());
  for (const id of unmapped) if (teamKeyOf(db, id, now) === key) return id;
  // The id a session in a checkout of this remote gets (projectIdOfCwd), so its first turn already sees what came.
  const id = projectSlug(key);
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`).run(id, key, now);
  db.prepare(`INSERT INTO team_projects (project, team_key, updated_at) VALUES (?, ?, ?) ON CONFLICT(project) DO NOTHING`).run(id, key, now);
  return id;
}

export function isSharing(db: Database.Database, project: string): boolean {
  return oneRow(z.number(), 'sharing switch', db.prepare(`SELECT sharing FROM team_projects WHERE project = ?`).pluck(), project) !== 0;
}
