// The console's session list: one page at a time, newest activity first, filtered by client, project and
// start date. Pages follow a keyset cursor (last activity, id), so a session that moves to the top while
// someone pages does not shift the pages after it. Only the page's own sessions pay for their aggregates.

import type Database from 'better-sqlite3';
import type { SessionListItem, SessionPageView } from '../contracts/console.js';
import { sessionStatus } from '../contracts/session-status.js';
import type { SessionReader, SessionSummary } from './session-reader.js';
import { z } from 'zod';
import { parseJson } from '../protocol/json-guards.js';
import { TYPED_TEXT_SQL } from './session-folder.js';
import { allRows, oneRow } from './checked-rows.js';

export interface SessionListQuery {
  limit: number;
  cursor?: string;
  client?: string;
  project?: string;
  /** ISO dates or times; a session counts when it started in [from, to). */
  from?: string;
  to?: string;
}

const TITLE_CHARS = 300;

const pageRow = z.object({ id: z.string(), lastActivityAt: z.string() });

const encodeCursor = (lastActivityAt: string, id: string): string => Buffer.from(JSON.stringify([lastActivityAt, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] | undefined {
  const v = parseJson(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') ? [v[0] as string, v[1] as string] : undefined;
}

/** Milliseconds from one stored time to another; 0, never NaN (which JSON sends as null), when either is not a date. */
export function spanMs(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

export class SessionList {
  constructor(
    private readonly db: Database.Database,
    private readonly reader: SessionReader,
  ) {}

  page(q: SessionListQuery, now = Date.now()): SessionPageView {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.client !== undefined) (where.push('s.client = @client'), (params.client = q.client));
    if (q.project !== undefined) {
      where.push('s.project = @project');
      params.project = q.project;
    }
    if (q.from !== undefined) (where.push('s.started_at >= @from'), (params.from = q.from));
    if (q.to !== undefined) (where.push('s.started_at < @to'), (params.to = q.to));
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = oneRow(z.number(), 'session count', this.db.prepare(`SELECT COUNT(*) FROM sessions s ${filter}`).pluck(), params) ?? 0;

    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (after) [params.afterAt, params.afterId] = after;
    const sql = `SELECT id, lastActivityAt FROM (
        SELECT s.id, COALESCE((SELECT MAX(r.started_at) FROM requests r WHERE r.session_id = s.id), s.started_at) AS lastActivityAt
        FROM sessions s ${filter}
      ) ${after ? 'WHERE lastActivityAt < @afterAt OR (lastActivityAt = @afterAt AND id < @afterId)' : ''}
      ORDER BY lastActivityAt DESC, id DESC LIMIT @limit`;
    const ids = allRows(pageRow, 'session', this.db.prepare(sql), { ...params, limit: q.limit + 1 });
    const more = ids.length > q.limit;
    const pageIds = ids.slice(0, q.limit);
    const last = pageIds.at(-1);
    return {
      sessions: pageIds.map(({ id }) => this.item(this.reader.getSummary(id)!, now)),
      total,
      nextCursor: more && last ? encodeCursor(last.lastActivityAt, last.id) : null,
      clients: allRows(z.string(), 'client', this.db.prepare(`SELECT DISTINCT client FROM sessions WHERE client IS NOT NULL ORDER BY client`).pluck()),
    };
  }

  private hasLiveTraffic(sessionId: string): boolean {
    return this.db.prepare(`SELECT 1 FROM requests WHERE session_id = ? AND transport != 'rollout' LIMIT 1`).get(sessionId) !== undefined;
  }

  private item(s: SessionSummary, now: number): SessionListItem {
    const sql = `SELECT substr(${TYPED_TEXT_SQL}, 1, ${TITLE_CHARS}) FROM items WHERE session_id = ? AND kind = 'human_message' ORDER BY seq LIMIT 1`;
    const title = oneRow(z.string().nullable(), 'session title', this.db.prepare(sql).pluck(), s.id);
    return {
      ...s,
      title: title ?? null,
      durationMs: spanMs(s.startedAt, s.lastActivityAt),
      status: sessionStatus({ ...s, liveActivity: this.hasLiveTraffic(s.id) }, now),
      openGaps: this.openGaps(s.id),
    };
  }

  /** Gaps still open whose latest sighting was in this session. */
  private openGaps(sessionId: string): number {
    return oneRow(z.number(), 'gap count', this.db.prepare(`SELECT COUNT(*) FROM gaps WHERE last_seen_session_id = ? AND status = 'open'`).pluck(), sessionId) ?? 0;
  }
}
