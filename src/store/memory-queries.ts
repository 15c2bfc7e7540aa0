// What the agent's memory tools (src/mcp/) read of the store besides search (retrieval.ts): a session's project, a
// turn and its items, the sessions that have playbook steps. Rows are checked as they leave SQLite, so
// the tools work with typed values; and the lookups the tools log (the one thing MCP writes).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from './checked-rows.js';
import { isClientProjectSql } from './placeholder-projects.js';
import { editedByPersonSql, rewriteLookup, TYPED_TEXT, type Rewrite } from './typed-text-docs.js';

const turnRow = z.object({ id: z.string(), seq: z.number(), startedAt: z.string(), status: z.string() });
const itemRow = z.object({
  kind: z.string(), toolName: z.string().nullable(), text: z.string().nullable(), arguments: z.string().nullable(), output: z.string().nullable(),
  /** What the human typed, when learn mode sent a rewrite in its place (the item's text). */
  typed: z.string().nullable(),
  /** 1 when what was sent is the person's own edit of learn mode's proposal (the approval's decision), not kx's rewrite. */
  edited: z.number().nullable(),
});
const sessionRow = z.object({ id: z.string(), startedAt: z.string() });
const maybeText = z.string().nullable().optional();

const answerRow = z.object({ id: z.string(), text: z.string() });
export type MemoryTurn = z.infer<typeof turnRow>;
export type MemoryItem = z.infer<typeof itemRow>;

export class MemoryQueries {
  private readonly projectOf: Database.Statement;
  private readonly seqOf: Database.Statement;
  private readonly turnAt: Database.Statement;
  private readonly turnCount: Database.Statement;
  private readonly itemsOf: Database.Statement;
  private readonly withSteps: Database.Statement;
  private readonly lookup: Database.Statement;
  private readonly startOf: Database.Statement;
  /** What the human typed for a message learn mode sent rewritten, and whether they edited what was sent; undefined for any other document. */
  readonly rewriteOf: (itemId: string) => Rewrite | undefined;
  private readonly answerOf: Database.Statement;
  private readonly stored: Database.Statement;

  constructor(db: Database.Database) {
    // A client's placeholder project (placeholder-projects.ts) holds a session until its folder is seen: no project yet.
    this.projectOf = db.prepare(
      `SELECT s.project FROM sessions s LEFT JOIN projects p ON p.id = s.project
       WHERE s.id = ? AND NOT ${isClientProjectSql("COALESCE(p.name, '')")}`,
    ).pluck();
    this.seqOf = db.prepare(`SELECT seq FROM turns WHERE id = ?`).pluck();
    this.turnAt = db.prepare(`SELECT id, seq, started_at AS startedAt, status FROM turns WHERE session_id = ? AND seq = ?`);
    this.turnCount = db.prepare(`SELECT COUNT(*) FROM turns WHERE session_id = ?`).pluck();
    this.itemsOf = db.prepare(`SELECT kind, tool_name AS toolName, text, arguments, output, ${TYPED_TEXT} AS typed, ${editedByPersonSql()} AS edited FROM items WHERE turn_id = ? ORDER BY seq`);
    this.stored = db.prepare(`SELECT 1 FROM sessions WHERE id = ?`).pluck();
    this.answerOf = db.prepare(`SELECT id, text FROM items WHERE turn_id = ? AND kind = 'assistant_message' AND COALESCE(text, '') != '' ORDER BY seq DESC LIMIT 1`);
    this.rewriteOf = rewriteLookup(db);
    this.withSteps = db.prepare(
      `SELECT s.id, s.started_at AS startedAt FROM sessions s WHERE (@project IS NULL OR s.project = @project)
         AND (EXISTS (SELECT 1 FROM session_summaries ss WHERE ss.session_id = s.id)
           OR EXISTS (SELECT 1 FROM turn_insights ti JOIN turns t ON t.id = ti.turn_id WHERE t.session_id = s.id))
       UNION ALL
       -- Sessions a teammate's summary came from (team memory): their steps are in the shared summary.
       SELECT r.local_id, r.changed_at FROM team_received r WHERE r.kind = 'summary' AND r.deleted = 0 AND (@project IS NULL OR r.project = @project)
         AND r.machine_id IS NOT (SELECT value FROM team_state WHERE key = 'machine_id') AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = r.local_id)
       ORDER BY startedAt DESC LIMIT 50`,
    );
    this.startOf = db.prepare(`SELECT COALESCE((SELECT started_at FROM turns WHERE id = ?), (SELECT started_at FROM sessions WHERE id = ?))`).pluck();
    this.lookup = db.prepare(`INSERT INTO memory_lookups (session_id, tool, arguments, created_at) VALUES (?, ?, ?, ?)`);
  }

  /** Whether the session is stored here (a teammate's, known from team memory, is not). */
  isStored(sessionId: string): boolean {
    return this.stored.get(sessionId) !== undefined;
  }

  /** A turn's last answer from the agent: where what was done, or found, is told. */
  lastAnswer(turnId: string): { id: string; text: string } | undefined {
    return oneRow(answerRow, 'last answer', this.answerOf, turnId);
  }

  /** The project of a session, if kx knows the session and its project (not its client's placeholder). */
  sessionProject(sessionId: string): string | undefined {
    return oneRow(maybeText, 'session project', this.projectOf, sessionId) ?? undefined;
  }

  /** When a hit's turn started, else its session. */
  startedAt(turnId: string | null, sessionId: string | null): string | null {
    return oneRow(z.string().nullable(), 'start time', this.startOf, turnId, sessionId) ?? null;
  }

  turnSeq(turnId: string): number | null {
    return oneRow(z.number().nullable(), 'turn seq', this.seqOf, turnId) ?? null;
  }

  turn(sessionId: string, seq: number): MemoryTurn | undefined {
    return oneRow(turnRow, 'turn', this.turnAt, sessionId, seq);
  }

  turnsOf(sessionId: string): number {
    return oneRow(z.number(), 'turn count', this.turnCount, sessionId) ?? 0;
  }

  items(turnId: string): MemoryItem[] {
    return allRows(itemRow, 'item', this.itemsOf, turnId);
  }

  /** The latest sessions (50) with a summary or a turn note, of a project or of all. */
  sessionsWithSteps(project: string | undefined): Array<z.infer<typeof sessionRow>> {
    return allRows(sessionRow, 'session', this.withSteps, { project: project ?? null });
  }

  /** One call of a memory tool, for the console's count; the arguments come redacted and capped. */
  recordLookup(sessionId: string | undefined, tool: string, args: string): void {
    this.lookup.run(sessionId ?? null, tool, args, new Date().toISOString());
  }
}
