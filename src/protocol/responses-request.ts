// A Responses request body (HTTP POST or WS `response.create` frame) → ParsedRequest.

import { z } from 'zod';
import type { ParsedItem, ParsedRequest } from './items.js';
import { bodyMeta } from './request-meta.js';
import { parseResponsesItem } from './responses-items.js';

// Only the fields capture reads; everything else rides along untouched in the forwarded bytes.
const ResponsesBody = z
  .object({
    model: z.string().optional(),
    stream: z.boolean().optional(),
    generate: z.boolean().optional(),
    // An array first: Codex sends one, and a failed first branch costs zod an issue object per request.
    input: z.union([z.array(z.unknown()), z.string()]).optional(),
    instructions: z.string().optional(),
  })
  .passthrough();

export class ProtocolError extends Error {}

export function parseResponsesInput(input: unknown): ParsedItem[] {
  if (typeof input === 'string') return [{ kind: 'human_message', itemType: 'message', role: 'user', text: input }];
  if (!Array.isArray(input)) return [];
  return input.map(parseResponsesItem);
}

export function parseResponsesRequest(body: unknown): ParsedRequest {
  const parsed = ResponsesBody.safeParse(body);
  if (!parsed.success) throw new ProtocolError(`not a Responses request body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const b = parsed.data;
  const input: ParsedItem[] = [];
  if (b.instructions) input.push({ kind: 'instructions', itemType: 'instructions', role: 'system', text: b.instructions });
  input.push(...parseResponsesInput(b.input));
  return {
    api: 'responses',
    ...(b.model ? { model: b.model } : {}),
    stream: b.stream ?? false,
    generate: b.generate ?? true,
    input,
    meta: bodyMeta(b),
  };
}
