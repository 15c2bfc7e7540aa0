// The insight pages people open: a session's learnings.md (and its archive) and a project's
// profile.md, rebuilt whole from SQLite and written to a temp file then renamed.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import type { InsightSettings } from '../config/config.js';
import { projectDir, writeFileAtomic } from '../store/markdown-files.js';
import type { InsightReader } from './insight-reader.js';
import type { JobQueue } from './jobs.js';
import { renderLearnings } from './learnings-md.js';
import { renderProfile, type ProfileInput, type SessionSpan } from './profile-md.js';
import type { SessionSummaryView } from '../contracts/insight.js';
import { TYPED_TEXT_SQL } from '../store/session-folder.js';

const turnStartRow = z.object({ id: z.string(), startedAt: z.string() });
const typedRow = z.object({ turnId: z.string().nullable(), text: z.string().nullable() });
const changedRow = z.object({ id: z.string(), changedAt: z.string(), project: z.string().nullable(), endedAt: z.string().nullable() });

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
  const recentSummaries = reader.recentSummaries(projectId);
  const spans = new Map<string, SessionSpan>();
  for (const s of recentSummaries) {
    const facts = reader.session(s.sessionId);
    if (facts) spans.set(s.sessionId, facts);
  }
  // Newest first by when the session ran: an import summarises its sessions in no particular order.
  const ran = (s: SessionSummaryView): string => spans.get(s.sessionId)?.lastActivityAt ?? s.createdAt;
  recentSummaries.sort((a, b) => ran(b).localeCompare(ran(a)));
  const input: ProfileInput = { project, openGaps, resolvedGaps, recurringTopics, recentSummaries };
  return { ...input, markdown: renderProfile(input, spans) };
}

export class InsightPages {
  constructor(private readonly d: PagesDeps) {}

  /** learnings.md for the session and profile.md for its project. A failure is logged, never thrown. */
  rebuildSession(sessionId: string): void {
    try {
      const session = this.d.reader.session(sessionId);
      if (!session) return;
      const starts = allRows(turnStartRow, 'turn', this.d.db.prepare(`SELECT id, started_at AS startedAt FROM turns WHERE session_id = ?`), sessionId);
      const turnStarts = new Map(starts.map((t) => [t.id, t.startedAt]));
      const typedSql = `SELECT turn_id AS turnId, group_concat(text, '\n') AS text FROM (SELECT turn_id, ${TYPED_TEXT_SQL} AS text FROM items WHERE session_id = ? AND kind = 'human_message' ORDER BY seq) GROUP BY turn_id`;
      const typed = new Map(allRows(typedRow, 'typed text', this.d.db.prepare(typedSql), sessionId).flatMap((t) => (t.turnId && t.text !== null ? [[t.turnId, t.text] as const] : [])));
      const files = renderLearnings(
        { session, insightMode: this.d.mode, queue: this.d.queue.countsForSession(sessionId), summary: this.d.reader.summary(sessionId), turns: this.d.reader.turnInsights(sessionId), typed },
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

  /**
   * Pages missing or older than the rows they show: a stop between a job's commit and its page's
   * rebuild (a crash, a kill) must not leave a page behind. Rebuilt at start.
   */
  stalePages(): { sessions: string[]; projects: string[] } {
    const sql = `SELECT j.session_id AS id, MAX(j.updated_at) AS changedAt, s.project, s.ended_at AS endedAt FROM insight_jobs j JOIN sessions s ON s.id = j.session_id
      GROUP BY j.session_id`;
    const rows = allRows(changedRow, 'changed session', this.d.db.prepare(sql));
    const stale = (file: string, changedAt: string): boolean => {
      try {
        return fs.statSync(file).mtimeMs < Date.parse(changedAt);
      } catch {
        return true;
      }
    };
    const sessions: string[] = [];
    const projects = new Map<string, string>();
    for (const s of rows) {
      const changedAt = s.endedAt && s.endedAt > s.changedAt ? s.endedAt : s.changedAt;
      if (s.project && changedAt > (projects.get(s.project) ?? '')) projects.set(s.project, changedAt);
      if (stale(path.join(this.d.sessionDir(s.id), 'learnings.md'), changedAt)) sessions.push(s.id);
    }
    const resolvedAt = this.d.db.prepare(`SELECT MAX(resolved_at) FROM gaps WHERE project = ?`).pluck();
    const staleProjects = [...projects].flatMap(([project, changedAt]) => {
      const resolved = oneRow(z.string().nullable(), 'resolved time', resolvedAt, project) ?? null;
      const newest = resolved && resolved > changedAt ? resolved : changedAt;
      return stale(path.join(projectDir(this.d.documentsDir, project), 'profile.md'), newest) ? [project] : [];
    });
    return { sessions, projects: staleProjects };
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
