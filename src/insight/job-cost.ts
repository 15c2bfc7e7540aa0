// What queued insight jobs will send the model, roughly, before any runs: the figure `kx import
// codex` gives so a person knows what 68 jobs cost before kx starts them. The turn's parts as the call
// reads them (turn-input.ts), counted in SQLite, at the project's four characters a token
// (text/tokens.ts), under the same cap as the calls themselves (calls.ts).

import type Database from 'better-sqlite3';
import { renderPrompt, type InsightPrompts, type Prompt } from './prompts.js';
import { turnPartChars } from './turn-input.js';
import { estimateTokens, tokensOfChars } from '../text/tokens.js';

/**
 * A summary call reads each turn's notes, which do not exist yet: a note as the turn prompt's schema
 * asks for it (summary, action, outcome, next time, a few steps) runs to about this many tokens.
 */
const NOTE_TOKENS = 250;

/** The tokens a prompt's instructions and empty template cost on every call. */
const fixedTokens = (prompt: Prompt): number =>
  estimateTokens(prompt.instructions) + estimateTokens(renderPrompt(prompt, Object.fromEntries(prompt.variables.map((v) => [v, '']))));

export interface JobCost {
  /** Input tokens of one turn's call, as its parts stand in the store. */
  turn: (db: Database.Database, turnId: string) => number;
  /** Input tokens of a session's summary call over `turns` turns. */
  session: (turns: number) => number;
}

export function jobCost(prompts: InsightPrompts, maxInputTokens: number): JobCost {
  const turnFixed = fixedTokens(prompts.turn);
  const sessionFixed = fixedTokens(prompts.session);
  const cap = (tokens: number): number => Math.min(maxInputTokens, tokens);
  return {
    turn: (db, turnId) => cap(turnFixed + tokensOfChars(turnPartChars(db, turnId))),
    session: (turns) => cap(sessionFixed + turns * NOTE_TOKENS),
  };
}
