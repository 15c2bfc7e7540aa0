// What a person types for a session or a project: the whole id or name, or the start of one when only
// one thing starts with it. An ambiguous start is never guessed: the caller lists its matches.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows } from './checked-rows.js';

export type NameMatch<T> = { found: T } | { ambiguous: string[]; matches: T[] } | { none: true };

/** `names(item)`: the item's names, its id first (what an ambiguous answer lists). Nothing is named by an empty string. */
export function matchName<T>(given: string, items: readonly T[], names: (item: T) => readonly string[]): NameMatch<T> {
  if (given === '') return { none: true };
  const whole = items.filter((i) => names(i).includes(given));
  const hits = whole.length > 0 ? whole : items.filter((i) => names(i).some((n) => n.startsWith(given)));
  if (hits.length === 1) return { found: hits[0]! };
  return hits.length > 0 ? { ambiguous: hits.map((i) => names(i)[0]!), matches: hits } : { none: true };
}

export const ambiguousName = (what: string, given: string, matches: readonly string[]): string =>
  `${what} ${given} is ambiguous: ${matches.length} match (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}); type more of it`;

/** What an empty name is told: it would start every name, so it names none. */
export const NAME_NEEDED = {
  session: 'a session id is needed: give it or the start of it (kx sessions lists them)',
  project: 'a project name is needed: give its folder, its name or the start of its id',
  approval: 'an approval id is needed: give it or the start of it (kx approve lists the waiting turns)',
} as const;

/** The sessions whose id starts with `prefix` (a few: enough to say it is ambiguous), recorded or held for approval. */
export function sessionIdsStarting(db: Database.Database, prefix: string): string[] {
  const sql = 'SELECT id FROM sessions WHERE substr(id, 1, ?) = ? UNION SELECT session_id FROM approvals WHERE substr(session_id, 1, ?) = ? LIMIT 6';
  return allRows(z.string(), 'session id', db.prepare(sql).pluck(), prefix.length, prefix, prefix.length, prefix);
}

/** Every project kx has seen, for naming one. */
export const knownProjects = (db: Database.Database): Array<{ id: string; name: string }> =>
  allRows(z.object({ id: z.string(), name: z.string() }), 'project', db.prepare('SELECT id, name FROM projects ORDER BY name'));
