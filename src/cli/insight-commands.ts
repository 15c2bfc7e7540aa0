// kx sessions | end | gaps | summary | notes: talk to the running kx over its API, with the console token
// (KX_UI_TOKEN, else documents/ui-token). The running kx owns the queue, so `kx end` there is what makes
// the summary; reading through the same API keeps one view of the data. Arguments arrive parsed (the
// command table, commands.ts); captured and model text is printed escaped (terminal-text.ts).

import path from 'node:path';
import { gapList, gapView, projectList, projectProfileView, sessionEndView, sessionSummaryResponse, sharedSummaryList, type GapUpdate, type GapView, type ProjectView, type SharedSummaryItem } from '../contracts/insight.js';
import { renderSummary } from '../insight/learnings-md.js';
import { mdLine } from '../store/markdown-text.js';
import { oneLineCut, oneLine } from '../text/one-line.js';
import { CliError, type KxClient } from './kx-client.js';
import { projectOfFolder } from '../capture/project.js';
import { namedProject, recentSessions, resolveSession, type SessionRow } from './names.js';
import { termLine, localTime } from './terminal-text.js';
import { stillEnded } from '../contracts/session-status.js';
import { terminalMarkdown } from './terminal-markdown.js';

const enc = encodeURIComponent;

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

export function formatSessions(sessions: readonly SessionRow[], timeZone?: string): string {
  if (sessions.length === 0) return 'no sessions';
  const rows = sessions.map((s) => [
    termLine(s.id),
    termLine(oneLineCut(s.title ?? '—', 48)),
    termLine(oneLineCut(s.project ?? '—', 28)),
    localTime(s.lastActivityAt, timeZone),
    String(s.turnCount),
    String(s.openGaps ?? 0),
    s.status ?? '',
  ]);
  const head = ['ID', 'TITLE', 'PROJECT', 'LAST ACTIVITY', 'TURNS', 'OPEN GAPS', 'STATUS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  return [head, ...rows].map((r) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function sessionsCommand(api: KxClient, opts: { project?: string; limit?: number }, out: (s: string) => void, timeZone?: string): Promise<void> {
  const project = opts.project === undefined ? undefined : (await namedProject(api, opts.project)).id;
  out(formatSessions(await recentSessions(api, opts.limit ?? 20, project), timeZone));
}

export async function endCommand(api: KxClient, given: string | undefined, out: (s: string) => void): Promise<void> {
  const session = await resolveSession(api, given);
  const id = termLine(session.id);
  if (stillEnded(session)) {
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

export interface GapsArgs {
  project?: string;
  status?: string;
  all?: boolean;
}

/** kx gaps resolve|reopen GAP [--note TEXT] */
export async function gapDecision(api: KxClient, verb: 'resolve' | 'reopen', id: string, note: string | undefined, out: (s: string) => void): Promise<void> {
  const body: GapUpdate = { status: verb === 'resolve' ? 'resolved' : 'open', ...(note !== undefined ? { note } : {}) };
  const g = await api.post(`/api/gaps/${enc(id)}`, gapView, body).catch((err: unknown) => {
    if (err instanceof CliError && err.status === 404) throw new CliError(`no gap ${termLine(id)}: kx gaps --all lists the gap ids of every status`);
    throw err;
  });
  out(`${termLine(g.id)} is ${g.status}: ${termLine(oneLine(g.topic))}`);
}

export async function gapsCommand(api: KxClient, values: GapsArgs, out: (s: string) => void, cwd = process.cwd()): Promise<void> {
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

/** A teammate's session (team memory) as the CLI names sessions: by its id, with its title and who shared it. */
const sharedRow = (s: SharedSummaryItem): SessionRow => ({
  id: s.sessionId, title: `${s.title} (${s.author}'s session)`, project: s.project, lastActivityAt: s.sharedAt, turnCount: 0, openGaps: 0, endedAt: null,
});

export async function summaryCommand(api: KxClient, given: string | undefined, out: (s: string) => void): Promise<void> {
  // A teammate's session is not stored here, only its shared summary: named among this machine's sessions.
  const shared = given ? (await api.get(`/api/shared-summaries?start=${enc(given)}`, sharedSummaryList)).summaries : [];
  const id = (await resolveSession(api, given, shared.map(sharedRow))).id;
  const { summary, versions } = await api.get(`/api/sessions/${enc(id)}/summary`, sessionSummaryResponse);
  if (!summary) {
    out(`no summary for ${termLine(id)} yet: end the session with kx end ${termLine(id)}`);
    return;
  }
  const who = summary.sharedBy ? mdLine(summary.sharedBy) : undefined;
  const origin = who ? `_${who}'s session, shared through team memory: the session itself is on ${who}'s machine, and this kx has its summary only._\n\n` : '';
  out(terminalMarkdown(`# ${mdLine(summary.title)}\n\n${origin}${renderSummary(summary)}`) + (versions.length > 1 ? `\n(${versions.length} versions; GET /api/sessions/${enc(id)}/summary?version=N for older ones)` : ''));
}

export async function notesCommand(api: KxClient, given: string | undefined, out: (s: string) => void, cwd = process.cwd()): Promise<void> {
  let project: ProjectView;
  if (given !== undefined) project = await namedProject(api, given);
  else {
    const { projects } = await api.get('/api/projects', projectList);
    const here = projectOfFolder(projects, cwd);
    // Never another project's profile without a word: outside a known project, ask which.
    if (!here) throw new CliError(`this folder (${termLine(cwd)}) is not a project kx has seen; name one: kx notes PROJECT (known: ${projects.map((p) => termLine(p.id)).join(', ') || 'none yet'})`);
    project = here;
  }
  const profile = await api.get(`/api/projects/${enc(project.id)}/profile`, projectProfileView);
  out(terminalMarkdown(profile.markdown));
}
