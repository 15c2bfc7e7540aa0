// Learn mode's context from what kx already keeps: the insight engine's tables (a session's project,
// the project's open gaps, its latest session summaries, playbook steps of sessions not summarised
// yet) and the past sessions a message is about (past-work.ts). Everything is scoped by project, so what
// one repository taught never reaches a rewrite in another.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import { InsightReader } from '../insight/insight-reader.js';
import type { SearchIndex } from '../store/search-index.js';
import { gapOrigins, originLabel } from '../team/team-view.js';
import type { LearnContextSource, LearnGap, LearnSnippet, LearnSummary } from './context-source.js';
import { lessonLines, PastWork } from './past-work.js';

/** Past sessions the first message finds, at most: the injection has a small token budget. */
const RELATED_SESSIONS = 3;
/** Past sessions looked at for each one quoted: some share too few words, some answers say nothing new (past-work.ts). */
const SPARE = 2;

export class InsightContextSource implements LearnContextSource {
  private readonly reader: InsightReader;

  constructor(
    private readonly db: Database.Database,
    index: Pick<SearchIndex, 'retrieval'>,
  ) {
    this.reader = new InsightReader(db);
    this.past = new PastWork(db, index.retrieval, this.reader);
  }

  private readonly past: PastWork;

  private projectStatement: Database.Statement | undefined;

  /** The project the store recorded for a session; asked by the request hook when a request names no directory. */
  projectOf(sessionId: string): string | undefined {
    this.projectStatement ??= this.db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck();
    return oneRow(z.string().nullable(), 'session project', this.projectStatement, sessionId) ?? undefined;
  }

  private byNameStatement: Database.Statement | undefined;

  /** A folder first seen under an older project rule keeps its id (the commit hook decides the same way). */
  projectIdByName(name: string): string | undefined {
    this.byNameStatement ??= this.db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck();
    return oneRow(z.string(), 'project id', this.byNameStatement, name);
  }

  openGaps(project: string): LearnGap[] {
    const gaps = this.reader.gaps({ status: 'open', project, limit: 20 });
    const origins = gapOrigins(this.db, gaps.map((g) => g.id));
    return gaps.map((g) => {
      const origin = origins.get(g.id);
      return { id: g.id, topic: g.topic, question: g.question, evidence: g.evidence, status: g.status, ...(origin ? { origin: originLabel(origin) } : {}) };
    });
  }

  latestSummaries(project: string, limit: number): LearnSummary[] {
    const summarised: LearnSummary[] = this.reader.recentSummaries(project, limit).map((s) => ({
      sessionId: s.sessionId,
      title: s.title,
      highlights: s.highlights,
      nextRepetitions: s.nextRepetitions,
      playbook: s.playbook.map((p) => ({ step: p.step, command: p.command })),
    }));
    if (summarised.length >= limit) return summarised;
    return [...summarised, ...this.unsummarised(project, limit - summarised.length)];
  }

  /** Sessions of the project with turn insights but no summary yet (still running, or never ended): their steps so far. */
  private unsummarised(project: string, limit: number): LearnSummary[] {
    const sql = `SELECT ti.session_id FROM turn_insights ti JOIN sessions s ON s.id = ti.session_id
      WHERE s.project = ? AND NOT EXISTS (SELECT 1 FROM session_summaries ss WHERE ss.session_id = ti.session_id)
      GROUP BY ti.session_id ORDER BY MAX(ti.created_at) DESC LIMIT ?`;
    const ids = allRows(z.string(), 'session id', this.db.prepare(sql).pluck(), project, limit);
    return ids
      .map((sessionId) => {
        const turns = this.reader.turnInsights(sessionId).filter((t) => t.state === 'done');
        return {
          sessionId,
          title: turns[0]?.summary ?? 'A session not summarised yet',
          highlights: turns.flatMap((t) => t.successes).slice(0, 5),
          nextRepetitions: turns.flatMap((t) => (t.nextTime ? [t.nextTime] : [])).slice(0, 5),
          playbook: turns.flatMap((t) => t.playbookSteps.map((p) => ({ step: p.step, command: p.command }))).slice(0, 10),
        };
      })
      .filter((s) => s.highlights.length || s.nextRepetitions.length || s.playbook.length);
  }

  /** One snippet per related past session: what was asked there and the answer that followed (past-work.ts). */
  search(query: string, opts: { project: string; limit: number; excludeSession?: string }): LearnSnippet[] {
    const lines = lessonLines(this.past.lessons(query, { ...opts, limit: opts.limit * SPARE })).slice(0, opts.limit);
    return lines.map(({ lesson, line }) => ({ ref: lesson.ref, text: line }));
  }

  gapStatus(ids: readonly string[]): Map<string, 'open' | 'resolved'> {
    if (ids.length === 0) return new Map();
    const sql = `SELECT id, status FROM gaps WHERE id IN (${ids.map(() => '?').join(', ')})`;
    const rows = allRows(z.object({ id: z.string(), status: z.enum(['open', 'resolved']) }), 'gap', this.db.prepare(sql), ...ids);
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * Open gaps, the last session's next steps and playbook, and the past work the first message is
   * about (kx's one retrieval, related sessions only): what the agent should know before the first turn.
   */
  profileEssentials(project: string, firstMessage?: string, excludeSession?: string): string | undefined {
    const gaps = this.openGaps(project).slice(0, 8);
    const last = this.reader.recentSummaries(project, 1)[0];
    const related = firstMessage ? this.past.lessons(firstMessage, { project, limit: RELATED_SESSIONS * SPARE, ...(excludeSession !== undefined ? { excludeSession } : {}) }) : [];
    const work = lessonLines(related, gaps.map((g) => g.question)).slice(0, RELATED_SESSIONS).map((l) => l.line);
    const lines: string[] = [];
    if (work.length) lines.push('## Past work on what this session asks', ...work.map((r) => `- ${r}`), '');
    if (gaps.length) lines.push('## Open questions from past sessions', ...gaps.map((g) => `- ${g.topic}: ${g.question}${g.origin ? ` (${g.origin})` : ''}`), '');
    if (last?.nextRepetitions.length) lines.push('## Next time (from the last session)', ...last.nextRepetitions.map((n) => `- ${n}`), '');
    if (last?.playbook.length) lines.push('## Playbook (from the last session)', ...last.playbook.map((p, i) => `${i + 1}. ${p.step}${p.command ? `: \`${p.command}\`` : ''}`), '');
    return lines.length ? lines.join('\n').trim() : undefined;
  }
}
