// What each insight call is sent: the text of a turn's call and of a session's summary call, built
// from the store under KX_INSIGHT_MAX_INPUT_TOKENS. Every loop here is bounded by the rows it reads.

import type Database from 'better-sqlite3';
import { allRows } from '../store/checked-rows.js';
import { gapRow } from '../store/gap-row.js';
import type { InsightSettings } from '../config/config.js';
import { ensureProject, type TurnFacts } from './insight-store.js';
import type { InsightReader } from './insight-reader.js';
import { renderPrompt, type InsightPrompts } from './prompts.js';
import { quoteData } from '../store/quoted-data.js';
import { fitParts, loadTurnParts, renderParts, type TurnPart } from './turn-input.js';
import { estimateTokens } from '../text/tokens.js';
import { oneLineCut } from '../text/one-line.js';

/** Room kept for the schema the provider adds and for rounding in the token estimate. */
const CAP_MARGIN_TOKENS = 600;
const MAX_OPEN_GAPS_SENT = 40;

export interface CallBuilderDeps {
  db: Database.Database;
  reader: InsightReader;
  prompts: InsightPrompts;
  settings: Pick<InsightSettings, 'maxInputTokens'>;
}

export interface BuiltCall {
  instructions: string;
  input: string;
}


function openGapLines(d: CallBuilderDeps, project: string): string {
  const open = d.reader.gaps({ status: 'open', project, limit: MAX_OPEN_GAPS_SENT });
  return open.length ? open.map((g) => quoteData(`${g.id} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`)).join('\n') : '(none)';
}

/** The turn call's text, under KX_INSIGHT_MAX_INPUT_TOKENS. */
export function turnCall(d: CallBuilderDeps, turnId: string): BuiltCall & { facts: TurnFacts } {
  const turn = d.db.prepare(`SELECT id, session_id AS sessionId, seq, COALESCE(ended_at, started_at) AS at FROM turns WHERE id = ?`).get(turnId) as
    | { id: string; sessionId: string; seq: number; at: string }
    | undefined;
  if (!turn) throw new Error(`turn ${turnId} is not in the store`);
  const project = ensureProject(d.db, turn.sessionId);
  const projectName = d.reader.project(project)?.name ?? project;
  const prompt = d.prompts.turn;
  const fixed = { project: projectName, open_gaps: openGapLines(d, project) };
  const budget = d.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turn: '' })) - CAP_MARGIN_TOKENS;
  const parts = fitParts(loadTurnParts(d.db, turn.id), Math.max(500, budget));
  return {
    // The turn's own time, not the call's: an imported October session's gaps were first seen in October.
    facts: { turnId: turn.id, sessionId: turn.sessionId, seq: turn.seq, project, at: turn.at },
    instructions: prompt.instructions,
    input: renderPrompt(prompt, { ...fixed, turn: renderParts(parts) }),
  };
}

/** The summary call's text: the session's gaps and each turn's notes (or its raw words when it has none). */
export function sessionCall(d: CallBuilderDeps, sessionId: string): BuiltCall {
  const project = ensureProject(d.db, sessionId);
  const projectName = d.reader.project(project)?.name ?? project;
  const prompt = d.prompts.session;
  const sql = `SELECT DISTINCT g.id, g.status, g.topic, g.question FROM gaps g LEFT JOIN turns t ON t.id = g.resolved_turn_id
    WHERE g.first_seen_session_id = ? OR g.last_seen_session_id = ? OR t.session_id = ? ORDER BY g.first_seen_at`;
  const gapLines = allRows(gapRow.pick({ id: true, status: true, topic: true, question: true }), 'gap', d.db.prepare(sql), sessionId, sessionId, sessionId);
  const gaps = gapLines.length ? gapLines.map((g) => quoteData(`${g.id} | ${g.status} | ${oneLineCut(g.topic, 80)} | ${oneLineCut(g.question, 200)}`)).join('\n') : '(none)';
  const notes = d.reader.turnInsights(sessionId).map((t): TurnPart => {
    if (t.state === 'done') {
      const steps = t.playbookSteps.map((p) => `  - ${p.step}${p.command ? `: ${p.command}` : ''}`).join('\n');
      const text = [`summary: ${t.summary}`, `action: ${t.action}`, `outcome: ${t.outcome}`, `next time: ${t.nextTime ?? '-'}`, steps ? `steps:\n${steps}` : ''].filter(Boolean).join('\n');
      // The notes are model text about recorded text: quoted like it.
      return { kind: 'assistant', label: `turn ${t.turnSeq} notes`, text: quoteData(text) };
    }
    const raw = loadTurnParts(d.db, t.turnId);
    const human = raw.find((p) => p.kind === 'human')?.text ?? '';
    const sent = raw.find((p) => p.kind === 'sent_rewritten');
    const answer = [...raw].reverse().find((p) => p.kind === 'assistant')?.text ?? '(no answer)';
    const rewritten = sent ? `${sent.editedByPerson ? "sent as the human edited kx's proposed rewrite" : "sent rewritten by kx's learn mode"}: ${sent.text}\n` : '';
    return { kind: 'assistant', label: `turn ${t.turnSeq} (raw)`, text: `human: ${human}\n${rewritten}agent: ${answer}` };
  });
  const fixed = { project: projectName, gaps };
  const budget = d.settings.maxInputTokens - estimateTokens(prompt.instructions) - estimateTokens(renderPrompt(prompt, { ...fixed, turns: '' })) - CAP_MARGIN_TOKENS;
  return { instructions: prompt.instructions, input: renderPrompt(prompt, { ...fixed, turns: renderParts(fitParts(notes, Math.max(500, budget))) }) };
}
