// What an answer that was not a stream says: a JSON body (Chat Completions without stream, Responses
// with stream:false) folded like a stream's last event, or an error body read for its message.

import { ChatCompletionFolder } from '../protocol/chat-completions.js';
import type { ResponseSummary } from '../protocol/items.js';
import type { ResponsesEventFolder } from '../protocol/responses-events.js';
import { parseJson } from '../protocol/json-guards.js';

/** A non-SSE answer: a JSON body (chat non-stream, stream:false responses) or an error. */
export function bodySummary(folder: ResponsesEventFolder | ChatCompletionFolder, body: Buffer, status: number | undefined): ResponseSummary {
  const json = parseJson(body.toString('utf8'));
  const ok = status !== undefined && status < 400;
  if (ok && json !== undefined) {
    if (folder instanceof ChatCompletionFolder) folder.feedBody(json);
    else folder.feedEvent({ type: 'response.completed', response: json });
    return folder.result();
  }
  const summary = folder.result();
  const text = body.toString('utf8').slice(0, 4000);
  const err = json !== undefined ? json : text;
  return {
    ...summary,
    status: 'error',
    error: errorFrom(err, status),
  };
}

function errorFrom(raw: unknown, status: number | undefined): NonNullable<ResponseSummary['error']> {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const e = typeof obj.error === 'object' && obj.error !== null ? (obj.error as Record<string, unknown>) : obj;
  const message = typeof e.message === 'string' ? e.message : typeof raw === 'string' ? raw : `HTTP ${status ?? '?'}`;
  return {
    message,
    ...(status !== undefined ? { status } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.type === 'string' ? { type: e.type } : {}),
  };
}
