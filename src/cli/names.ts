// What a person types for a session or a project: the whole id, or the start of one (of a project's
// slug or name too), as long as only one matches. An ambiguous start lists what it matches; an
// unknown one names the closest.

import path from 'node:path';
import { sessionDetailView, sessionPageView, type SessionListItem } from '../contracts/console.js';
import { projectList, type ProjectView } from '../contracts/insight.js';
import { distance } from '../config/closest-name.js';
import { projectNames } from '../learn/modes.js';
import { ambiguousName, matchName } from '../store/name-match.js';
import { CliError, type KxClient } from './kx-client.js';
import { termLine } from './terminal-text.js';

/** The ids closest to what was typed: those it starts or contains first, then by edit distance. */
export function closestIds(given: string, ids: readonly string[], n = 3): string[] {
  const score = (id: string): number => (id.startsWith(given) ? -2 : id.includes(given) ? -1 : distance(given, id.slice(0, Math.max(given.length, 8))));
  return [...ids].sort((a, b) => score(a) - score(b)).slice(0, n);
}

/** The one item named by `given` (name-match.ts); undefined when none; an error listing them when several are. */
export function found<T>(what: string, given: string, items: readonly T[], names: (item: T) => readonly string[]): T | undefined {
  const hit = matchName(given, items, names);
  if ('ambiguous' in hit) throw new CliError(ambiguousName(what, termLine(given), hit.ambiguous.map(termLine)));
  return 'found' in hit ? hit.found : undefined;
}

/** A project named by id, folder or a unique start of its name, among those the running kx knows. */
export async function namedProject(api: KxClient, wanted: string): Promise<ProjectView> {
  return findProject((await api.get('/api/projects', projectList)).projects, wanted);
}

/** A project named by id, folder or a unique start of its slug or name; an unknown one is an error, never an empty result. */
export function findProject(projects: readonly ProjectView[], wanted: string): ProjectView {
  const resolved = path.isAbsolute(wanted) || wanted.startsWith('.') ? path.resolve(wanted) : wanted;
  const hit = projects.find((p) => p.name === resolved) ?? found('project', wanted, projects, projectNames);
  if (hit) return hit;
  const known = projects.map((p) => termLine(p.name === p.id ? p.id : `${p.id} (${p.name})`)).join(', ');
  throw new CliError(`no project ${JSON.stringify(termLine(wanted))}: give its folder, its name or the start of its id; known: ${known || 'none yet'}`);
}

const enc = encodeURIComponent;

/** A session as the CLI lists it: the API's list row, or the few fields a session's own page has. */
export type SessionRow = Pick<SessionListItem, 'id' | 'title' | 'project' | 'lastActivityAt' | 'turnCount' | 'openGaps' | 'endedAt'> & Partial<Pick<SessionListItem, 'status'>>;


export async function recentSessions(api: KxClient, limit = 100, project?: string): Promise<SessionRow[]> {
  const q = new URLSearchParams({ limit: String(limit), ...(project ? { project } : {}) });
  return (await api.get(`/api/sessions?${q}`, sessionPageView)).sessions;
}

/**
 * The session a person means: the id, a unique start of one, or the latest when none is given.
 * An id kx does not know is an error that names the closest ones; an ambiguous start lists its matches.
 */
export async function resolveSession(api: KxClient, given: string | undefined): Promise<SessionRow> {
  const sessions = await recentSessions(api);
  if (given === undefined) {
    if (!sessions[0]) throw new CliError('no session recorded yet');
    return sessions[0];
  }
  const hit = found('session', given, sessions, (s) => [s.id]);
  if (hit) return hit;
  // Older than the recent ones listed: ask for it by id.
  try {
    const s = await api.get(`/api/sessions/${enc(given)}`, sessionDetailView);
    return { ...s, title: null, project: s.project ?? null, openGaps: 0, endedAt: s.endedAt ?? null };
  } catch {
    // not known either: fall through to the suggestions
  }
  const near = closestIds(given, sessions.map((s) => s.id));
  throw new CliError(`no such session ${termLine(given)}${near.length ? `; closest: ${near.map(termLine).join(', ')}` : ''} (kx sessions lists them)`);
}

