// What a person types for a session or a project: the whole id, or the start of one (of a project's
// slug or name too), as long as only one matches. An ambiguous start lists what it matches; an
// unknown one names the closest.

import fs from 'node:fs';
import path from 'node:path';
import { sessionDetailView, sessionPageView, type SessionListItem } from '../contracts/console.js';
import { projectList, type ProjectView } from '../contracts/insight.js';
import { approvalList } from '../contracts/learn.js';
import { projectOfFolder } from '../capture/project.js';
import { distance } from '../config/closest-name.js';
import { projectNames } from '../learn/modes.js';
import { matchName, NAME_NEEDED } from '../store/name-match.js';
import { oneLineCut } from '../text/one-line.js';
import { CliError, type KxClient } from './kx-client.js';
import { termLine, localTime } from './terminal-text.js';

type Named = keyof typeof NAME_NEEDED;

/**
 * The ids close to what was typed: those it starts or contains first, then those whose start it is a typo of
 * (a quarter of its characters wrong at most). An id that is none of these is no suggestion, however few ids there are.
 */
export function closestIds(given: string, ids: readonly string[], n = 3): string[] {
  const typos = Math.floor(given.length / 4);
  const typo = (id: string): number => Math.min(...[-1, 0, 1].map((d) => distance(given, id.slice(0, Math.max(1, given.length + d)))));
  const score = (id: string): number => (id.startsWith(given) ? -2 : id.includes(given) ? -1 : typo(id));
  return ids.map((id) => ({ id, s: score(id) })).filter((x) => x.s <= typos).sort((a, b) => a.s - b.s).slice(0, n).map((x) => x.id);
}

const SHOWN = 10;

/** An ambiguous start, with a line per match that tells it from the others. */
function ambiguous(what: Named, given: string, lines: readonly string[]): CliError {
  const more = lines.length > SHOWN ? [`  … and ${lines.length - SHOWN} more`] : [];
  const how = what === 'project' ? 'type more of it, or give its folder' : 'type more of it';
  return new CliError([`${what} ${termLine(given)} is ambiguous: ${lines.length} match; ${how}:`, ...lines.slice(0, SHOWN).map((l) => `  ${l}`), ...more].join('\n'));
}

/**
 * The one item named by `given` (name-match.ts); undefined when none. An empty name and an ambiguous
 * start are errors, the second listing its matches, each as `line` shows it (default: its id).
 */
export function found<T>(what: Named, given: string, items: readonly T[], names: (item: T) => readonly string[], line?: (item: T) => string): T | undefined {
  if (given === '') throw new CliError(NAME_NEEDED[what]);
  const hit = matchName(given, items, names);
  if ('ambiguous' in hit) throw ambiguous(what, given, hit.matches.map((m) => (line ? line(m) : termLine(names(m)[0]!))));
  return 'found' in hit ? hit.found : undefined;
}

/** A project named by id, folder or a unique start of its name, among those the running kx knows. */
export async function namedProject(api: KxClient, wanted: string): Promise<ProjectView> {
  if (wanted === '') throw new CliError(NAME_NEEDED.project);
  return findProject((await api.get('/api/projects', projectList)).projects, wanted);
}

/** A project named by id, folder or a unique start of its slug or name; an unknown one is an error, never an empty result. */
export function findProject(projects: readonly ProjectView[], wanted: string): ProjectView {
  const isPath = path.isAbsolute(wanted) || wanted.startsWith('.');
  const hit = (isPath ? projectOfFolder(projects, wanted) : undefined) ?? found('project', wanted, projects, projectNames, (p) => termLine(p.name === p.id ? p.id : `${p.id}  ${p.name}`));
  if (hit) return hit;
  const known = projects.map((p) => termLine(p.name === p.id ? p.id : `${p.id} (${p.name})`)).join(', ');
  throw new CliError(`no project ${JSON.stringify(termLine(wanted))}: give its folder, its name or the start of its id; known: ${known || 'none yet'}`);
}

const enc = encodeURIComponent;

/** A session as the CLI lists it: the API's list row, or the few fields a session's own page has. */
export type SessionRow = Pick<SessionListItem, 'id' | 'title' | 'project' | 'lastActivityAt' | 'turnCount' | 'openGaps' | 'endedAt'> & Partial<Pick<SessionListItem, 'status'>>;


/** A session among others: its id, last activity, project and title. */
const sessionLine = (s: SessionRow): string =>
  [s.id, localTime(s.lastActivityAt), s.project ?? '—', oneLineCut(s.title ?? '—', 48)].map((c) => termLine(c)).join('  ');

export async function recentSessions(api: KxClient, limit = 100, project?: string): Promise<SessionRow[]> {
  const q = new URLSearchParams({ limit: String(limit), ...(project ? { project } : {}) });
  return (await api.get(`/api/sessions?${q}`, sessionPageView)).sessions;
}

/**
 * The session a person means (among the recent ones and `also`): the id, a unique start of one, or the latest when none is given.
 * An id kx does not know is an error that names the closest ones; an ambiguous start lists its matches.
 */
export async function resolveSession(api: KxClient, given: string | undefined, also: readonly SessionRow[] = []): Promise<SessionRow> {
  if (given === '') throw new CliError(NAME_NEEDED.session);
  const byId = new Map<string, SessionRow>();
  for (const s of [...(await recentSessions(api)), ...also]) if (!byId.has(s.id)) byId.set(s.id, s);
  const sessions = [...byId.values()];
  if (given === undefined) {
    if (!sessions[0]) throw new CliError('no session recorded yet');
    return sessions[0];
  }
  const hit = found('session', given, sessions, (s) => [s.id], sessionLine);
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

/** A turn learn mode holds, named by its id or a unique start of it; one that is not waiting is an error that says how to list them. */
export async function resolveApproval(api: KxClient, given: string): Promise<string> {
  if (given === '') throw new CliError(NAME_NEEDED.approval);
  const { approvals } = await api.get('/api/approvals?status=pending', approvalList);
  const line = (a: (typeof approvals)[number]): string => termLine(`${a.id}  session ${a.sessionId}  ${oneLineCut(a.original, 48)}`);
  const hit = found('approval', given, approvals, (a) => [a.id], line);
  if (hit) return hit.id;
  const decided = matchName(given, (await api.get('/api/approvals?status=all', approvalList)).approvals, (a) => [a.id]);
  if ('found' in decided) {
    const a = decided.found;
    throw new CliError(`the turn ${termLine(a.id)} was already decided: ${a.status.replace('_', ' ')}${a.decidedAt ? ` at ${localTime(a.decidedAt)}` : ''}; nothing more to do`);
  }
  throw new CliError(`no waiting turn ${termLine(given)}: kx approve lists the waiting turns`);
}

/** The sessions whose turns learn mode holds: a first turn is recorded only once it is sent, yet kx mode may name its session meanwhile. */
async function heldSessions(api: KxClient): Promise<SessionRow[]> {
  const { approvals } = await api.get('/api/approvals?status=pending', approvalList);
  return approvals.map((a) => ({ id: a.sessionId, title: a.original, project: a.project, lastActivityAt: a.created, turnCount: 0, openGaps: 0, endedAt: null }));
}

const isFolder = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * kx mode's --session or --project, named the way kx end and kx notes name them. A folder (or an absolute
 * path) is left to kx: it names the project of that working directory, seen yet or not.
 */
export async function modeTarget(api: KxClient, target: { session?: string; project?: string }): Promise<{ session?: string; project?: string }> {
  const { session, project } = target;
  if (session !== undefined && project !== undefined) return target;
  if (session !== undefined) return { session: (await resolveSession(api, session, await heldSessions(api))).id };
  if (project !== undefined && !path.isAbsolute(project) && !isFolder(project)) return { project: (await namedProject(api, project)).id };
  return target;
}
