// The folder under documents/ that holds a session's jsonl files. Session ids come from clients
// (a header, a body field), so the name must never be one of kx's own files (a folder named
// `sessions.db-journal` or `ui-token` stops kx from starting), never be shared by two sessions,
// and never exceed a file system's name length.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { oneRow } from './checked-rows.js';

/** Names kx keeps for itself in documents/, compared case-insensitively (macOS and Windows fold case). */
const RESERVED = new Set(['ui-token', 'kx.lock', 'projects', 'readme', 'documents', 'con', 'prn', 'aux', 'nul', 'clock$']);
const RESERVED_PREFIX = /^(?:kx-|sessions|com\d|lpt\d)/i;

/** Ids kept as their own folder name: lower case (so no two differ only in case), short, plain, not starting with `-`. */
const PLAIN = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

function reserved(name: string): boolean {
  return RESERVED.has(name.toLowerCase()) || RESERVED_PREFIX.test(name);
}

/**
 * A plain id keeps its name (Codex's thread ids, `fp-…` fingerprints). Any other id gets a readable
 * prefix and a hash of the whole id after a `.`: a plain name never contains `.`, so the two kinds
 * never meet, and a prefix never starts with `.` or a reserved name.
 */
export function sessionFolderName(sessionId: string): string {
  if (PLAIN.test(sessionId) && !reserved(sessionId)) return sessionId;
  const hash = createHash('sha256').update(sessionId, 'utf8').digest('hex').slice(0, 16);
  const readable = sessionId.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[_-]+|[_-]+$/g, '').slice(0, 40);
  const prefix = readable && !reserved(readable) ? readable : `s_${readable}`.slice(0, 40).replace(/[_-]+$/, '');
  return `${prefix}.${hash}`;
}

/** The name the first kx versions gave a session's folder; kept for sessions stored before folders were recorded. */
export function legacyFolderName(sessionId: string): string {
  return sessionId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

/** Words of a title kept in a folder name: enough to recognise it in `ls`, short enough to scan. */
const TITLE_WORDS = 5;
const TITLE_CHARS = 40;

/**
 * A new session's folder: its day and the first words the human typed before the id's own folder
 * name, so `ls documents/` tells a person something (`2026-11-24_fix-the-cart-badge_01a20eec-…`).
 * The id part keeps it unique; the date in front means it never starts like a reserved name. The
 * folder is recorded on the session's row (`sessions.folder`) and read from there, never rebuilt.
 */
export function readableFolderName(sessionId: string, startedAt: string, firstMessage: string | undefined): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(startedAt)?.[0];
  const words = (firstMessage ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, TITLE_WORDS)
    .join('-')
    .slice(0, TITLE_CHARS)
    .replace(/-+$/, '');
  return [day, words, sessionFolderName(sessionId)].filter(Boolean).join('_');
}

/**
 * A human item's text as the human typed it. Learn mode's rewrite is what went upstream and is the
 * item's text; what was typed is kept beside it (`detail.originalText`). Titles and folder names use this.
 */
export const TYPED_TEXT_SQL = `COALESCE(json_extract(detail, '$.originalText'), text)`;

type Db = import('better-sqlite3').Database;

/**
 * The folder the rule gives a stored session with none recorded yet (its first frame carried no
 * message, or an earlier kx left it unrecorded): its day and first typed words, as for every new
 * session (`firstMessage` when none is stored yet: a held first turn's).
 */
export function decidedFolder(db: Db, sessionId: string, firstMessage?: string): string | undefined {
  const sql = `SELECT started_at AS startedAt,
      (SELECT ${TYPED_TEXT_SQL} FROM items i WHERE i.session_id = s.id AND i.kind = 'human_message' ORDER BY i.seq LIMIT 1) AS first
    FROM sessions s WHERE s.id = ?`;
  const row = oneRow(z.object({ startedAt: z.string(), first: z.string().nullable() }), 'session start', db.prepare(sql), sessionId);
  return row ? readableFolderName(sessionId, row.startedAt, row.first ?? firstMessage) : undefined;
}

/** The folder of each session's files, as recorded on its row (else the rule's name for it). */
export function sessionDirs(db: Db, documentsDir: string): (sessionId: string) => string {
  const folderOf = db.prepare(`SELECT folder FROM sessions WHERE id = ?`).pluck();
  return (id) => path.join(documentsDir, z.string().nullable().optional().parse(folderOf.get(id)) ?? decidedFolder(db, id) ?? sessionFolderName(id));
}
