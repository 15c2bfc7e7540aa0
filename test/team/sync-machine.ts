// One "machine" for team sync tests: its own SQLite (migrated like documents/sessions.db), search index and
// TeamSync, with a project for a checkout and helpers that write what the insight engine writes.

import path from 'node:path';
import Database from 'better-sqlite3';
import { projectIdOfCwd } from '../../src/capture/project.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';
import { teamIndexer } from '../../src/insight/team-index.js';
import type { TurnInsightOutput } from '../../src/insight/schemas.js';
import { migrate } from '../../src/store/schema.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { enqueue, enqueueGap } from '../../src/team/outbox.js';
import { TeamSync } from '../../src/team/sync.js';
import { parseTeamUrl } from '../../src/team/team-url.js';

export interface Machine {
  db: Database.Database;
  search: SearchIndex;
  sync: TeamSync;
  project: string;
  logs: Array<Record<string, unknown>>;
  /** The gap changes pulls announced (kx publishes them as live events). */
  gapEvents: Array<{ gapId: string; status: string }>;
  note(turnId: string, sessionId: string, summary: string): void;
  openGap(id: string, sessionId: string, topic: string, question: string): void;
  close(): Promise<void>;
}

export function noteOutput(summary: string): TurnInsightOutput {
  return { summary, action: 'ran the tests', outcome: 'succeeded', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [], search_terms: [] };
}

export function startMachine(url: string, author: string, cwd: string, opts: { pollMs?: number; retryBaseMs?: number; maxRetryMs?: number } = {}): Machine {
  const db = new Database(path.join(tempDir('kx-team-machine-'), 'sessions.db'));
  db.pragma('journal_mode = WAL');
  migrate(db);
  const search = new SearchIndex(db);
  const project = projectIdOfCwd(cwd);
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)`).run(project, cwd, new Date().toISOString());
  const parsed = parseTeamUrl(url);
  if ('error' in parsed) throw new Error(parsed.error);
  const logs: Array<Record<string, unknown>> = [];
  const gapEvents: Machine['gapEvents'] = [];
  const sync = new TeamSync({ db, url: parsed, author, index: teamIndexer(search), log: (l) => logs.push(l), gapsChanged: (c) => gapEvents.push(...c), pollMs: opts.pollMs ?? 50, retryBaseMs: opts.retryBaseMs ?? 100, maxRetryMs: opts.maxRetryMs ?? 400 });
  return {
    db,
    search,
    sync,
    project,
    logs,
    gapEvents,
    note: (turnId, sessionId, summary) => {
      const out = noteOutput(summary);
      db.transaction(() => enqueue(db, { kind: 'note', localId: turnId, project, sessionId, payload: { output: out, at: new Date().toISOString(), turnSeq: 1 } }))();
      for (const doc of [{ docKind: 'insight' as const, refId: turnId, sessionId, turnId, project, text: summary }]) search.indexDocument(doc);
      sync.wake();
    },
    openGap: (id, sessionId, topic, question) => {
      const at = new Date().toISOString();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO gaps (id, project, topic, question, evidence, first_seen_session_id, first_seen_turn_id, first_seen_at, last_seen_session_id, last_seen_turn_id, last_seen_at)
           VALUES (?, ?, ?, ?, 'asked twice', ?, 't1', ?, ?, 't1', ?)`,
        ).run(id, project, topic, question, sessionId, at, sessionId, at);
        enqueueGap(db, id);
      })();
      sync.wake();
    },
    close: async () => {
      await sync.close();
      db.close();
    },
  };
}

export async function until<T>(what: string, get: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
