// Where a model's answer lands: the turn's insight, the project's gaps, the session's summary.
// Each lands in the same transaction that marks its job done, and only if the job was still
// running: a call cut by a crash is made again, and its answer never lands twice.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import { sessionSummaryView, type SessionSummaryView, type TurnInsightView } from '../contracts/insight.js';
import { newId } from '../capture/ids.js';
import type { LiveEvent } from '../contracts/live-events.js';
import { enqueue, enqueueGap } from '../team/outbox.js';
import { JobQueue, type Job } from './jobs.js';
import { decideProject } from '../capture/project.js';
import type { SessionSummaryOutput, TurnInsightOutput } from './schemas.js';

export interface TurnFacts {
  turnId: string;
  sessionId: string;
  seq: number;
  project: string;
  at: string;
}

type Tokens = { input: number; output: number };
type StoredInsight = Omit<TurnInsightView, 'turnId' | 'turnSeq' | 'state' | 'error' | 'tokens' | 'createdAt'>;

/** The session's project, made from its client if it never reported a working directory. */
export function ensureProject(db: Database.Database, sessionId: string): string {
  const row = oneRow(sessionPlaceRow, 'session', db.prepare(`SELECT project, client, started_at AS startedAt FROM sessions WHERE id = ?`), sessionId);
  const storedId = (name: string) => oneRow(z.string(), 'project id', db.prepare(`SELECT id FROM projects WHERE name = ? ORDER BY created_at LIMIT 1`).pluck(), name);
  const p = decideProject({ recorded: row?.project, client: row?.client, storedId });
  if (p.source === 'recorded') return p.id;
  const id = p.id;
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`).run(id, p.name ?? id, row?.startedAt ?? new Date().toISOString());
  db.prepare(`UPDATE sessions SET project = ? WHERE id = ? AND project IS NULL`).run(id, sessionId);
  return id;
}

const sessionPlaceRow = z.object({ project: z.string().nullable(), client: z.string().nullable(), startedAt: z.string() });
const knownGap = z.object({ id: z.string(), status: z.string(), topic: z.string() });

const normalTopic = (t: string): string => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Gaps: an existing id or the same topic in the same project is the same gap, seen again. */
function applyGaps(db: Database.Database, facts: TurnFacts, out: TurnInsightOutput, events: LiveEvent[]): StoredInsight['gaps'] {
  const byId = db.prepare(`SELECT id, status, topic FROM gaps WHERE id = ? AND project = ?`);
  const byTopic = db.prepare(`SELECT id, status, topic FROM gaps WHERE project = ?`);
  const seen = db.prepare(
    `UPDATE gaps SET times_seen = times_seen + 1, last_seen_session_id = ?, last_seen_turn_id = ?, last_seen_at = ?,
       status = 'open', resolved_turn_id = NULL, resolved_how = NULL, resolved_by = NULL, resolved_note = NULL, resolved_at = NULL
     WHERE id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
       last_seen_session_id, last_seen_turn_id, last_seen_at) VALUES (?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?, ?, ?)`,
  );
  const stored: StoredInsight['gaps'] = [];
  const touched = new Set<string>();
  for (const gap of out.gaps) {
    let match = gap.existing_gap_id ? oneRow(knownGap, 'gap', byId, gap.existing_gap_id, facts.project) : undefined;
    if (!match) {
      const want = normalTopic(gap.topic);
      match = allRows(knownGap, 'gap', byTopic, facts.project).find((g) => normalTopic(g.topic) === want);
    }
    let id: string;
    if (match) {
      id = match.id;
      if (!touched.has(id)) {
        seen.run(facts.sessionId, facts.turnId, facts.at, id);
        events.push({ type: 'gap', gapId: id, project: facts.project, status: match.status === 'resolved' ? 'reopened' : 'seen' });
      }
    } else {
      id = newId('g');
      insert.run(id, facts.project, gap.topic, gap.question, gap.evidence, facts.sessionId, facts.turnId, facts.at, facts.sessionId, facts.turnId, facts.at);
      events.push({ type: 'gap', gapId: id, project: facts.project, status: 'open' });
    }
    touched.add(id);
    stored.push({ gapId: id, topic: gap.topic, question: gap.question, evidence: gap.evidence, confidence: gap.confidence });
  }
  return stored;
}

function applyResolutions(db: Database.Database, facts: TurnFacts, out: TurnInsightOutput, events: LiveEvent[]): StoredInsight['resolvedGaps'] {
  const resolve = db.prepare(
    `UPDATE gaps SET status = 'resolved', resolved_turn_id = ?, resolved_how = ?, resolved_by = 'model', resolved_note = NULL, resolved_at = ?
     WHERE id = ? AND project = ? AND status = 'open'`,
  );
  const resolved: StoredInsight['resolvedGaps'] = [];
  for (const r of out.resolved_gaps) {
    // An id the model made up, or one from another project, changes nothing.
    if (resolve.run(facts.turnId, r.how, facts.at, r.gap_id, facts.project).changes === 0) continue;
    resolved.push({ gapId: r.gap_id, how: r.how });
    events.push({ type: 'gap', gapId: r.gap_id, project: facts.project, status: 'resolved' });
  }
  return resolved;
}

/** Team memory's outbox (src/team/): the note and every gap it opened, saw or resolved, in the landing's transaction. */
function shareTurn(db: Database.Database, facts: TurnFacts, out: TurnInsightOutput, gaps: StoredInsight['gaps'], resolved: StoredInsight['resolvedGaps']): void {
  enqueue(db, { kind: 'note', localId: facts.turnId, project: facts.project, sessionId: facts.sessionId, payload: { output: out, at: facts.at, turnSeq: facts.seq } });
  for (const id of new Set([...gaps.map((g) => g.gapId), ...resolved.map((r) => r.gapId)])) enqueueGap(db, id);
}

/** Lands a turn's insight; returns the live events it caused, or undefined if the job was no longer running. */
export function landTurnInsight(db: Database.Database, job: Job, facts: TurnFacts, out: TurnInsightOutput, model: string, tokens: Tokens): LiveEvent[] | undefined {
  const queue = new JobQueue(db);
  return db.transaction((): LiveEvent[] | undefined => {
    if (!queue.markDone(job.id, tokens)) return undefined;
    const events: LiveEvent[] = [];
    const resolvedGaps = applyResolutions(db, facts, out, events);
    const gaps = applyGaps(db, facts, out, events);
    const data: StoredInsight = {
      summary: out.summary,
      action: out.action,
      outcome: out.outcome,
      gaps,
      confusion: out.confusion,
      decisions: out.decisions,
      successes: out.successes,
      followUps: out.follow_ups,
      resolvedGaps,
      nextTime: out.next_time,
      playbookSteps: out.playbook_steps,
    };
    db.prepare(
      `INSERT INTO turn_insights (turn_id, session_id, job_id, data, input_tokens, output_tokens, model, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(turn_id) DO NOTHING`,
    ).run(facts.turnId, facts.sessionId, job.id, JSON.stringify(data), tokens.input, tokens.output, model, new Date().toISOString());
    shareTurn(db, facts, out, gaps, resolvedGaps);
    return events;
  })();
}

type StoredSummary = Omit<SessionSummaryView, 'sessionId' | 'version' | 'createdAt' | 'tokens'>;

/** The session's gap facts, kept by kx rather than asked of the model. */
export function sessionGapFacts(db: Database.Database, sessionId: string): Pick<StoredSummary, 'gapsOpened' | 'gapsResolved'> {
  const opened = db.prepare(`SELECT id AS gapId, topic FROM gaps WHERE first_seen_session_id = ? ORDER BY first_seen_at`);
  const resolved = db.prepare(
    `SELECT g.id AS gapId, g.topic, COALESCE(g.resolved_how, g.resolved_note, '') AS how FROM gaps g
     JOIN turns t ON t.id = g.resolved_turn_id WHERE t.session_id = ? ORDER BY g.resolved_at`,
  );
  const gapsOpened = allRows(sessionSummaryView.shape.gapsOpened.element, 'opened gap', opened, sessionId);
  const gapsResolved = allRows(sessionSummaryView.shape.gapsResolved.element, 'resolved gap', resolved, sessionId);
  return { gapsOpened, gapsResolved };
}

export function landSummary(db: Database.Database, job: Job, sessionId: string, out: SessionSummaryOutput, tokens: Tokens): number | undefined {
  const queue = new JobQueue(db);
  return db.transaction((): number | undefined => {
    if (!queue.markDone(job.id, tokens)) return undefined;
    const version = (oneRow(z.number().nullable(), 'summary version', db.prepare(`SELECT MAX(version) FROM session_summaries WHERE session_id = ?`).pluck(), sessionId) ?? 0) + 1;
    const data: StoredSummary = {
      title: out.title,
      highlights: out.highlights,
      ...sessionGapFacts(db, sessionId),
      unresolvedQuestions: out.unresolved_questions,
      nextRepetitions: out.next_repetitions,
      playbook: out.playbook,
    };
    db.prepare(
      `INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(sessionId, version, JSON.stringify(data), job.id, tokens.input, tokens.output, new Date().toISOString());
    enqueue(db, { kind: 'summary', localId: sessionId, project: ensureProject(db, sessionId), sessionId, payload: { version, output: out, at: new Date().toISOString() } });
    return version;
  })();
}
