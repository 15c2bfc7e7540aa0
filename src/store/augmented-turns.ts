// documents/<session>/augmented_turns.md: one entry per human turn learn mode considered, written
// for a person reading it later: what they typed, what kx proposed, what changed, what was sent, and
// which past gaps and snippets it drew on. Plus the `rewrite_decision` line in user_actions.jsonl.

import fs from 'node:fs';
import path from 'node:path';
import type { DiffOp } from '../contracts/learn.js';
import type { ApprovalRecord } from './approval-store.js';
import { appendPrivate } from './documents-dir.js';
import { mdCode, mdLine } from './markdown-text.js';

const DECISION_WORDS: Record<ApprovalRecord['decision'], string> = {
  pending: 'waiting for a decision',
  accepted: 'accepted',
  edited: 'edited',
  rejected: 'rejected (the original was sent)',
  timed_out: 'timed out (the original was sent)',
  nothing_to_add: 'nothing to add (sent at once, unchanged)',
  failed: 'rewrite failed (the original was sent)',
  cancelled: 'cancelled (nothing was sent)',
  released: 'released (learn mode was switched off; the original was sent)',
};

/** A fenced block that shows text exactly, whatever backticks it holds. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/**
 * The diff in git's word-diff notation inside a fenced block: `[-removed-]` and `{+added+}`, the
 * text itself shown exactly (inline bold/strike markers break next to punctuation in markdown).
 */
export function diffMarkdown(ops: readonly DiffOp[]): string {
  return fenced(ops.map((o) => (o.op === 'same' ? o.text : o.op === 'add' ? `{+${o.text}+}` : `[-${o.text}-]`)).join(''));
}

export function augmentedEntry(a: ApprovalRecord, diff: readonly DiffOp[], turnLabel: string): string {
  const when = (a.decidedAt ?? a.createdAt).replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const lines = [`## ${turnLabel}: ${DECISION_WORDS[a.decision]}`, '', `${when} · approval ${mdCode(a.id)}${a.project ? ` · project ${mdCode(a.project)}` : ''}`, ''];
  lines.push('**What you typed**', '', fenced(a.original), '');
  if (a.rewrite !== null && a.rewrite !== a.original) {
    lines.push('**What kx proposed**', '', fenced(a.rewrite), '');
    lines.push('**Changes** (word by word: `[-removed-]`, `{+added+}`)', '', diffMarkdown(diff), '');
  }
  // The model's one sentence, on one line: a newline in it could forge a **Sent** block below.
  if (a.reason) lines.push(`**Why**: ${mdLine(a.reason)}`, '');
  if (a.context !== null) lines.push(`**Context from earlier sessions** (${a.decision === 'accepted' || a.decision === 'edited' ? 'sent before the message' : 'not sent'})`, '', fenced(a.context), '');
  if (a.finalText !== null) {
    const same = a.finalText === a.original ? ' (unchanged)' : a.finalText === a.rewrite ? ' (the proposal)' : ' (your edit)';
    lines.push(`**Sent**${same}`, '', fenced(a.finalText), '');
  }
  if (a.gaps.length) lines.push('**Gaps it addresses**', '', ...a.gaps.map((g) => `- ${mdCode(g.gapId)}: ${mdLine(g.topic)}`), '');
  if (a.snippets.length) {
    lines.push('**Past snippets it drew on**', '', ...a.snippets.map((s) => `- ${mdCode(s.ref)}: ${mdLine(s.text.replace(/\s+/g, ' ').slice(0, 240))}`), '');
  }
  return lines.join('\n') + '\n';
}

export const AUGMENTED_HEADER = (sessionId: string): string =>
  `# Augmented turns of session ${mdLine(sessionId)}\n\nEach human turn kx held or considered in learn mode: what you typed, what kx proposed from past sessions, and what was sent.\n\n`;

/** `dir` is the session's folder (SessionStore.sessionDir). */
export function writeDecision(dir: string, a: ApprovalRecord, diff: readonly DiffOp[], turnLabel: string): void {
  const md = path.join(dir, 'augmented_turns.md');
  const header = fs.existsSync(md) ? '' : AUGMENTED_HEADER(a.sessionId);
  appendPrivate(md, header + augmentedEntry(a, diff, turnLabel));
  const line = {
    ts: a.decidedAt ?? a.createdAt,
    session_id: a.sessionId,
    turn_id: null,
    request_id: null,
    kind: 'rewrite_decision',
    approval_id: a.id,
    client_turn_id: a.clientTurnId,
    decision: a.decision,
    original: a.original,
    rewrite: a.rewrite,
    final_text: a.finalText,
    gaps: a.gaps.map((g) => g.gapId),
    snippets: a.snippets.map((s) => s.ref),
  };
  appendPrivate(path.join(dir, 'user_actions.jsonl'), JSON.stringify(line) + '\n');
}
