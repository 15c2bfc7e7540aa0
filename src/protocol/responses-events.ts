// Folds Responses stream events (SSE `data:` or WS text frames; same JSON, docs/protocol.md §4)
// into a ResponseSummary. Incremental: feed events in order, read the summary at any time.

import type { ParsedItem, ResponseSummary, UpstreamError, Usage } from './items.js';
import { parseResponsesItem } from './responses-items.js';
import { isObject, str, type Json } from './json-guards.js';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// Only these events change the summary; the authoritative item arrives in output_item.done. The rest
// are counted unread: deltas (most of a stream's events), and the .done events that repeat an item's
// whole text (output_text.done, content_part.done), whose JSON.parse on a long answer cost as much as
// forwarding it.
const READ = new Set(['response.created', 'response.in_progress', 'response.output_item.done', 'response.completed', 'response.incomplete', 'response.failed']);
const TYPE_FIRST = /^\s*\{\s*"type"\s*:\s*"([a-z_.]+)"/;

/** A Responses event the folder does not read, by its SSE event name or, without one, the type its JSON opens with. */
export function isUnreadEvent(eventName: string | undefined, data: string): boolean {
  const name = eventName ?? TYPE_FIRST.exec(data.slice(0, 80))?.[1];
  return name !== undefined && name.startsWith('response.') && !READ.has(name);
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

  /**
   * Feed one WebSocket frame's bytes: an unread event (most of a stream's frames) is known from its
   * first bytes, and is never decoded to text.
   */
  feedFrame(frame: Buffer): string | undefined {
    if (isUnreadEvent(undefined, frame.toString('latin1', 0, 80))) {
      this.summary.events++;
      return 'unread';
    }
    return this.feedData(frame.toString('utf8'));
  }

  /** Feed one event's raw data string. Returns the parsed event type, if any. */
  feedData(data: string, eventName?: string): string | undefined {
    this.summary.events++;
    if (isUnreadEvent(eventName, data)) return eventName ?? 'unread';
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
