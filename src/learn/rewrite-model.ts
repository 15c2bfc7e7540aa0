// The rewrite call: one structured-output request to the model (prompts/rewrite.md), behind a
// small interface so learn mode never depends on how the model is reached. The real one is the
// insight engine's `callStructured`, so it speaks the dialect of the access it is given (streamed,
// `store: false` with `instructions` on the ChatGPT backend).

import { z } from 'zod';
import { callStructured, type ModelAccess } from '../insight/model-access.js';
import { renderPrompt, type Prompt } from '../insight/prompts.js';
import { dataBlock, dataInline, quoteData } from '../store/quoted-data.js';
import type { LearnGap, LearnSnippet, LearnSummary } from './context-source.js';

/** The schema name the fake upstream recognises the rewrite call by (`text.format.name`). */
export const REWRITE_SCHEMA_NAME = 'kx_rewrite';

export const RewriteOutput = z.object({
  /** The message to send instead, in the human's voice; the original when nothing is added. */
  rewritten: z.string(),
  added_anything: z.boolean(),
  /** Ids of the gaps the rewrite addresses (only ids that were given). */
  gap_ids: z.array(z.string()),
  /** Refs of the snippets the rewrite used (only refs that were given). */
  snippet_refs: z.array(z.string()),
  /** One sentence for the human: what was added and why, or why nothing was. */
  reason: z.string(),
});
export type RewriteOutput = z.infer<typeof RewriteOutput>;

export interface RewriteInput {
  /** The session the turn belongs to: without a configured key, the call borrows its credentials. */
  sessionId: string;
  original: string;
  project: string;
  gaps: LearnGap[];
  summaries: LearnSummary[];
  snippets: LearnSnippet[];
}

export interface RewriteModel {
  rewrite(input: RewriteInput, signal: AbortSignal): Promise<RewriteOutput>;
}


/** The values of prompts/rewrite.md's variables: every recorded text quoted (src/store/quoted-data.ts). */
export function rewriteValues(input: RewriteInput): Record<string, string> {
  const q = (text: string) => dataInline('quote', text);
  const gaps = input.gaps.map((g) => `- id: ${g.id}\n  topic: ${q(g.topic)}\n  question: ${q(g.question)}\n  evidence: ${q(g.evidence)}${g.origin ? `\n  from: ${q(g.origin)}` : ''}`).join('\n');
  const summaries = input.summaries
    .map((s) =>
      [
        `- session: ${s.sessionId}`,
        `  title: ${q(s.title)}`,
        ...s.highlights.map((h) => `  highlight: ${q(h)}`),
        ...s.nextRepetitions.map((n) => `  next time: ${q(n)}`),
        ...s.playbook.map((p) => `  playbook: ${q(p.step)}${p.command ? ` command: ${q(p.command)}` : ''}`),
      ].join('\n'),
    )
    .join('\n');
  const snippets = input.snippets.map((s) => dataBlock('snippet', s.text, { ref: s.ref })).join('\n');
  return { project: quoteData(input.project), open_gaps: gaps || '(none)', recent_summaries: summaries || '(none)', snippets: snippets || '(none)', original_message: quoteData(input.original) };
}

/** The user message: the template below `=== input ===`, each variable in its own block that captured text cannot close. */
export const rewriteInputText = (prompt: Prompt, input: RewriteInput): string => renderPrompt(prompt, rewriteValues(input));

export function structuredRewriteModel(opts: { access: (sessionId: string) => ModelAccess | undefined; model: string; prompt: Prompt }): RewriteModel {
  return {
    async rewrite(input, signal) {
      const access = opts.access(input.sessionId);
      if (!access) throw new Error('no model access for the rewrite (set an API key for the insight engine)');
      const answer = await callStructured({
        access,
        model: opts.model,
        instructions: opts.prompt.instructions,
        input: rewriteInputText(opts.prompt, input),
        schema: RewriteOutput,
        schemaName: REWRITE_SCHEMA_NAME,
        signal,
      });
      return answer.output;
    },
  };
}
