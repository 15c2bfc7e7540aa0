// What one insight call is sent about a turn: the human's message, the agent's messages, reasoning
// summaries, tool calls with arguments and output, and errors, in order, as stored (already
// redacted). Long parts are cut to their head and tail until the whole call fits the token cap.

import type Database from 'better-sqlite3';

export interface TurnPart {
  kind: 'human' | 'assistant' | 'reasoning' | 'tool_call' | 'tool_output' | 'error';
  label: string;
  text: string;
}

/** Rough and on the safe side for English and code: a token is about four characters. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** What to shorten first: tool output is the bulk and the least read; the human's words last. */
const CUT_WEIGHT: Record<TurnPart['kind'], number> = { tool_output: 8, tool_call: 4, reasoning: 3, error: 2, assistant: 2, human: 1 };
const MIN_PART_CHARS = 240;
/** A tool output is shown as its head and tail from the start, however much room there is. */
const TOOL_OUTPUT_CHARS = 4000;

export function headAndTail(text: string, keep: number): string {
  if (text.length <= keep) return text;
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return `${text.slice(0, head)}\n[kx: ${text.length - keep} characters cut here]\n${text.slice(text.length - tail)}`;
}

const SKIPPED_REQUEST_KINDS = new Set(['background', 'prewarm', 'compaction']);

/** The turn's parts in order, from the store; background, prewarm and compaction calls are left out. */
export function loadTurnParts(db: Database.Database, turnId: string): TurnPart[] {
  const items = db
    .prepare(
      `SELECT i.kind, i.item_type AS itemType, i.tool_name AS toolName, i.text, i.arguments, i.output, r.request_kind AS requestKind
       FROM items i LEFT JOIN requests r ON r.id = i.request_id WHERE i.turn_id = ? ORDER BY i.seq`,
    )
    .all(turnId) as Array<{ kind: string; itemType: string; toolName: string | null; text: string | null; arguments: string | null; output: string | null; requestKind: string | null }>;
  const parts: TurnPart[] = [];
  for (const it of items) {
    if (it.requestKind && SKIPPED_REQUEST_KINDS.has(it.requestKind)) continue;
    switch (it.kind) {
      case 'human_message':
        parts.push({ kind: 'human', label: 'human', text: it.text ?? '' });
        break;
      case 'assistant_message':
        parts.push({ kind: 'assistant', label: 'agent', text: it.text ?? '' });
        break;
      case 'reasoning':
        if (it.text) parts.push({ kind: 'reasoning', label: 'reasoning summary', text: it.text });
        break;
      case 'tool_call':
        parts.push({ kind: 'tool_call', label: `tool call ${it.toolName ?? it.itemType}`, text: it.arguments ?? it.text ?? '' });
        break;
      case 'tool_output':
        parts.push({ kind: 'tool_output', label: 'tool output', text: headAndTail(it.output ?? it.text ?? '', TOOL_OUTPUT_CHARS) });
        break;
      default:
        break;
    }
  }
  const errors = db
    .prepare(`SELECT outcome, error FROM requests WHERE turn_id = ? AND error IS NOT NULL AND COALESCE(request_kind, '') NOT IN ('background', 'prewarm', 'compaction') ORDER BY started_at`)
    .all(turnId) as Array<{ outcome: string | null; error: string }>;
  for (const e of errors) parts.push({ kind: 'error', label: `error (${e.outcome ?? 'failed'})`, text: e.error });
  return parts;
}

export function renderParts(parts: TurnPart[]): string {
  return parts.map((p) => `<${p.kind} label="${p.label}">\n${p.text}\n</${p.kind}>`).join('\n');
}

/** Shortens the heaviest parts, head and tail kept, until the rendered turn fits `budgetTokens`. */
export function fitParts(parts: TurnPart[], budgetTokens: number): TurnPart[] {
  const out = parts.map((p) => ({ ...p }));
  const size = () => estimateTokens(renderParts(out));
  while (size() > budgetTokens) {
    let pick = -1;
    let worst = 0;
    out.forEach((p, i) => {
      const score = p.text.length * CUT_WEIGHT[p.kind];
      if (p.text.length > MIN_PART_CHARS && score > worst) {
        worst = score;
        pick = i;
      }
    });
    if (pick < 0) break;
    const p = out[pick]!;
    p.text = headAndTail(p.text, Math.max(MIN_PART_CHARS, Math.floor(p.text.length / 2)));
  }
  // Many small parts: keep the first (the human's message) and the latest, drop the middle.
  while (size() > budgetTokens && out.length > 3) {
    if (out[1]!.label !== 'kx') out.splice(1, 1, { kind: 'error', label: 'kx', text: '[kx: earlier steps left out to fit the size cap]' });
    else out.splice(2, 1);
  }
  return out;
}
