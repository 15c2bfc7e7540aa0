// One line of a Codex rollout (`~/.codex/sessions/**/rollout-*.jsonl`) → what the import uses of it.
// Lines are `{timestamp, type, payload}` (fixture test/fixtures/codex-0.169/rollout/); `response_item`
// payloads are the Responses items exactly as sent or received, so they go through the same parser
// as live capture. Anything else is ignored by type, and a line of a shape we do not know is skipped
// and counted, never fatal.

import { z } from 'zod';
import type { ParsedItem, Usage } from '../protocol/items.js';
import { parseResponsesItem } from '../protocol/responses-items.js';
import { isObject } from '../protocol/json-guards.js';

export type RolloutLine =
  | { type: 'session_meta'; at: string; sessionId: string; startedAt: string; cwd?: string; originator?: string; cliVersion?: string }
  | { type: 'turn_context'; at: string; turnId?: string; cwd?: string; model?: string }
  | { type: 'response_item'; at: string; item: ParsedItem }
  | { type: 'token_usage'; at: string; responseId?: string; usage?: Usage }
  /** The usage event after a model call, in rollouts with or without token_usage_record lines. */
  | { type: 'token_count'; at: string; usage: Usage }
  /** A line type Codex writes that the import does not need (event_msg, world_state, compacted, ...). */
  | { type: 'ignored'; lineType: string }
  /** Not a line the import understands: not JSON, no line type (older rollout shapes), an unknown type. */
  | { type: 'skipped'; reason: string };

/** Line types Codex 0.169 writes whose content the import does not need: the response items carry the conversation. */
const IGNORED_TYPES = new Set(['event_msg', 'world_state', 'compacted']);

/** A line's time is kept as written; one missing or not a string is '' and the replay fills it in. */
const Envelope = z.object({ timestamp: z.string().catch(''), type: z.string(), payload: z.custom<Record<string, unknown>>(isObject) });

/**
 * Codex writes `{"timestamp":…,"ordinal":…,"type":…` first on every line: the type of a line the
 * import ignores (about half of a rollout's bytes are event_msg copies of the items) is read
 * without parsing the line.
 */
const LINE_HEAD = /^\{"timestamp":"[^"]*",(?:"ordinal":\d+,)?"type":"([a-z_]+)"/;

const SessionMeta = z.object({
  id: z.string().min(1),
  timestamp: z.string().optional(),
  cwd: z.string().optional(),
  originator: z.string().optional(),
  cli_version: z.string().optional(),
});

const TurnContext = z.object({
  turn_id: z.string().optional(),
  cwd: z.string().optional(),
  model: z.string().optional(),
});

const count = z.number().int().nonnegative().catch(0);
const TokenUsage = z.object({
  response_id: z.string().optional(),
  usage: z
    .object({
      input_tokens: count,
      cached_input_tokens: count,
      output_tokens: count,
      reasoning_output_tokens: count,
      total_tokens: count,
    })
    .optional(),
});

/**
 * Codex before 0.16x wrote no token_usage_record: a call's usage is in the `token_count` event that
 * follows it (`info.last_token_usage`; newer rollouts carry both, the same numbers).
 */
const TokenCountEvent = z.object({
  type: z.literal('token_count'),
  info: z.object({ last_token_usage: TokenUsage.shape.usage.unwrap() }).nullable().optional(),
});

const toUsage = (u: z.infer<typeof TokenUsage>['usage'] & object): Usage => ({
  inputTokens: u.input_tokens,
  cachedTokens: u.cached_input_tokens,
  outputTokens: u.output_tokens,
  reasoningTokens: u.reasoning_output_tokens,
  totalTokens: u.total_tokens,
});

/** An event_msg the import reads: the token_count event. Others are ignored without parsing. */
const TOKEN_COUNT_HEAD = /"payload":\{"type":"token_count"/;

const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Reads a line as bytes, decoding it only when its type is one the import uses. */
export function parseRolloutLineBytes(line: Buffer): RolloutLine {
  const start = line.toString('utf8', 0, Math.min(line.length, 160));
  const head = LINE_HEAD.exec(start)?.[1];
  if (head && IGNORED_TYPES.has(head) && !TOKEN_COUNT_HEAD.test(start)) return { type: 'ignored', lineType: head };
  return parseRolloutLine(line.toString('utf8'));
}

export function parseRolloutLine(text: string): RolloutLine {
  const start = text.slice(0, 160);
  const head = LINE_HEAD.exec(start)?.[1];
  if (head && IGNORED_TYPES.has(head) && !TOKEN_COUNT_HEAD.test(start)) return { type: 'ignored', lineType: head };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { type: 'skipped', reason: 'not JSON' };
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return { type: 'skipped', reason: 'no line type' };
  const { timestamp: at, type, payload } = envelope.data;
  switch (type) {
    case 'response_item':
      return { type, at, item: parseResponsesItem(payload) };
    case 'session_meta': {
      const meta = SessionMeta.safeParse(payload);
      if (!meta.success) return { type: 'skipped', reason: 'session_meta without an id' };
      const m = meta.data;
      return defined({ type, at, sessionId: m.id, startedAt: m.timestamp ?? at, cwd: m.cwd, originator: m.originator, cliVersion: m.cli_version });
    }
    case 'turn_context': {
      const ctx = TurnContext.safeParse(payload);
      if (!ctx.success) return { type: 'skipped', reason: 'turn_context of an unknown shape' };
      return defined({ type, at, turnId: ctx.data.turn_id, cwd: ctx.data.cwd, model: ctx.data.model });
    }
    case 'token_usage_record': {
      const rec = TokenUsage.safeParse(payload);
      if (!rec.success) return { type: 'ignored', lineType: type };
      const u = rec.data.usage;
      return defined({ type: 'token_usage' as const, at, responseId: rec.data.response_id, usage: u ? toUsage(u) : undefined });
    }
    case 'event_msg': {
      const event = TokenCountEvent.safeParse(payload);
      const u = event.success ? event.data.info?.last_token_usage : undefined;
      return u ? { type: 'token_count', at, usage: toUsage(u) } : { type: 'ignored', lineType: type };
    }
    default:
      return IGNORED_TYPES.has(type) ? { type: 'ignored', lineType: type } : { type: 'skipped', reason: `unknown line type ${type.slice(0, 40)}` };
  }
}
