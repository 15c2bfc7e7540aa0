// Read side of the insight tables: the views the API returns and the markdown is built from.

import type Database from 'better-sqlite3';
import { gapRow } from '../store/gap-row.js';
import { z } from 'zod';
import { jobState, projectView, sessionSummaryView, turnInsightView, type GapView, type ProjectView, type SessionSummaryView, type SharedSummaryItem, type TurnInsightView } from '../contracts/insight.js';
import { parseJson } from '../protocol/json-guards.js';
import { allRows, oneRow } from '../store/checked-rows.js';
import { TYPED_TEXT_SQL } from '../store/session-folder.js';
import { receivedSessionsStarting, receivedSummaries, receivedSummary } from './received-summaries.js';

const text = z.string();
const maybeText = z.string().nullable();
const maybeCount = z.number().nullable();
const sharedGapRow = gapRow.extend({ shared_by: maybeText.optional(), resolved_author: maybeText.optional() });
type SharedGapRow = z.infer<typeof sharedGapRow>;
const sessionFactsRow = z.object({ id: text, client: maybeText, project: maybeText, projectName: maybeText, cwd: maybeText, startedAt: text, endedAt: maybeText, lastActivityAt: text, title: maybeText });
const turnInsightRow = z.object({
  turnId: text, turnSeq: z.number(), state: jobState.nullable(), error: maybeText, data: maybeText,
  input: maybeCount, output: maybeCount, createdAt: maybeText, jobInput: maybeCount, jobOutput: maybeCount,
});
const summaryRow = z.object({ version: z.number(), data: text, createdAt: text, input: z.number(), output: z.number() });
const tokensRow = z.object({ input: z.number(), output: z.number() });

// Stored JSON was checked when the model wrote it; read it field by field, so a field an older kx wrote
// differently is left out (and shown empty) instead of losing the whole note.
function fieldByField<S extends z.ZodObject<z.ZodRawShape>>(schema: S): z.ZodType<Partial<z.infer<S>>> {
  const fields = Object.entries(schema.shape).map(([k, v]) => [k, (v as z.ZodTypeAny).optional().catch(undefined)]);
  return z.object(Object.fromEntries(fields)) as unknown as z.ZodType<Partial<z.infer<S>>>;
}
const storedTurnData = fieldByField(turnInsightView.pick({ summary: true, action: true, outcome: true, gaps: true, confusion: true, decisions: true, successes: true, followUps: true, resolvedGaps: true, nextTime: true, playbookSteps: true }));
const storedSummaryData = fieldByField(sessionSummaryView.omit({ sessionId: true, version: true, createdAt: true, tokens: true }));
/** A stored JSON column read with one of the above; text that is not JSON reads as no fields. */
function storedJson<T>(schema: z.ZodType<Partial<T>>, text: string | null): Partial<T> {
  const parsed = schema.safeParse(text === null ? {} : (parseJson(text) ?? {}));
  return parsed.success ? parsed.data : {};
}

/**
 * Gaps with the teammate who shared each (team memory's team_received), if one did, and the teammate who
 * resolved it when its resolution came from the team. This machine's own gaps come back from the team as
 * records of its own machine id: those are not "shared by" anyone.
 */
const GAPS_SQL = `SELECT g.*,
    (SELECT author FROM team_received r WHERE r.kind = 'gap' AND r.local_id = g.id AND r.machine_id IS NOT (SELECT value FROM team_state WHERE key = 'machine_id') LIMIT 1) AS shared_by,
    (SELECT json_extract(r.data, '$.resolved.author') FROM team_received r WHERE r.kind = 'gap' AND r.local_id = g.id
      AND json_extract(r.data, '$.resolved.at') = g.resolved_at LIMIT 1) AS resolved_author
  FROM gaps g`;

function gapView(r: SharedGapRow): GapView {
  return {
    id: r.id,
    project: r.project,
    topic: r.topic,
    question: r.question,
    evidence: r.evidence,
    status: r.status,
    timesSeen: r.times_seen,
    firstSeen: { sessionId: r.first_seen_session_id, turnId: r.first_seen_turn_id, at: r.first_seen_at },
    lastSeen: { sessionId: r.last_seen_session_id, turnId: r.last_seen_turn_id, at: r.last_seen_at },
    resolved:
      r.status === 'resolved' && r.resolved_at
        ? { turnId: r.resolved_turn_id, how: r.resolved_how, by: r.resolved_by ?? 'model', note: r.resolved_note, at: r.resolved_at, author: r.resolved_author ?? null }
        : null,
    sharedBy: r.shared_by ?? null,
  };
}

const PROJECT_SQL = `
  SELECT p.id, p.name,
    (SELECT COUNT(*) FROM sessions s WHERE s.project = p.id) AS sessionCount,
    (SELECT COUNT(*) FROM gaps g WHERE g.project = p.id AND g.status = 'open') AS openGaps,
    (SELECT COUNT(*) FROM gaps g WHERE g.project = p.id AND g.status = 'resolved') AS resolvedGaps,
    (SELECT MAX(r.started_at) FROM sessions s JOIN requests r ON r.session_id = s.id WHERE s.project = p.id) AS lastActivityAt
  FROM projects p`;

export interface SessionFacts {
  id: string;
  client: string | null;
  project: string | null;
  projectName: string | null;
  cwd: string | null;
  startedAt: string;
  endedAt: string | null;
  lastActivityAt: string;
  /** The first thing the human typed (its first 300 characters), the session's title until a summary names it. */
  title?: string | null;
}

export class InsightReader {
  constructor(private readonly db: Database.Database) {}

  session(id: string): SessionFacts | undefined {
    const sql = `SELECT s.id, s.client, s.project, p.name AS projectName, s.cwd, s.started_at AS startedAt, s.ended_at AS endedAt,
        COALESCE((SELECT MAX(r.started_at) FROM requests r WHERE r.session_id = s.id), s.started_at) AS lastActivityAt,
        (SELECT substr(${TYPED_TEXT_SQL}, 1, 300) FROM items i WHERE i.session_id = s.id AND i.kind = 'human_message' ORDER BY i.seq LIMIT 1) AS title
      FROM sessions s LEFT JOIN projects p ON p.id = s.project WHERE s.id = ?`;
    return oneRow(sessionFactsRow, 'session', this.db.prepare(sql), id);
  }

  /** One view per turn, in order, with its job's state (`none` when no job was made, e.g. KX_INSIGHT=session). */
  turnInsights(sessionId: string): TurnInsightView[] {
    const sql = `SELECT t.id AS turnId, t.seq AS turnSeq, j.state, j.last_error AS error, ti.data, ti.input_tokens AS input, ti.output_tokens AS output,
        ti.created_at AS createdAt, j.input_tokens AS jobInput, j.output_tokens AS jobOutput
      FROM turns t LEFT JOIN insight_jobs j ON j.kind = 'turn' AND j.subject_id = t.id LEFT JOIN turn_insights ti ON ti.turn_id = t.id
      WHERE t.session_id = ? ORDER BY t.seq`;
    return allRows(turnInsightRow, 'turn insight', this.db.prepare(sql), sessionId).map((r): TurnInsightView => {
      const data: Partial<TurnInsightView> = storedJson(storedTurnData, r.data);
      return {
        turnId: r.turnId,
        turnSeq: r.turnSeq,
        state: r.state ?? 'none',
        error: r.state === 'done' ? null : r.error,
        summary: data.summary ?? null,
        action: data.action ?? null,
        outcome: data.outcome ?? null,
        gaps: data.gaps ?? [],
        confusion: data.confusion ?? [],
        decisions: data.decisions ?? [],
        successes: data.successes ?? [],
        followUps: data.followUps ?? [],
        resolvedGaps: data.resolvedGaps ?? [],
        nextTime: data.nextTime ?? null,
        playbookSteps: data.playbookSteps ?? [],
        tokens: { input: r.jobInput ?? r.input ?? 0, output: r.jobOutput ?? r.output ?? 0 },
        createdAt: r.createdAt,
      };
    });
  }

  summaryVersions(sessionId: string): { version: number; createdAt: string }[] {
    const sql = `SELECT version, created_at AS createdAt FROM session_summaries WHERE session_id = ? ORDER BY version`;
    return allRows(z.object({ version: z.number(), createdAt: text }), 'summary version', this.db.prepare(sql), sessionId);
  }

  /** The given version, else the latest. */
  summary(sessionId: string, version?: number): SessionSummaryView | null {
    const sql = `SELECT version, data, created_at AS createdAt, input_tokens AS input, output_tokens AS output FROM session_summaries
      WHERE session_id = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1`;
    const row = oneRow(summaryRow, 'summary', this.db.prepare(sql), sessionId, version ?? null, version ?? null);
    // A teammate's session has no local summary: its shared one (team memory) stands in.
    if (!row) return version === undefined ? receivedSummary(this.db, sessionId) : null;
    const data: Partial<SessionSummaryView> = storedJson(storedSummaryData, row.data);
    return {
      sessionId,
      version: row.version,
      createdAt: row.createdAt,
      title: data.title ?? '',
      highlights: data.highlights ?? [],
      gapsOpened: data.gapsOpened ?? [],
      gapsResolved: data.gapsResolved ?? [],
      unresolvedQuestions: data.unresolvedQuestions ?? [],
      nextRepetitions: data.nextRepetitions ?? [],
      playbook: data.playbook ?? [],
      tokens: { input: row.input, output: row.output },
    };
  }

  /** Most seen first, then most recently seen. */
  gaps(filter: { status?: 'open' | 'resolved'; project?: string; limit?: number } = {}): GapView[] {
    const sql = `${GAPS_SQL} WHERE (? IS NULL OR status = ?) AND (? IS NULL OR project = ?) ORDER BY times_seen DESC, last_seen_at DESC LIMIT ?`;
    const { status = null, project = null, limit = -1 } = filter;
    return allRows(sharedGapRow, 'gap', this.db.prepare(sql), status, status, project, project, limit).map(gapView);
  }

  gap(id: string): GapView | undefined {
    const row = oneRow(sharedGapRow, 'gap', this.db.prepare(`${GAPS_SQL} WHERE id = ?`), id);
    return row ? gapView(row) : undefined;
  }

  /**
   * Projects with something in them. Every session starts in its client's placeholder project
   * (`client: codex_exec`) until its working directory is seen, so most placeholders end up empty.
   */
  projects(): ProjectView[] {
    const sql = `${PROJECT_SQL} WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.project = p.id) OR EXISTS (SELECT 1 FROM gaps g WHERE g.project = p.id)
      ORDER BY lastActivityAt DESC NULLS LAST, p.name`;
    return allRows(projectView, 'project', this.db.prepare(sql));
  }

  project(id: string): ProjectView | undefined {
    return oneRow(projectView, 'project', this.db.prepare(`${PROJECT_SQL} WHERE p.id = ?`), id);
  }

  /** A project by id, or by the name (working directory) it was made from. */
  findProject(idOrName: string): ProjectView | undefined {
    const id = this.projectId(idOrName);
    return id === undefined ? undefined : this.project(id);
  }

  /** The id of a project named by id or by name that has sessions or gaps: indexed lookups, no counts. */
  projectId(idOrName: string): string | undefined {
    const sql = `SELECT p.id FROM projects p WHERE (p.id = @n OR p.name = @n)
        AND (EXISTS (SELECT 1 FROM sessions s WHERE s.project = p.id) OR EXISTS (SELECT 1 FROM gaps g WHERE g.project = p.id))
      ORDER BY p.id = @n DESC LIMIT 1`;
    return oneRow(text, 'project id', this.db.prepare(sql).pluck(), { n: idOrName });
  }

  recentSummaries(project: string, limit = 5): SessionSummaryView[] {
    const sql = `SELECT ss.session_id AS sessionId, MAX(ss.version) AS version FROM session_summaries ss JOIN sessions s ON s.id = ss.session_id
      WHERE s.project = ? GROUP BY ss.session_id ORDER BY MAX(ss.created_at) DESC LIMIT ?`;
    const local = allRows(z.object({ sessionId: text, version: z.number() }), 'summary', this.db.prepare(sql), project, limit).map((r) => this.summary(r.sessionId, r.version)).filter((s): s is SessionSummaryView => s !== null);
    // With the summaries teammates shared (team memory), newest first; a session summarised here keeps its own.
    const mine = new Set(local.map((s) => s.sessionId));
    const shared = receivedSummaries(this.db, project, limit).filter((s) => !mine.has(s.sessionId));
    return [...local, ...shared].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /** Teammates' sessions (team memory) whose id starts with `start`: this machine has their shared summary only. */
  sharedSessions(start: string, limit = 50): SharedSummaryItem[] {
    return receivedSessionsStarting(this.db, start, limit);
  }

  /** Insight tokens spent on a session's jobs, beside the agent's own. */
  sessionTokens(sessionId: string): { input: number; output: number } {
    const sql = `SELECT COALESCE(SUM(input_tokens),0) AS input, COALESCE(SUM(output_tokens),0) AS output FROM insight_jobs WHERE session_id = ?`;
    return oneRow(tokensRow, 'insight tokens', this.db.prepare(sql), sessionId) ?? { input: 0, output: 0 };
  }

  sessionIds(): string[] {
    return allRows(text, 'session id', this.db.prepare(`SELECT id FROM sessions ORDER BY started_at`).pluck());
  }
}
