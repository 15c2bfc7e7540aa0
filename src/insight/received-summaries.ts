// Session summaries a teammate's kx shared through team memory (src/team/apply.ts keeps them in
// team_received): read like local ones by the profile (kx notes), MCP's playbook and learn mode's context.
// Another machine wrote them, so each is checked against the summary's output schema; one that fails is
// left out. This machine's own records coming back are not "received".

import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { SessionSummaryView, SharedSummaryItem } from '../contracts/insight.js';
import { parseJson } from '../protocol/json-guards.js';
import { allRows } from '../store/checked-rows.js';
import { SessionSummaryOutput } from './schemas.js';

const Payload = z.object({ version: z.number().int(), output: SessionSummaryOutput });
const receivedRow = z.object({ sessionId: z.string(), author: z.string(), project: z.string(), data: z.string(), createdAt: z.string() });

const RECEIVED = `SELECT local_id AS sessionId, author, project, data, changed_at AS createdAt FROM team_received
  WHERE kind = 'summary' AND deleted = 0 AND machine_id IS NOT (SELECT value FROM team_state WHERE key = 'machine_id')`;

function view(r: z.infer<typeof receivedRow>): SessionSummaryView | undefined {
  const p = Payload.safeParse(parseJson(r.data));
  if (!p.success) return undefined;
  const o = p.data.output;
  return {
    sessionId: r.sessionId, version: p.data.version, createdAt: r.createdAt, title: o.title, highlights: o.highlights,
    gapsOpened: [], gapsResolved: [], unresolvedQuestions: o.unresolved_questions, nextRepetitions: o.next_repetitions,
    playbook: o.playbook, tokens: { input: 0, output: 0 }, sharedBy: r.author,
  };
}

const views = (rows: z.infer<typeof receivedRow>[]): SessionSummaryView[] => rows.map(view).filter((s): s is SessionSummaryView => s !== undefined);

/** The shared summary of a session, if a teammate's kx sent one. */
export function receivedSummary(db: Database.Database, sessionId: string): SessionSummaryView | null {
  return views(allRows(receivedRow, 'shared summary', db.prepare(`${RECEIVED} AND local_id = ? LIMIT 1`), sessionId))[0] ?? null;
}

/** A project's shared summaries, newest first. */
export function receivedSummaries(db: Database.Database, project: string, limit: number): SessionSummaryView[] {
  return views(allRows(receivedRow, 'shared summary', db.prepare(`${RECEIVED} AND project = ? ORDER BY changed_at DESC LIMIT ?`), project, limit));
}

/** The sessions whose shared summary has an id starting with `start`, newest first: how a person names a teammate's session. */
export function receivedSessionsStarting(db: Database.Database, start: string, limit: number): SharedSummaryItem[] {
  const rows = allRows(receivedRow, 'shared summary', db.prepare(`${RECEIVED} AND substr(local_id, 1, ?) = ? ORDER BY changed_at DESC LIMIT ?`), start.length, start, limit);
  return rows.flatMap((r) => {
    const s = view(r);
    return s ? [{ sessionId: r.sessionId, author: r.author, project: r.project, title: s.title, sharedAt: r.createdAt }] : [];
  });
}
