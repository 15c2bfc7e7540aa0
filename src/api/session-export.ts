// A session as one file to share: markdown, or a self-contained HTML page. Both carry the text as stored
// (already redacted at capture). Captured text is hostile until shown otherwise: in HTML every character that
// means something is escaped and the page forbids script by its own CSP; in markdown every captured field sits
// in a fence longer than any backtick run inside it, so no renderer reads it as markup.

import type { ItemView, SessionDetailView, TurnView } from '../contracts/console.js';
import { parseJson } from '../protocol/json-guards.js';
import { oneLineCut } from '../text/one-line.js';
import { typedText } from '../protocol/human-text.js';

export type ExportFormat = 'md' | 'html';

const KIND_LABEL: Record<string, string> = {
  human_message: 'Human',
  assistant_message: 'Agent',
  reasoning: 'Reasoning summary',
  tool_call: 'Tool call',
  tool_output: 'Tool output',
  compaction: 'Compaction',
};

/** Injected context and instructions are Codex's, not the session's; the export keeps what was said and done. */
const exported = (i: ItemView): boolean => i.kind in KIND_LABEL;

function itemLabel(i: ItemView): string {
  return i.kind === 'tool_call' && i.toolName ? `${KIND_LABEL[i.kind]}: ${i.toolName}` : (KIND_LABEL[i.kind] ?? i.kind);
}

function itemBody(i: ItemView): string {
  if (i.kind === 'tool_call') return prettyJson(i.arguments ?? '');
  if (i.kind === 'tool_output') return i.output ?? '';
  return i.text ?? '';
}

function prettyJson(text: string): string {
  const value = parseJson(text);
  return value === undefined ? text : JSON.stringify(value, null, 2);
}

function turnFacts(s: SessionDetailView, t: TurnView): string {
  const reqs = s.requests.filter((r) => r.turnId === t.id);
  const tokens = reqs.reduce((n, r) => n + (r.usage.totalTokens ?? 0), 0);
  const ms = reqs.reduce((n, r) => n + (r.durationMs ?? 0), 0);
  return `${t.status}, ${reqs.length} request${reqs.length === 1 ? '' : 's'}, ${tokens} tokens, ${Math.round(ms)} ms`;
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** The title people know a session by: the first thing the human typed, on one line. */
export function exportTitle(s: SessionDetailView): string {
  const human = s.turns.flatMap((t) => t.items).find((i) => i.kind === 'human_message' && i.text?.trim());
  // What was typed, not learn mode's rewrite of it.
  const first = (human && typedText(human)) ?? '';
  const line = oneLineCut(first, 90);
  return line || `Session ${s.id}`;
}

/** What the export says about the session: its title, project, dates and size, one fact a line. */
function sessionFacts(s: SessionDetailView): Array<[string, string]> {
  return [
    ['Title', exportTitle(s)],
    ['Project', s.cwd ?? s.project ?? 'not known'],
    ['Started', s.startedAt],
    [s.endedAt ? 'Ended' : 'Last activity', s.endedAt ?? s.lastActivityAt],
    ['Turns', String(s.turnCount)],
    ['Tokens', String(s.usage.totalTokens)],
    ['Client', s.client ?? 'unknown'],
    ['Session', s.id],
  ];
}

export function sessionMarkdown(s: SessionDetailView): string {
  const facts = sessionFacts(s);
  // The title is captured text, so it sits in the fence with the other facts, not in the heading.
  const out = [`# kx session of ${s.startedAt.slice(0, 10)}`, '', 'Its title, project and dates, as recorded:', '', fenced(facts.map(([k, v]) => `${k.toLowerCase()}: ${v}`).join('\n'))];
  for (const t of s.turns) {
    out.push('', `## Turn ${t.seq}`, '', `(${turnFacts(s, t)})`);
    for (const i of t.items.filter(exported)) out.push('', `**${itemLabel(i).replace(/[^\w :.-]/g, '')}**`, '', fenced(itemBody(i)));
  }
  return out.join('\n') + '\n';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#15181c}pre{background:#1f2329!important}}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f4f6;padding:.6rem .8rem;border-radius:6px;font:13px/1.45 ui-monospace,monospace}
table.facts th{text-align:left;font-weight:600;padding-right:1rem}
h2{margin-top:2rem;border-top:1px solid #8884;padding-top:1rem}.facts{color:#6b7280;font-size:13px}.label{font-weight:600;margin:.8rem 0 .2rem}`;

export function sessionHtml(s: SessionDetailView): string {
  const e = escapeHtml;
  const turns = s.turns
    .map((t) => {
      const items = t.items
        .filter(exported)
        .map((i) => `<div class="label">${e(itemLabel(i))}</div><pre>${e(itemBody(i))}</pre>`)
        .join('\n');
      return `<section id="turn-${t.seq}"><h2>Turn ${t.seq}</h2><p class="facts">${e(turnFacts(s, t))}</p>\n${items}</section>`;
    })
    .join('\n');
  // The page's own CSP: opened from disk or a mail client, it still runs no script and loads nothing.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(exportTitle(s))} · kx session</title><style>${STYLE}</style></head>
<body><h1>${e(exportTitle(s))}</h1>
<table class="facts">${sessionFacts(s)
    .slice(1)
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('')}</table>
${turns}
</body></html>
`;
}

export function exportSession(s: SessionDetailView, format: ExportFormat): { body: string; contentType: string; fileName: string } {
  const safeId = s.id.replace(/[^\w.-]/g, '_').slice(0, 80);
  return format === 'md'
    ? { body: sessionMarkdown(s), contentType: 'text/markdown; charset=utf-8', fileName: `kx-session-${safeId}.md` }
    : { body: sessionHtml(s), contentType: 'text/html; charset=utf-8', fileName: `kx-session-${safeId}.html` };
}
