// Which stored records become lines in documents/<session>/{user,agent}_actions.jsonl, and their shape.
// Every line: ts, session_id, turn_id, request_id, kind, then the kind's own fields.

import type { ItemRecord, RequestResult, StoreOp } from './records.js';

export interface SessionLines {
  user: string[];
  agent: string[];
}

const AGENT_KINDS = new Set(['assistant_message', 'reasoning', 'tool_call', 'tool_output', 'compaction']);

function itemLine(rec: ItemRecord): string {
  const line: Record<string, unknown> = {
    ts: rec.createdAt,
    session_id: rec.sessionId,
    turn_id: rec.turnId ?? null,
    request_id: rec.requestId,
    kind: rec.kind,
    item_id: rec.id,
    item_type: rec.itemType,
  };
  if (rec.protocolId) line.protocol_id = rec.protocolId;
  if (rec.role) line.role = rec.role;
  if (rec.text !== undefined) line.text = rec.text;
  if (rec.toolName) line.tool_name = rec.toolName;
  if (rec.callId) line.call_id = rec.callId;
  if (rec.arguments !== undefined) line.arguments = rec.arguments;
  if (rec.output !== undefined) line.output = rec.output;
  if (rec.status) line.status = rec.status;
  if (rec.detail) line.detail = rec.detail;
  return JSON.stringify(line) + '\n';
}

function resultLines(rec: RequestResult): string[] {
  const base = { ts: rec.endedAt, session_id: rec.sessionId, turn_id: rec.turnId ?? null, request_id: rec.requestId };
  const lines: string[] = [];
  if (rec.usage) {
    lines.push(JSON.stringify({ ...base, kind: 'usage', response_id: rec.responseId ?? null, ...snake(rec.usage) }) + '\n');
  }
  if (rec.error || (rec.outcome !== 'completed' && rec.outcome !== 'in_progress')) {
    lines.push(
      JSON.stringify({ ...base, kind: 'error', outcome: rec.outcome, status_code: rec.statusCode ?? null, error: rec.error ?? null }) + '\n',
    );
  }
  return lines;
}

function snake(usage: NonNullable<RequestResult['usage']>): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    cached_tokens: usage.cachedTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
    total_tokens: usage.totalTokens,
  };
}

export function jsonlLines(ops: readonly StoreOp[]): Map<string, SessionLines> {
  const out = new Map<string, SessionLines>();
  const get = (id: string): SessionLines => {
    let s = out.get(id);
    if (!s) out.set(id, (s = { user: [], agent: [] }));
    return s;
  };
  for (const op of ops) {
    if (op.op === 'item') {
      if (op.rec.kind === 'human_message') get(op.rec.sessionId).user.push(itemLine(op.rec));
      else if (AGENT_KINDS.has(op.rec.kind)) get(op.rec.sessionId).agent.push(itemLine(op.rec));
    } else if (op.op === 'request-result') {
      const lines = resultLines(op.rec);
      if (lines.length) get(op.rec.sessionId).agent.push(...lines);
    }
  }
  return out;
}
