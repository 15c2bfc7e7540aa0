// The fake's answer to learn mode's rewrite call, recognised by its structured-output schema name
// (`text.format.name`). Scripted: tests queue the structured output, a stall or a failure.

import { insightInputText } from './insight.js';
import type { Json } from '../../src/protocol/json-guards.js';

export const REWRITE_SCHEMA = 'kx_rewrite';

export interface RewriteAnswer {
  rewritten: string;
  added_anything: boolean;
  gap_ids: string[];
  snippet_refs: string[];
  reason: string;
}

export type RewriteScenario =
  | { kind: 'rewrite'; answer: RewriteAnswer }
  /** Answers (with the next queued rewrite, else the default) after `ms`, or when `release` settles. */
  | { kind: 'rewrite-stall'; ms: number; release?: Promise<unknown> }
  | { kind: 'rewrite-fail'; status: number; message?: string };

export function isRewriteCall(body: unknown): boolean {
  const text = (body as { text?: { format?: { name?: unknown } } } | undefined)?.text;
  return text?.format?.name === REWRITE_SCHEMA;
}

/** Without a script the fake adds nothing: the original, unchanged. */
export function defaultRewrite(body: Json): RewriteAnswer {
  const input = insightInputText(body);
  const original = /<original_message>\n([\s\S]*)\n<\/original_message>/.exec(input)?.[1] ?? '';
  return { rewritten: original, added_anything: false, gap_ids: [], snippet_refs: [], reason: 'The fake upstream has nothing to add.' };
}

/** A completed Responses object whose output text is the structured answer. */
export function rewriteResponse(body: Json, answer: RewriteAnswer, n: string, createdAt: number): Json {
  const text = JSON.stringify(answer);
  return {
    id: `resp_fake_rw_${n}`,
    object: 'response',
    created_at: createdAt,
    status: 'completed',
    model: typeof body.model === 'string' ? body.model : 'gpt-5',
    output: [{ id: `msg_fake_rw_${n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }],
    usage: { input_tokens: Math.round(JSON.stringify(body).length / 4), input_tokens_details: { cached_tokens: 0 }, output_tokens: Math.round(text.length / 4), output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
  };
}
