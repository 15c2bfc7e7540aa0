// profile.md, rebuilt from SQLite: the page to read before the next session on a project. What
// you still do not know, what keeps coming back, what you learned and how, and the last sessions.

import type { GapView, ProjectView, SessionSummaryView } from '../contracts/insight.js';
import { when } from './learnings-md.js';
import { mdCode, mdLine } from '../store/markdown-text.js';

export interface ProfileInput {
  project: ProjectView;
  openGaps: GapView[];
  resolvedGaps: GapView[];
  recurringTopics: { topic: string; timesSeen: number }[];
  recentSummaries: SessionSummaryView[];
}

/** When a session ran: its start and its last request. */
export interface SessionSpan {
  startedAt: string;
  lastActivityAt: string;
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** 2026-11-27 09:00–10:15 UTC within a day, else both whole. */
export function ranWhen(s: SessionSpan): string {
  const [from, to] = [when(s.startedAt), when(s.lastActivityAt)];
  if (from === to) return from;
  return from.slice(0, 10) === to.slice(0, 10) ? `${from.slice(0, 16)}–${to.slice(11)}` : `${from} – ${to}`;
}

/** A summary's line: when its session ran (what a reader means by "when"), then when the summary was written. */
function summaryLine(s: SessionSummaryView, span: SessionSpan | undefined): string {
  const ran = span ? `, ran ${ranWhen(span)}` : '';
  const shared = s.sharedBy ? `, shared by ${mdLine(s.sharedBy)} through team memory` : '';
  return `Session ${mdCode(s.sessionId)}${ran}${shared}; summary version ${s.version} written ${when(s.createdAt)}.`;
}

/** `spans`: when each summarised session ran, by id (a teammate's session is not known here). */
export function renderProfile(p: ProfileInput, spans: ReadonlyMap<string, SessionSpan> = new Map()): string {
  const lines = [
    `# ${mdLine(p.project.name)}: read before your next session`,
    '',
    `Project ${mdCode(p.project.id)} · ${p.project.sessionCount} session${p.project.sessionCount === 1 ? '' : 's'} · last activity ${when(p.project.lastActivityAt)} · ${p.openGaps.length} open gap${p.openGaps.length === 1 ? '' : 's'}`,
    '',
    `## Still open (${p.openGaps.length})`,
    '',
  ];
  if (p.openGaps.length === 0) lines.push('Nothing open. Well done, or nothing asked yet.', '');
  for (const g of p.openGaps) {
    lines.push(`- **${mdLine(g.question)}** (${mdLine(g.topic)}, ${mdCode(g.id)})`);
    lines.push(`  Seen ${times(g.timesSeen)}, first ${when(g.firstSeen.at)}, last ${when(g.lastSeen.at)}. ${g.sharedBy ? `${mdLine(g.sharedBy)} asked` : 'You asked'}: “${mdLine(g.evidence)}”`);
  }
  if (p.openGaps.length) lines.push('');
  if (p.recurringTopics.length) {
    lines.push('## Keeps coming back', '');
    for (const t of p.recurringTopics) lines.push(`- ${mdLine(t.topic)}: seen ${times(t.timesSeen)}`);
    lines.push('');
  }
  lines.push(`## Learned (${p.resolvedGaps.length})`, '');
  if (p.resolvedGaps.length === 0) lines.push('No gap resolved yet.', '');
  for (const g of p.resolvedGaps) {
    const r = g.resolved!;
    const how = r.by === 'person' ? `${r.author ? mdLine(r.author) : 'you'} marked it resolved${r.note ? `: ${mdLine(r.note)}` : ''}` : mdLine(r.how ?? '');
    lines.push(`- **${mdLine(g.topic)}**: ${how} (${when(r.at)})`);
  }
  if (p.resolvedGaps.length) lines.push('');
  lines.push('## Last sessions', '');
  if (p.recentSummaries.length === 0) lines.push('No session summary yet: one is written when a session ends (`kx end`).', '');
  for (const s of p.recentSummaries) {
    lines.push(`### ${mdLine(s.title)}`, '', summaryLine(s, spans.get(s.sessionId)), '');
    for (const h of s.highlights) lines.push(`- ${mdLine(h)}`);
    if (s.nextRepetitions.length) lines.push('', 'Next time:', ...s.nextRepetitions.map((r) => `- [ ] ${mdLine(r)}`));
    if (s.playbook.length) lines.push('', 'Playbook:', ...s.playbook.map((x, i) => `${i + 1}. ${mdLine(x.step)}${x.command ? `: ${mdCode(x.command)}` : ''}`));
    lines.push('');
  }
  return lines.join('\n');
}
