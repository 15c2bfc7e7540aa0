// Folds Responses stream events (SSE `data:` or WS text frames; same JSON, docs/protocol.md §4)
// into a ResponseSummary. Incremental: feed events in order, read the summary at any time.

import type { ParsedItem, ResponseSummary, UpstreamError, Usage } from './items.js';
import { parseResponsesItem } from './responses-items.js';
import { isObject, str } from './json-guards.js';

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// Deltas only drive a live UI; the authoritative item arrives in output_item.done. Skipping their
// JSON.parse keeps capture cheap on large streams.
const DELTA_EVENT = /^response\.[a-z_.]*\.delta$/;
const DELTA_PREFIX = /^\s*\{\s*"type"\s*:\s*"response\.[a-z_.]*\.delta"/;

/** The first bytes of an SSE event (its `event:` or `data:` line) that name a delta. */
const DELTA_HEAD = /^(?:event:[ \t]*response\.[a-z_.]*\.delta\r?\n|data:[ \t]*\{\s*"type"\s*:\s*"response\.[a-z_.]*\.delta")/;

export const isDeltaHead = (head: string): boolean => DELTA_HEAD.test(head);

export function isDeltaEvent(eventName: string | undefined, data: string): boolean {
  if (eventName !== undefined) return DELTA_EVENT.test(eventName);
  return DELTA_PREFIX.test(data.slice(0, 80));
}

export function parseUsage(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const inDetails = isObject(raw.input_tokens_details) ? raw.input_tokens_details : isObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const outDetails = isObject(raw.output_tokens_details) ? raw.output_tokens_details : isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  const inputTokens = num(raw.input_tokens ?? raw.prompt_tokens);
  const outputTokens = num(raw.output_tokens ?? raw.completion_tokens);
  return {
    inputTokens,
    cachedTokens: num(inDetails.cached_tokens),
    outputTokens,
    reasoningTokens: num(outDetails.reasoning_tokens),
    totalTokens: num(raw.total_tokens) || inputTokens + outputTokens,
  };
}

export function parseErrorObject(raw: unknown, status?: number): UpstreamError {
  const outer = isObject(raw) ? raw : {};
  const e = isObject(outer.error) ? outer.error : outer;
  const message = str(e.message) ?? (typeof raw === 'string' ? raw : JSON.stringify(raw ?? null));
  const err: UpstreamError = { message };
  const st = status ?? (typeof outer.status === 'number' ? outer.status : typeof outer.status_code === 'number' ? outer.status_code : undefined);
  if (st !== undefined) err.status = st;
  const code = str(e.code);
  if (code) err.code = code;
  const type = str(e.type);
  if (type && type !== 'error') err.type = type;
  return err;
}

export class ResponsesEventFolder {
  private readonly summary: ResponseSummary = { status: 'in_progress', output: [], parseErrors: 0, unknownEvents: 0, events: 0 };
  private readonly doneItems = new Map<number, ParsedItem>();
  private sawDoneItems = false;

  /** An event skipped unread (a delta, told by its first bytes): it still counts. */
  countSkipped(): void {
    this.summary.events++;
  }

  /** Feed one event's raw data string. Returns the parsed event type, if any. */
  feedData(data: string, eventName?: string): string | undefined {
    this.summary.events++;
    if (isDeltaEvent(eventName, data)) return eventName ?? 'delta';
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      this.summary.parseErrors++;
      return undefined;
    }
    return this.feedEvent(event);
  }

  feedEvent(event: unknown): string | undefined {
    if (!isObject(event) || typeof event.type !== 'string') {
      this.summary.parseErrors++;
      return undefined;
    }
    const s = this.summary;
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        this.readResponse(event.response);
        break;
      case 'response.output_item.done': {
        const index = typeof event.output_index === 'number' ? event.output_index : this.doneItems.size;
        this.doneItems.set(index, parseResponsesItem(event.item));
        this.sawDoneItems = true;
        break;
      }
      case 'response.completed':
        this.readResponse(event.response);
        s.status = 'completed';
        break;
      case 'response.incomplete':
        this.readResponse(event.response);
        s.status = 'incomplete';
        break;
      case 'response.failed': {
        this.readResponse(event.response);
        s.status = 'failed';
        const r = isObject(event.response) ? event.response : {};
        s.error = parseErrorObject(r.error ?? { message: 'response.failed' });
        break;
      }
      case 'error':
        s.status = 'error';
        s.error = parseErrorObject(event);
        break;
      default:
        if (!event.type.startsWith('response.')) s.unknownEvents++;
    }
    return event.type;
  }

  private readResponse(raw: unknown): void {
    if (!isObject(raw)) return;
    const s = this.summary;
    const id = str(raw.id);
    if (id) s.responseId = id;
    const model = str(raw.model);
    if (model) s.model = model;
    const usage = parseUsage(raw.usage);
    if (usage) s.usage = usage;
    if (!this.sawDoneItems && Array.isArray(raw.output) && raw.output.length > 0) {
      raw.output.forEach((item, i) => this.doneItems.set(i, parseResponsesItem(item)));
    }
  }

  /** Marks a stream that ended without a terminal event. */
  markCut(reason: string): void {
    if (this.summary.status === 'in_progress') {
      this.summary.status = 'cut';
      this.summary.error ??= { message: reason };
    }
  }

  get terminal(): boolean {
    return this.summary.status !== 'in_progress';
  }

  result(): ResponseSummary {
    const output = [...this.doneItems.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    return { ...this.summary, output };
  }
}
