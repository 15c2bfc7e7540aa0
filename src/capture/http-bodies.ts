// The request bodies of HTTP conversations, for capture (recorder.ts): a client resends its whole
// history on every call, so each conversation's parsed prefix is remembered (input-delta.ts) and only
// what is new is parsed. The remembered prefix also names the conversation, when what follows it
// shows it is that conversation (docs/clients.md).

import { LRUCache } from 'lru-cache';
import { decodeChunks } from '../protocol/body-encoding.js';
import { splitRequestChunks, type BodySplit, type InputCursor } from '../protocol/input-delta.js';
import type { ParsedItem } from '../protocol/items.js';
import { header, headerMeta } from '../protocol/request-meta.js';
import type { ExchangeInfo } from '../proxy/traffic-observer.js';
import { clientSessionId, ruleFor, type ClientFacts } from './client-rules.js';
import { resentAlias, type OrdinalCounter } from './dedup-key.js';
import { parseChat, parseResponses, type ConnectionMemory, type DescribeInput, type ModelApi } from './describe-request.js';
import type { RequestContext, SessionTracker } from './session-tracker.js';

type Api = ModelApi;

interface CursorEntry {
  cursor: InputCursor;
  counts: OrdinalCounter;
  sessionId: string;
  /** What the client rules said of the request this prefix came from (same prefix, same system prompt). */
  facts: ClientFacts;
  /** The answer that request was chained to, if it was. */
  previousResponseId?: string;
}

export interface ParsedHttpBody {
  input: DescribeInput;
  skipped: number;
  prefixCounts?: OrdinalCounter;
  memory: ConnectionMemory;
  /** Remembers this request's prefix once capture has filed it. */
  commit: (ctx: RequestContext) => void;
}

const MAX_CURSORS = 2000;

const isAnswer = (item: ParsedItem): boolean => item.kind === 'assistant_message' || item.kind === 'tool_call';

export class HttpBodies {
  private readonly cursors = new LRUCache<string, CursorEntry>({ max: MAX_CURSORS });
  /** The session each client (by user agent) last had a turn in. */
  private readonly latest = new LRUCache<string, string>({ max: MAX_CURSORS });

  constructor(private readonly tracker: Pick<SessionTracker, 'answersOf'>) {}

  /** Parses an HTTP body, reusing the remembered prefix of the same conversation. */
  parse(
    api: Api,
    info: ExchangeInfo,
    raw: Buffer | readonly Buffer[],
    contentEncoding: string | undefined,
  ): ParsedHttpBody {
    const body = decodeChunks(Buffer.isBuffer(raw) ? [raw] : raw, contentEncoding);
    const clientSession = clientSessionId(ruleFor(info.headers), info.headers);
    const clientKey = header(info.headers, 'user-agent') ?? '';
    const cursorKey = `${api}|${headerMeta(info.headers).sessionId ?? clientSession ?? clientKey}`;
    const entry = this.cursors.get(cursorKey);
    const field = api === 'chat' ? 'messages' : 'input';
    const parseSplit = (split: BodySplit) => (api === 'chat' ? parseChat(info.headers, split.top, split.newItems) : parseResponses(info.headers, split.top, split.newItems));
    let split = splitRequestChunks(body, entry?.cursor, field);
    let parsed = parseSplit(split);
    // The remembered prefix names the conversation only if what follows it resends an answer that
    // conversation received: a second conversation opening alike resends none. A chained request's
    // input is the remembered prefix only when it is a retry (the same previous_response_id): a second
    // "continue" after a new answer is new.
    const chained = typeof split.top.previous_response_id === 'string' ? split.top.previous_response_id : undefined;
    const resumes = (e: CursorEntry): boolean => (chained !== undefined ? chained === e.previousResponseId : this.resendsAnswer(e, parsed.parsed.input));
    const resumed = split.fromCursor && entry && resumes(entry) ? entry : undefined;
    if (split.fromCursor && !resumed) parsed = parseSplit((split = splitRequestChunks(body, undefined, field)));
    // The system prompt the rules read may be in the remembered prefix: its request's facts hold.
    const facts: ClientFacts = resumed ? resumed.facts : parsed.facts;
    const input: DescribeInput = { transport: 'http', headers: info.headers, parsed: parsed.parsed, rules: facts };
    const commit = (ctx: RequestContext): void => {
      // A background call (a title, a memory pass) shares the conversation's key but not its history:
      // it keeps the conversation's remembered prefix instead of replacing it.
      if (facts.background) return;
      this.latest.set(clientKey, ctx.sessionId);
      this.cursors.delete(cursorKey);
      if (!split.cursor) return;
      this.cursors.set(cursorKey, { cursor: split.cursor, counts: ctx.counts.clone(), sessionId: ctx.sessionId, facts, ...(chained ? { previousResponseId: chained } : {}) });
    };
    // An HTTP request's connection memory is the session of the history prefix it resends, if known;
    // a background call that resends no answer (Continue's title call) serves the client's latest conversation.
    const latest = facts.background && !resumed && !parsed.parsed.input.some(isAnswer) ? this.latest.get(clientKey) : undefined;
    const session = resumed?.sessionId ?? latest;
    return { input, skipped: split.skipped, ...(resumed ? { prefixCounts: resumed.counts } : {}), memory: session ? { session } : {}, commit };
  }

  /** Whether these items, after a remembered prefix, resend an answer its conversation received. */
  private resendsAnswer(entry: CursorEntry, items: readonly ParsedItem[]): boolean {
    const answers = this.tracker.answersOf(entry.sessionId);
    if (!answers) return false;
    const counts = entry.counts.clone();
    return items.some((item) => {
      const key = counts.keyFor(item);
      const alias = resentAlias(item);
      return isAnswer(item) && (answers.has(key) || (alias !== undefined && answers.has(alias)));
    });
  }
}
