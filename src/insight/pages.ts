// The insight pages people open: a session's learnings.md (and its archive) and a project's
// profile.md, rebuilt whole from SQLite and written to a temp file then renamed.

import path from 'node:path';
import type Database from 'better-sqlite3';
import type { InsightSettings } from '../config/config.js';
import { projectDir, writeFileAtomic } from '../store/markdown-files.js';
import type { InsightReader } from './insight-reader.js';
import type { JobQueue } from './jobs.js';
import { renderLearnings } from './learnings-md.js';
import { renderProfile, type ProfileInput } from './profile-md.js';

export interface PagesDeps {
  db: Database.Database;
  reader: InsightReader;
  queue: JobQueue;
  documentsDir: string;
  /** The folder of a session's files, as the store recorded it. */
  sessionDir: (sessionId: string) => string;
  mode: InsightSettings['mode'];
  log: (line: Record<string, unknown>) => void;
}

/** The project's profile page and the facts it is made from. */
export function projectProfile(reader: InsightReader, projectId: string): (ProfileInput & { markdown: string }) | undefined {
  const project = reader.project(projectId);
  if (!project) return undefined;
  const openGaps = reader.gaps({ status: 'open', project: projectId });
  const resolvedGaps = reader.gaps({ status: 'resolved', project: projectId });
  const recurringTopics = [...openGaps, ...resolvedGaps]
    .filter((g) => g.timesSeen > 1)
    .sort((a, b) => b.timesSeen - a.timesSeen)
    .map((g) => ({ topic: g.topic, timesSeen: g.timesSeen }));
  const input: ProfileInput = { project, openGaps, resolvedGaps, recurringTopics, recentSummaries: reader.recentSummaries(projectId) };
  return { ...input, markdown: renderProfile(input) };
}

export class InsightPages {
  constructor(private readonly d: PagesDeps) {}

  /** learnings.md for the session and profile.md for its project. A failure is logged, never thrown. */
  rebuildSession(sessionId: string): void {
    try {
      const session = this.d.reader.session(sessionId);
      if (!session) return;
      const turnStarts = new Map(
        (this.d.db.prepare(`SELECT id, started_at AS startedAt FROM turns WHERE session_id = ?`).all(sessionId) as Array<{ id: string; startedAt: string }>).map((t) => [t.id, t.startedAt]),
      );
      const files = renderLearnings(
        { session, insightMode: this.d.mode, queue: this.d.queue.countsForSession(sessionId), summary: this.d.reader.summary(sessionId), turns: this.d.reader.turnInsights(sessionId) },
        turnStarts,
      );
      const dir = this.d.sessionDir(sessionId);
      writeFileAtomic(path.join(dir, 'learnings.md'), files.learnings);
      if (files.archive !== undefined) writeFileAtomic(path.join(dir, 'learnings.archive.md'), files.archive);
      if (session.project) this.rebuildProject(session.project);
    } catch (err) {
      this.d.log({ level: 'error', msg: 'learnings.md rebuild failed', session: sessionId, error: (err as Error).message });
    }
  }

  rebuildProject(projectId: string): void {
    try {
      const profile = projectProfile(this.d.reader, projectId);
      if (profile) writeFileAtomic(path.join(projectDir(this.d.documentsDir, projectId), 'profile.md'), profile.markdown);
    } catch (err) {
      this.d.log({ level: 'error', msg: 'profile.md rebuild failed', project: projectId, error: (err as Error).message });
    }
  }
}
