// Which folder under documents/ holds each session's files: one rule for every new session (its day,
// the first words the human typed, its id: session-folder.ts), decided once and recorded on the
// session's row, whoever needs the folder first. Capture usually does, with the session's first
// message in the same commit. A session whose first frame carried no message (Codex's WebSocket
// prewarm) is filed at its first message, unless a file was written before. Learn mode may write a
// held turn's decision before capture has the session at all: the folder it is given is the one
// the row records when it lands. Sessions an earlier kx stored keep the folders they have. A rename is
// journalled in its commit (folder_moves), so a crash before the folder moves on disk is finished at open.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { allRows, oneRow } from './checked-rows.js';
import { decidedFolder, legacyFolderName, readableFolderName, sessionFolderName } from './session-folder.js';

const moveRow = z.object({ sessionId: z.string(), from: z.string(), to: z.string() });
type Move = z.infer<typeof moveRow>;

const isDecisionLine = (line: string): boolean => {
  try {
    return (JSON.parse(line) as { kind?: unknown }).kind === 'rewrite_decision';
  } catch {
    return false;
  }
};

export class FolderBook {
  private readonly folders = new LRUCache<string, string>({ max: 4096 });
  /** Folders given out for sessions not stored yet. */
  private readonly handedOut = new LRUCache<string, string>({ max: 4096 });
  /** Folders renamed in the commit under way, moved on disk once it is committed. */
  private moves: Move[] = [];
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly documentsDir: string,
  ) {
    this.s = {
      folder: db.prepare(`SELECT folder FROM sessions WHERE id = ?`).pluck(),
      filed: db.prepare(`SELECT started_at AS startedAt, folder FROM sessions WHERE id = ?`),
      file: db.prepare(`UPDATE sessions SET folder = ? WHERE id = ? AND folder IS NULL`),
      refile: db.prepare(`UPDATE sessions SET folder = ? WHERE id = ? AND folder = ?`),
      journal: db.prepare(`INSERT OR REPLACE INTO folder_moves (session_id, from_folder, to_folder) VALUES (?, ?, ?)`),
      moved: db.prepare(`DELETE FROM folder_moves WHERE session_id = ?`),
      unmoved: db.prepare(`SELECT session_id AS sessionId, from_folder AS "from", to_folder AS "to" FROM folder_moves`),
    };
  }

  /** The folder of a session's files; `firstMessage` names it when the session is not stored yet. */
  dir(sessionId: string, firstMessage?: string): string {
    let folder = this.folders.get(sessionId);
    if (folder === undefined) {
      folder = oneRow(z.string().nullable(), 'session folder', this.s.folder, sessionId) ?? this.decideNow(sessionId, firstMessage);
      this.folders.set(sessionId, folder);
    }
    return path.join(this.documentsDir, folder);
  }

  /** For a new session's row: the folder already given out for it, if any. */
  handedOutFor(sessionId: string): string | null {
    const folder = this.handedOut.get(sessionId);
    this.handedOut.delete(sessionId);
    return folder ?? null;
  }

  /**
   * A session's first message is stored (in the commit): its folder carries its words. A folder named
   * before (a prewarm's usage line, a held turn's decision) by the rule without words is renamed.
   */
  fileAtFirstMessage(sessionId: string, typed: string): void {
    const row = oneRow(z.object({ startedAt: z.string(), folder: z.string().nullable() }), 'session folder', this.s.filed, sessionId);
    if (!row) return;
    const named = readableFolderName(sessionId, row.startedAt, typed);
    if (row.folder === null) this.s.file.run(named, sessionId);
    else if (row.folder !== named && row.folder === readableFolderName(sessionId, row.startedAt, undefined) && !this.hasHumanLines(row.folder)) {
      this.s.refile.run(named, sessionId, row.folder);
      this.s.journal.run(sessionId, row.folder, named);
      this.moves.push({ sessionId, from: row.folder, to: named });
    }
  }

  /**
   * A folder that already holds the human's lines was named at a first message with no words: it stays.
   * A held turn's decision line alone (written before its message is captured) is not one of them.
   */
  private hasHumanLines(folder: string): boolean {
    const file = path.join(this.documentsDir, folder, 'user_actions.jsonl');
    if (!fs.existsSync(file)) return false;
    return fs.readFileSync(file, 'utf8').split('\n').some((line) => line !== '' && !isDecisionLine(line));
  }

  /** After the commit: the renamed folders move on disk (before any line is appended to them). */
  moveRefiled(): void {
    for (const m of this.moves.splice(0)) this.move(m);
  }

  /**
   * At open: the moves a crash left between their commit and the disk are made. The journal is cleared
   * only here: a delete after each move would be a write on the forwarding thread, outside its commits.
   */
  finishMoves(): void {
    for (const m of allRows(moveRow, 'folder move', this.s.unmoved)) {
      // A move that failed was put back (the row names `from` again): nothing to finish.
      if (oneRow(z.string().nullable(), 'session folder', this.s.folder, m.sessionId) === m.to) this.move(m);
      this.s.moved.run(m.sessionId);
    }
  }

  private move(m: Move): void {
    this.folders.delete(m.sessionId);
    const from = path.join(this.documentsDir, m.from);
    try {
      if (fs.existsSync(from)) fs.renameSync(from, path.join(this.documentsDir, m.to));
    } catch {
      this.s.refile.run(m.from, m.sessionId, m.to); // the old name stays: the files are still there
    }
  }

  /** A commit rolled back: its renames did not happen. */
  dropRefiled(): void {
    this.moves = [];
  }

  private decideNow(sessionId: string, firstMessage: string | undefined): string {
    const stored = decidedFolder(this.db, sessionId, firstMessage);
    if (stored !== undefined) {
      this.s.file.run(stored, sessionId);
      return stored;
    }
    const folder = readableFolderName(sessionId, new Date().toISOString(), firstMessage);
    this.handedOut.set(sessionId, folder);
    return folder;
  }

  /**
   * At open, sessions with no recorded folder: those an earlier kx stored keep the folder their files
   * are already in; the others get the rule's name.
   */
  recordUnfiled(): void {
    const rows = allRows(z.string(), 'session id', this.db.prepare(`SELECT id FROM sessions WHERE folder IS NULL`).pluck());
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const id of rows) {
        const legacy = legacyFolderName(id);
        const exists = fs.statSync(path.join(this.documentsDir, legacy), { throwIfNoEntry: false })?.isDirectory() ?? false;
        this.s.file.run(exists ? legacy : (decidedFolder(this.db, id) ?? sessionFolderName(id)), id);
      }
    })();
  }
}
