// profile.md, rebuilt from SQLite: the page to read before the next session on a project. What
// you still do not know, what keeps coming back, what you learned and how, and the last sessions.

import type { GapView, ProjectView, SessionSummaryView } from '../api/insight-types.js';
import { oneLine, when } from './learnings-md.js';

export interface ProfileInput {
  project: ProjectView;
  openGaps: GapView[];
  resolvedGaps: GapView[];
  recurringTopics: { topic: string; timesSeen: number }[];
  recentSummaries: SessionSummaryView[];
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

export function renderProfile(p: ProfileInput): string {
  const lines = [
    `# ${oneLine(p.project.name)}: read before your next session`,
    '',
    `Project \`${p.project.id}\` · ${p.project.sessionCount} session${p.project.sessionCount === 1 ? '' : 's'} · last activity ${when(p.project.lastActivityAt)} · ${p.openGaps.length} open gap${p.openGaps.length === 1 ? '' : 's'}`,
    '',
    `## Still open (${p.openGaps.length})`,
    '',
  ];
  if (p.openGaps.length === 0) lines.push('Nothing open. Well done, or nothing asked yet.', '');
  for (const g of p.openGaps) {
    lines.push(`- **${oneLine(g.question)}** (${oneLine(g.topic)}, \`${g.id}\`)`);
    lines.push(`  Seen ${times(g.timesSeen)}, first ${when(g.firstSeen.at)}, last ${when(g.lastSeen.at)}. You asked: “${oneLine(g.evidence)}”`);
  }
  if (p.openGaps.length) lines.push('');
  if (p.recurringTopics.length) {
    lines.push('## Keeps coming back', '');
    for (const t of p.recurringTopics) lines.push(`- ${oneLine(t.topic)}: seen ${times(t.timesSeen)}`);
    lines.push('');
  }
  lines.push(`## Learned (${p.resolvedGaps.length})`, '');
  if (p.resolvedGaps.length === 0) lines.push('No gap resolved yet.', '');
  for (const g of p.resolvedGaps) {
    const r = g.resolved!;
    const how = r.by === 'person' ? `you marked it resolved${r.note ? `: ${oneLine(r.note)}` : ''}` : oneLine(r.how ?? '');
    lines.push(`- **${oneLine(g.topic)}**: ${how} (${when(r.at)})`);
  }
  if (p.resolvedGaps.length) lines.push('');
  lines.push('## Last sessions', '');
  if (p.recentSummaries.length === 0) lines.push('No session summary yet: one is written when a session ends (`kx end`).', '');
  for (const s of p.recentSummaries) {
    lines.push(`### ${oneLine(s.title)}`, '', `Session \`${s.sessionId}\`, summary version ${s.version}, ${when(s.createdAt)}.`, '');
    for (const h of s.highlights) lines.push(`- ${oneLine(h)}`);
    if (s.nextRepetitions.length) lines.push('', 'Next time:', ...s.nextRepetitions.map((r) => `- [ ] ${oneLine(r)}`));
    if (s.playbook.length) lines.push('', 'Playbook:', ...s.playbook.map((x, i) => `${i + 1}. ${oneLine(x.step)}${x.command ? `: \`${oneLine(x.command)}\`` : ''}`));
    lines.push('');
  }
  return lines.join('\n');
}
