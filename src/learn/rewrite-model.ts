// The rewrite call: one structured-output request to the model (prompts/rewrite.md), behind a
// small interface so learn mode never depends on how the model is reached. The OpenAI SDK
// implementation speaks the Responses API with a zod schema (`zodTextFormat`).

import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
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
  original: string;
  project: string;
  gaps: LearnGap[];
  summaries: LearnSummary[];
  snippets: LearnSnippet[];
}

export interface RewriteModel {
  rewrite(input: RewriteInput, signal: AbortSignal): Promise<RewriteOutput>;
}

/** How to reach the model; the insight engine's `resolveModelAccess` returns the same shape. */
export interface ModelAccess {
  baseURL: string;
  apiKey: string;
  defaultHeaders: Record<string, string>;
}

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

export function openAiRewriteModel(opts: { access: () => ModelAccess | undefined; model: string; instructions: string }): RewriteModel {
  return {
    async rewrite(input, signal) {
      const access = opts.access();
      if (!access) throw new Error('no model access for the rewrite (set an API key for the insight engine)');
      const client = new OpenAI({ baseURL: access.baseURL, apiKey: access.apiKey, defaultHeaders: access.defaultHeaders, maxRetries: 0 });
      const res = await client.responses.parse(
        {
          model: opts.model,
          instructions: opts.instructions,
          input: rewriteInputText(input),
          store: false,
          text: { format: zodTextFormat(RewriteOutput, REWRITE_SCHEMA_NAME) },
        },
        { signal },
      );
      const out = res.output_parsed;
      if (!out) throw new Error('the rewrite model returned no structured output');
      return out;
    },
  };
}
