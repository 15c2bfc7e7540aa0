// The rewrite call: one structured-output request to the model (prompts/rewrite.md), behind a
// small interface so learn mode never depends on how the model is reached. The real one is the
// insight engine's `callStructured`, so it speaks the dialect of the access it is given (streamed,
// `store: false` with `instructions` on the ChatGPT backend).

import { z } from 'zod';
import { callStructured, type ModelAccess } from '../insight/model-access.js';
import type { LearnGap, LearnSnippet, LearnSummary } from './context-source.js';

/** The model the rewrite asks (GPT-5, as the insight engine's jobs). */
export const REWRITE_MODEL = 'gpt-5';

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

export type { ModelAccess };

/** The user message carrying the variables prompts/rewrite.md names, each in its own tagged block. */
export function rewriteInputText(input: RewriteInput): string {
  const gaps = input.gaps.map((g) => `- id: ${g.id}\n  topic: ${g.topic}\n  question: ${g.question}\n  evidence: ${g.evidence}`).join('\n');
  const summaries = input.summaries
    .map((s) =>
      [
        `- session: ${s.sessionId}`,
        `  title: ${s.title}`,
        ...s.highlights.map((h) => `  highlight: ${h}`),
        ...s.nextRepetitions.map((n) => `  next time: ${n}`),
        ...s.playbook.map((p) => `  playbook: ${p.step}${p.command ? ` (\`${p.command}\`)` : ''}`),
      ].join('\n'),
    )
    .join('\n');
  const snippets = input.snippets.map((s) => `- ref: ${s.ref}\n  text: ${s.text.replace(/\n/g, '\n    ')}`).join('\n');
  return [
    `<project>${input.project}</project>`,
    `<open_gaps>\n${gaps || '(none)'}\n</open_gaps>`,
    `<recent_summaries>\n${summaries || '(none)'}\n</recent_summaries>`,
    `<snippets>\n${snippets || '(none)'}\n</snippets>`,
    `<original_message>\n${input.original}\n</original_message>`,
  ].join('\n\n');
}

export function structuredRewriteModel(opts: { access: (sessionId: string) => ModelAccess | undefined; model: string; instructions: string }): RewriteModel {
  return {
    async rewrite(input, signal) {
      const access = opts.access(input.sessionId);
      if (!access) throw new Error('no model access for the rewrite (set an API key for the insight engine)');
      const answer = await callStructured({
        access,
        model: opts.model,
        instructions: opts.instructions,
        input: rewriteInputText(input),
        schema: RewriteOutput,
        schemaName: REWRITE_SCHEMA_NAME,
        signal,
      });
      return answer.output;
    },
  };
}
