// learnings.md, rebuilt from SQLite: the page a person reads about one session. A header they can
// scan, the latest summary, then one entry per turn in one template (Action / Gap / Outcome /
// Next time, confusion and decisions underneath). Pure: rows in, text out.

import type { JobState, SessionSummaryView, TurnInsightView } from '../contracts/insight.js';
import type { SessionFacts } from './insight-reader.js';
import { mdCode, mdLine } from '../store/markdown-text.js';
import { cutEnd, oneLine, oneLineCut } from '../text/one-line.js';

export interface LearningsInput {
  session: SessionFacts;
  insightMode: 'off' | 'turn' | 'session';
  queue: Record<JobState, number>;
  summary: SessionSummaryView | null;
  turns: TurnInsightView[];
  /** What the human typed in each turn, by turn id. */
  typed?: ReadonlyMap<string, string>;
}

/** 2026-11-27T13:02:11.123Z → 2026-11-27 13:02 UTC */
export const when = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');
const quote = (s: string): string => `“${mdLine(s)}”`;

export function insightStatus(mode: LearningsInput['insightMode'], q: Record<JobState, number>): string {
  if (mode === 'off') return 'off (KX_INSIGHT=off)';
  const parts: string[] = [];
  const waiting = q.queued + q.running;
  if (waiting) parts.push(`${waiting} waiting`);
  if (q.waiting_key) parts.push(`${q.waiting_key} waiting for a key`);
  if (q.failed) parts.push(`${q.failed} failed`);
  return parts.length ? parts.join(', ') : 'up to date';
}

/** Longest title kept from a first message: a heading, not a paragraph. */
const TITLE_CHARS = 90;


/** The session's title as markdown: its summary's, else the first thing the human typed, else where it ran. */
export function sessionTitle(input: Pick<LearningsInput, 'session' | 'summary'>): string {
  const s = input.session;
  if (input.summary?.title.trim()) return mdLine(oneLine(input.summary.title));
  const first = s.title ? oneLine(s.title) : '';
  if (first) return mdLine(cutEnd(first, TITLE_CHARS));
  return s.projectName ? `Session in ${mdLine(oneLine(s.projectName))}` : `Session ${mdCode(s.id)}`;
}

/** Confidence as the turn prompt defines it (prompts/turn-insight.md). */
export function confidenceText(confidence: number): string {
  if (confidence >= 0.9) return 'asked outright';
  if (confidence >= 0.6) return 'clearly implied';
  return 'a guess';
}

export function renderHeader(input: LearningsInput): string {
  const s = input.session;
  const rows: Array<[string, string]> = [
    ['Session', mdCode(s.id)],
    ['Project', s.projectName ? `${mdLine(s.projectName)} (${mdCode(s.project ?? '')})` : '—'],
    ['Client', s.client ? mdLine(s.client) : '—'],
    ['Started', when(s.startedAt)],
    ['Last activity', when(s.lastActivityAt)],
    ['Ended', s.endedAt ? when(s.endedAt) : 'not yet'],
    ['Insight', insightStatus(input.insightMode, input.queue)],
  ];
  return [`# ${sessionTitle(input)}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''].join('\n');
}

export function renderSummary(summary: SessionSummaryView): string {
  const lines = ['## Summary', '', `_Version ${summary.version}, written ${when(summary.createdAt)}._`, ''];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`### ${title}`, '', ...items, '');
  };
  section('Highlights', summary.highlights.map((h) => `- ${mdLine(h)}`));
  section('Gaps opened', summary.gapsOpened.map((g) => `- ${mdLine(g.topic)} (${mdCode(g.gapId)})`));
  section('Gaps resolved', summary.gapsResolved.map((g) => `- ${mdLine(g.topic)}: ${mdLine(g.how)}`));
  section('Unresolved questions', summary.unresolvedQuestions.map((q) => `- ${mdLine(q)}`));
  section('Next repetitions', summary.nextRepetitions.map((r) => `- [ ] ${mdLine(r)}`));
  section(
    'Playbook',
    summary.playbook.map((p, i) => `${i + 1}. ${mdLine(p.step)}${p.command ? `: ${mdCode(p.command)}` : ''}${p.why ? ` (${mdLine(p.why)})` : ''}`),
  );
  return lines.join('\n');
}

const STATE_TEXT: Record<JobState | 'none', string> = {
  none: 'no insight for this turn (KX_INSIGHT is not `turn`)',
  queued: 'insight waiting to run',
  running: 'insight being written',
  done: '',
  failed: 'insight failed',
  waiting_key: 'insight waiting for a key (set KX_INSIGHT_API_KEY, or keep the session running so kx can borrow its credentials)',
};

/** How much of what the human typed a turn entry quotes. */
const TYPED_CHARS = 300;

export function renderTurn(t: TurnInsightView, startedAt: string, typed?: string): string {
  const typedLine = typed?.trim() ? [`**You typed:** ${quote(oneLineCut(typed, TYPED_CHARS))}`, ''] : [];
  const head = [`### Turn ${t.turnSeq} · ${when(startedAt)}`, '', ...typedLine].join('\n');
  if (t.state !== 'done') {
    const why = t.error && t.state !== 'queued' ? `: ${mdLine(t.error)}` : '';
    return [head, `_${STATE_TEXT[t.state]}${why}._`, ''].join('\n');
  }
  const gapText = (g: TurnInsightView['gaps'][number]) =>
    `${mdLine(g.question)} (${mdLine(g.topic)}, ${mdCode(g.gapId)}, ${confidenceText(g.confidence)}). You said: ${quote(g.evidence)}`;
  const gap = t.gaps.length === 0 ? 'none' : t.gaps.length === 1 ? gapText(t.gaps[0]!) : t.gaps.map((g) => `\n  - ${gapText(g)}`).join('');
  const lines = [head, `> ${mdLine(t.summary ?? '')}`, '', `- **Action:** ${mdLine(t.action ?? '')}`, `- **Gap:** ${gap}`, `- **Outcome:** ${mdLine(t.outcome ?? 'unclear')}`];
  lines.push(`- **Next time:** ${t.nextTime ? mdLine(t.nextTime) : '—'}`);
  if (t.resolvedGaps.length) lines.push(`- **Resolved:** ${t.resolvedGaps.map((r) => `${mdCode(r.gapId)}: ${mdLine(r.how)}`).join('; ')}`);
  const sub = (title: string, items: string[]) => {
    if (items.length) lines.push('', `${title}:`, '', ...items.map((i) => `- ${i}`));
  };
  sub('Confusion', t.confusion.map((c) => `${mdLine(c.what)} ${quote(c.evidence)}`));
  sub('Decisions', t.decisions.map((d) => `${mdLine(d.choice)}: ${mdLine(d.why)}`));
  sub('Worked', t.successes.map(mdLine));
  sub('Follow-ups', t.followUps.map(mdLine));
  sub('Steps', t.playbookSteps.map((p) => `${mdLine(p.step)}${p.command ? `: ${mdCode(p.command)}` : ''}`));
  lines.push('');
  return lines.join('\n');
}

export interface LearningsFiles {
  learnings: string;
  /** Present when older entries had to move out to keep learnings.md under the limit. */
  archive: string | undefined;
}

export const LEARNINGS_LIMIT_BYTES = 200 * 1024;

/** Past the limit, the oldest turn entries move to the archive under a short digest; nothing is dropped. */
export function renderLearnings(input: LearningsInput, turnStarts: Map<string, string>, limit = LEARNINGS_LIMIT_BYTES): LearningsFiles {
  const head = [renderHeader(input), input.summary ? renderSummary(input.summary) : '_No summary yet: it is written when the session ends (`kx end`, or after the idle time)._\n'].join('\n');
  const entries = input.turns.map((t) => renderTurn(t, turnStarts.get(t.turnId) ?? '', input.typed?.get(t.turnId)));
  const pointer = (n: number) => `_Turns ${input.turns[0]?.turnSeq ?? 1}–${input.turns[n - 1]?.turnSeq ?? n} are in [learnings.archive.md](learnings.archive.md)._\n`;
  const body = (n: number) => [head, '## Turns\n', ...(n > 0 ? [pointer(n)] : []), ...entries.slice(n)];
  // Sizes are counted once and subtracted as entries move out: joining the page again at every step
  // made a long imported session's rebuild quadratic.
  const entryBytes = entries.map((e) => Buffer.byteLength(e) + 1);
  let rest = Buffer.byteLength(head) + 1 + Buffer.byteLength('## Turns\n') + entryBytes.reduce((a, b) => a + b, 0);
  const sizeWith = (n: number) => rest + (n > 0 ? Buffer.byteLength(pointer(n)) + 1 : 0) - 1;
  let cut = 0;
  while (cut < entries.length - 1 && sizeWith(cut) > limit) rest -= entryBytes[cut++]!;
  const learnings = body(cut).join('\n');
  if (cut === 0) return { learnings, archive: undefined };
  const moved = input.turns.slice(0, cut);
  const outcomes = new Map<string, number>();
  for (const t of moved) if (t.outcome) outcomes.set(t.outcome, (outcomes.get(t.outcome) ?? 0) + 1);
  const topics = [...new Set(moved.flatMap((t) => t.gaps.map((g) => mdLine(g.topic))))];
  const digest = [
    `# Earlier turns: ${sessionTitle(input)}`,
    '',
    `Older turn entries of session ${mdCode(input.session.id)}, moved here so that learnings.md stays under ${Math.round(limit / 1024)} KB. Nothing is deleted.`,
    '',
    '## Digest',
    '',
    `- Turns ${moved[0]!.turnSeq}–${moved.at(-1)!.turnSeq}, ${when(turnStarts.get(moved[0]!.turnId))} to ${when(turnStarts.get(moved.at(-1)!.turnId))}`,
    `- Outcomes: ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(', ') || '—'}`,
    `- Gap topics: ${topics.join(', ') || 'none'}`,
    '',
    '## Turns',
    '',
  ].join('\n');
  return { learnings, archive: [digest, ...entries.slice(0, cut)].join('\n') };
}
