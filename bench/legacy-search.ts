// The search kx shipped before issue 30, frozen here as the retrieval bench's baseline: the console's
// (every word required, the last a prefix, BM25 over items) and the agent's MCP search (the same over the
// newest 100 matches only, re-scored in JS). Items, not sessions, are ranked. Kept only to be measured against.

import type Database from 'better-sqlite3';

export interface LegacyHit {
  sessionId: string | null;
}

function allWordsQuery(words: string, prefix: boolean): string | undefined {
  const parts = words
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => `"${w.replace(/"/g, '""')}"`);
  if (parts.length === 0) return undefined;
  if (prefix) parts[parts.length - 1] += '*';
  return parts.join(' ');
}

function scope(project: string | undefined): { where: string; params: Record<string, unknown> } {
  return project === undefined
    ? { where: '', params: {} }
    : { where: ` AND (project = @project OR session_id IN (SELECT id FROM sessions WHERE project = @project))`, params: { project } };
}

/** The console's search: BM25 over every item holding all the words. */
export function legacyConsoleSearch(db: Database.Database, table: string, words: string, limit: number, project?: string): LegacyHit[] {
  const match = allWordsQuery(words, true);
  if (!match) return [];
  const s = scope(project);
  return db
    .prepare(`SELECT session_id AS sessionId FROM ${table} WHERE ${table} MATCH @match${s.where} ORDER BY rank LIMIT @limit`)
    .all({ match, limit, ...s.params }) as LegacyHit[];
}

/** The MCP search: the newest 100 items holding all the words, scored by a BM25-shaped formula over that window. */
export function legacyMcpSearch(db: Database.Database, table: string, words: string, limit: number, project?: string): LegacyHit[] {
  const match = allWordsQuery(words, false);
  if (!match) return [];
  const s = scope(project);
  const newest = db
    .prepare(`SELECT session_id AS sessionId, substr(text, 1, 20000) AS text FROM ${table} WHERE ${table} MATCH @match${s.where} ORDER BY rowid DESC LIMIT 100`)
    .all({ match, ...s.params }) as Array<{ sessionId: string | null; text: string }>;
  const terms = [...new Set(words.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
  const lower = newest.map((d) => d.text.toLowerCase());
  const tf = lower.map((t) => terms.map((term) => countWord(t, term)));
  const avg = lower.reduce((n, t) => n + t.length, 0) / Math.max(1, lower.length) || 1;
  const idf = terms.map((_, j) => {
    const df = tf.filter((row) => row[j]! > 0).length;
    return Math.log(1 + (lower.length - df + 0.5) / (df + 0.5));
  });
  const score = tf.map((row, i) => row.reduce((sum, f, j) => sum + (f === 0 ? 0 : (idf[j]! * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * lower[i]!.length) / avg))), 0));
  return newest
    .map((d, i) => ({ sessionId: d.sessionId, score: score[i]!, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit);
}

function countWord(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if (!/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') && !/[\p{L}\p{N}]/u.test(text[i + word.length] ?? '')) n++;
  }
  return n;
}
