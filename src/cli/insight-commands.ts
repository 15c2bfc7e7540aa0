// kx sessions | end | gaps | summary | notes: talk to the running kx over its API, with the console token
// (KX_UI_TOKEN, else documents/ui-token). The running kx owns the queue, so `kx end` there is what makes
// the summary; reading through the same API keeps one view of the data. Arguments are parsed strictly
// (util.parseArgs); captured and model text is printed escaped (terminal-text.ts).

import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { sessionDetailView, sessionPageView } from '../contracts/console.js';
import { gapList, gapView, projectList, projectProfileView, sessionEndView, sessionSummaryResponse, type GapView, type ProjectView } from '../contracts/insight.js';
import { argsError } from '../config/config.js';
import { oneLine, renderSummary } from '../insight/learnings-md.js';
import { CliError, type KxClient } from './kx-client.js';
import { localTime } from './learn-commands.js';
import { termLine, termText } from './terminal-text.js';

export const USAGE = {
  sessions: 'kx sessions [--project P] [--limit N]',
  end: 'kx end [SESSION]',
  gaps: 'kx gaps [--project P|all] [--status open|resolved | --all]\n       kx gaps resolve GAP [--note TEXT]\n       kx gaps reopen GAP',
  summary: 'kx summary [SESSION]',
  notes: 'kx notes [PROJECT]',
} as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string, maxPositionals: number) {
  try {
    const r = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (r.positionals.length > maxPositionals) throw new CliError(`unexpected argument ${r.positionals[maxPositionals]}\nUsage: ${usage}`);
    return r;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(argsError(err, usage).message);
  }
}

const enc = encodeURIComponent;

interface SessionRow {
  id: string;
  title: string | null;
  project: string | null;
  lastActivityAt: string;
  turnCount: number;
  openGaps?: number;
  endedAt: string | null;
  status?: string;
}

async function recentSessions(api: KxClient, limit = 100, project?: string): Promise<SessionRow[]> {
  const q = new URLSearchParams({ limit: String(limit), ...(project ? { project } : {}) });
  return (await api.get(`/api/sessions?${q}`, sessionPageView)).sessions;
}

/** Edit distance, for "did you mean" (ids are short; quadratic is fine). */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The ids closest to what was typed: those it starts or contains first, then by edit distance. */
export function closestIds(given: string, ids: readonly string[], n = 3): string[] {
  const score = (id: string): number => (id.startsWith(given) ? -2 : id.includes(given) ? -1 : distance(given, id.slice(0, Math.max(given.length, 8))));
  return [...ids].sort((a, b) => score(a) - score(b)).slice(0, n);
}

/**
 * The session a person means: the id, a unique prefix of one, or the latest when none is given.
 * An id kx does not know is an error that names the closest ones.
 */
export async function resolveSession(api: KxClient, given: string | undefined): Promise<SessionRow> {
  const sessions = await recentSessions(api);
  if (given === undefined) {
    if (!sessions[0]) throw new CliError('no session recorded yet');
    return sessions[0];
  }
  const exact = sessions.find((s) => s.id === given);
  if (exact) return exact;
  const prefixed = sessions.filter((s) => s.id.startsWith(given));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length === 0) {
    // Older than the recent ones listed: ask for it by id.
    try {
      const s = await api.get(`/api/sessions/${enc(given)}`, sessionDetailView);
      return { ...s, title: null, project: s.project ?? null, openGaps: 0, endedAt: s.endedAt ?? null };
    } catch {
      // not known either: fall through to the suggestions
    }
  }
  const near = prefixed.length > 1 ? prefixed.slice(0, 5).map((s) => s.id) : closestIds(given, sessions.map((s) => s.id));
  throw new CliError(
    `no such session ${termLine(given)}${near.length ? `; ${prefixed.length > 1 ? 'it starts' : 'closest'}: ${near.map(termLine).join(', ')}` : ''} (kx sessions lists them)`,
  );
}

/** The project of `cwd`: the known project whose folder holds it (the deepest), if any. */
export function projectOfFolder(projects: readonly ProjectView[], cwd: string): ProjectView | undefined {
  const inside = (dir: string) => cwd === dir || cwd.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  return projects.filter((p) => path.isAbsolute(p.name) && inside(p.name)).sort((a, b) => b.name.length - a.name.length)[0];
}

/** A project named by id or folder; an unknown one is an error, never an empty result. */
async function namedProject(api: KxClient, wanted: string): Promise<ProjectView> {
  const { projects } = await api.get('/api/projects', projectList);
  const p = projects.find((x) => x.id === wanted || x.name === wanted || x.name === path.resolve(wanted));
  if (!p) throw new CliError(`no project ${termLine(wanted)}; known: ${projects.map((x) => termLine(x.id)).join(', ') || 'none yet'}`);
  return p;
}

const cut = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s);
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

export function formatSessions(sessions: readonly SessionRow[], timeZone?: string): string {
  if (sessions.length === 0) return 'no sessions';
  const rows = sessions.map((s) => [
    termLine(s.id),
    termLine(cut(oneLine(s.title ?? '—'), 48)),
    termLine(cut(s.project ?? '—', 28)),
    localTime(s.lastActivityAt, timeZone),
    String(s.turnCount),
    String(s.openGaps ?? 0),
    s.status ?? '',
  ]);
  const head = ['ID', 'TITLE', 'PROJECT', 'LAST ACTIVITY', 'TURNS', 'OPEN GAPS', 'STATUS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  return [head, ...rows].map((r) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function sessionsCommand(api: KxClient, args: string[], out: (s: string) => void, timeZone?: string): Promise<void> {
  const { values } = parse(args, { project: { type: 'string' }, limit: { type: 'string' } }, USAGE.sessions, 0);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError(`--limit needs a whole number from 1 to 100 (got ${values.limit})`);
  const project = values.project === undefined ? undefined : (await namedProject(api, values.project)).id;
  out(formatSessions(await recentSessions(api, limit, project), timeZone));
}

export async function endCommand(api: KxClient, args: string[], out: (s: string) => void): Promise<void> {
  const { positionals } = parse(args, {}, USAGE.end, 1);
  const session = await resolveSession(api, positionals[0]);
  const id = termLine(session.id);
  if (session.endedAt) {
    out(`session ${id} already ended at ${localTime(session.endedAt)}; its summary: kx summary ${id}`);
    return;
  }
  const ended = await api.post(`/api/sessions/${enc(session.id)}/end`, sessionEndView);
  out(`ended ${id} at ${localTime(ended.endedAt)}; ${ended.summaryJobId ? `summary job ${termLine(ended.summaryJobId)} queued (kx summary ${id})` : 'no summary queued (no turns, or KX_INSIGHT=off)'}`);
}

export function formatGaps(gaps: GapView[], withProject = false): string {
  if (gaps.length === 0) return 'no gaps';
  const width = withProject ? Math.max(7, ...gaps.map((g) => termLine(g.project).length)) : 0;
  return gaps
    .map(
      (g) =>
        `${termLine(g.id)}  ${withProject ? pad(termLine(g.project), width) + '  ' : ''}${g.status.padEnd(8)} seen ${String(g.timesSeen).padStart(2)}×  ${termLine(oneLine(g.topic))}: ${termLine(oneLine(g.question))}${g.resolved ? `\n    resolved: ${termLine(oneLine(g.resolved.how ?? g.resolved.note ?? ''))}` : ''}`,
    )
    .join('\n');
}

export async function gapsCommand(api: KxClient, args: string[], out: (s: string) => void, cwd = process.cwd()): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'resolve' || verb === 'reopen') {
    const { values, positionals } = parse(rest, verb === 'resolve' ? { note: { type: 'string' } } : {}, USAGE.gaps, 1);
    const id = positionals[0];
    if (!id) throw new CliError(`kx gaps ${verb} needs a gap id (kx gaps lists them)\nUsage: ${USAGE.gaps}`);
    const note = (values as { note?: string }).note;
    const g = await api.post(`/api/gaps/${enc(id)}`, gapView, { status: verb === 'resolve' ? 'resolved' : 'open', ...(note !== undefined ? { note } : {}) });
    out(`${termLine(g.id)} is ${g.status}: ${termLine(oneLine(g.topic))}`);
    return;
  }
  const { values } = parse(args, { project: { type: 'string' }, status: { type: 'string' }, all: { type: 'boolean' } }, USAGE.gaps, 0);
  if (values.status !== undefined && values.status !== 'open' && values.status !== 'resolved') throw new CliError(`--status is open or resolved (got ${termLine(values.status)})`);
  const q = new URLSearchParams();
  if (!values.all) q.set('status', values.status ?? 'open');
  let scope: string;
  if (values.project === 'all') scope = 'all projects';
  else if (values.project !== undefined) {
    const p = await namedProject(api, values.project);
    q.set('project', p.id);
    scope = `project ${termLine(p.id)}`;
  } else {
    const { projects } = await api.get('/api/projects', projectList);
    const here = projectOfFolder(projects, cwd);
    if (here) q.set('project', here.id);
    scope = here ? `project ${termLine(here.id)} (this folder; --project all for every project)` : 'all projects (this folder is not a project kx has seen)';
  }
  const { gaps } = await api.get(`/api/gaps?${q}`, gapList);
  out(`${values.all ? 'all' : q.get('status')} gaps of ${scope}:`);
  out(formatGaps(gaps, true));
}

export async function summaryCommand(api: KxClient, args: string[], out: (s: string) => void): Promise<void> {
  const { positionals } = parse(args, {}, USAGE.summary, 1);
  const id = (await resolveSession(api, positionals[0])).id;
  const { summary, versions } = await api.get(`/api/sessions/${enc(id)}/summary`, sessionSummaryResponse);
  if (!summary) {
    out(`no summary for ${termLine(id)} yet: end the session with kx end ${termLine(id)}`);
    return;
  }
  out(termText(renderSummary(summary)) + (versions.length > 1 ? `\n(${versions.length} versions; GET /api/sessions/${enc(id)}/summary?version=N for older ones)` : ''));
}

export async function notesCommand(api: KxClient, args: string[], out: (s: string) => void, cwd = process.cwd()): Promise<void> {
  const { positionals } = parse(args, {}, USAGE.notes, 1);
  let project: ProjectView;
  if (positionals[0] !== undefined) project = await namedProject(api, positionals[0]);
  else {
    const { projects } = await api.get('/api/projects', projectList);
    const here = projectOfFolder(projects, cwd);
    // Never another project's profile without a word: outside a known project, ask which.
    if (!here) throw new CliError(`this folder (${termLine(cwd)}) is not a project kx has seen; name one: kx notes PROJECT (known: ${projects.map((p) => termLine(p.id)).join(', ') || 'none yet'})`);
    project = here;
  }
  const profile = await api.get(`/api/projects/${enc(project.id)}/profile`, projectProfileView);
  out(termText(profile.markdown));
}
