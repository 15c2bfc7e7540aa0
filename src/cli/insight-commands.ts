// kx end | gaps | summary | notes: talk to the running kx over its API, with the console token
// (KX_UI_TOKEN, else documents/ui-token). The running kx owns the queue, so `kx end` there is
// what makes the summary; reading through the same API keeps one view of the data.

import type { GapView, ProjectProfileView, ProjectView, SessionEndView, SessionSummaryView } from '../api/insight-types.js';
import type { SessionSummary } from '../store/session-reader.js';
import { oneLine, renderSummary, when } from '../insight/learnings-md.js';
import { CliError, runningKx, type KxClient } from './kx-client.js';
import { termLine, termText } from './terminal-text.js';

async function latestSession(api: KxClient): Promise<string> {
  const { sessions } = await api.get<{ sessions: SessionSummary[] }>('/api/sessions');
  if (!sessions[0]) throw new CliError('no session recorded yet');
  return sessions[0].id;
}

const enc = encodeURIComponent;

export async function endCommand(packageRoot: string, args: string[], out: (s: string) => void): Promise<void> {
  const api = runningKx(packageRoot);
  const id = args[0] ?? (await latestSession(api));
  const ended = await api.post<SessionEndView>(`/api/sessions/${enc(id)}/end`);
  out(`ended ${ended.sessionId} at ${when(ended.endedAt)}; ${ended.summaryJobId ? `summary job ${ended.summaryJobId} queued (kx summary ${ended.sessionId})` : 'no summary queued (no turns, or KX_INSIGHT=off)'}`);
}

export function formatGaps(gaps: GapView[]): string {
  if (gaps.length === 0) return 'no gaps';
  return gaps
    .map((g) => `${termLine(g.id)}  ${g.status.padEnd(8)} seen ${String(g.timesSeen).padStart(2)}×  ${termLine(oneLine(g.topic))}: ${termLine(oneLine(g.question))}${g.resolved ? `\n    resolved: ${termLine(oneLine(g.resolved.how ?? g.resolved.note ?? ''))}` : ''}`)
    .join('\n');
}

export async function gapsCommand(packageRoot: string, args: string[], out: (s: string) => void): Promise<void> {
  const api = runningKx(packageRoot);
  const q = new URLSearchParams();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project') q.set('project', args[++i] ?? '');
    else if (args[i] === '--status') q.set('status', args[++i] ?? '');
    else if (args[i] === '--all') q.delete('status');
    else throw new CliError(`kx gaps: unknown option ${args[i]} (--project ID, --status open|resolved)`);
  }
  if (!q.has('status') && !args.includes('--all')) q.set('status', 'open');
  const { gaps } = await api.get<{ gaps: GapView[] }>(`/api/gaps?${q}`);
  out(formatGaps(gaps));
}

export async function summaryCommand(packageRoot: string, args: string[], out: (s: string) => void): Promise<void> {
  const api = runningKx(packageRoot);
  const id = args[0] ?? (await latestSession(api));
  const { summary, versions } = await api.get<{ summary: SessionSummaryView | null; versions: { version: number }[] }>(`/api/sessions/${enc(id)}/summary`);
  if (!summary) {
    out(`no summary for ${id} yet: end the session with kx end ${id}`);
    return;
  }
  out(termText(renderSummary(summary)) + (versions.length > 1 ? `\n(${versions.length} versions; GET /api/sessions/${id}/summary?version=N for older ones)` : ''));
}

export async function notesCommand(packageRoot: string, args: string[], out: (s: string) => void, cwd = process.cwd()): Promise<void> {
  const api = runningKx(packageRoot);
  const { projects } = await api.get<{ projects: ProjectView[] }>('/api/projects');
  const wanted = args[0] ?? cwd;
  const project = projects.find((p) => p.id === wanted || p.name === wanted) ?? (args[0] ? undefined : projects[0]);
  if (!project) throw new CliError(`no project ${wanted}; known: ${projects.map((p) => p.id).join(', ') || 'none yet'}`);
  const profile = await api.get<ProjectProfileView>(`/api/projects/${enc(project.id)}/profile`);
  out(termText(profile.markdown));
}
