// Turns parsed requests and responses into session, turn, request and item records:
// who the session is, which items are new, where a turn starts. No I/O but the sink.

import type { ParsedItem, ParsedRequest, ResponseSummary } from '../protocol/items.js';
import type { ItemRecord, Outcome, SessionSource, StoreOp, TurnStatus } from '../store/records.js';
import type { SessionResumeState } from '../store/session-reader.js';
import { OrdinalCounter } from './dedup-key.js';
import { newId } from './ids.js';
import { identifySession, type SessionIdentity } from './session-identity.js';
import { redact, redactDeep, storedText } from './redact.js';

export interface StoreSink {
  enqueue(op: StoreOp): void;
  resumeState(sessionId: string): SessionResumeState | undefined;
  sessionOfResponse(responseId: string): string | undefined;
}

interface SessionState {
  id: string;
  known: Set<string>;
  itemSeq: number;
  turnSeq: number;
  turnId: string | undefined;
  clientTurnId: string | undefined;
  /** Occurrence counts of id-less items in the conversation as last seen, for output ordinals. */
  counts: OrdinalCounter;
}

export interface RequestContext {
  requestId: string;
  sessionId: string;
  turnId: string | undefined;
  startedAtIso: string;
  /** Occurrence counts of id-less items through this request's input. */
  counts: OrdinalCounter;
}

export interface BeginRequest {
  transport: 'http' | 'ws';
  method: string;
  path: string;
  startedAtIso: string;
  request: ParsedRequest;
  /** Items of the history the input-delta fast path did not parse again. */
  skippedItems: number;
  /** Counts for id-less items in the skipped prefix. */
  prefixCounts?: OrdinalCounter;
  client?: string;
  userAgent?: string;
  /** The session this connection (WS) or remembered history prefix (HTTP) already belongs to. */
  knownSession?: string;
}

const MAX_SESSIONS_IN_MEMORY = 2000;
const MAX_RESPONSE_IDS = 20000;

export class SessionTracker {
  private readonly sessions = new Map<string, SessionState>();
  private readonly responseSessions = new Map<string, string>();

  constructor(private readonly sink: StoreSink) {}

  /** Identity order: headers/metadata, prompt_cache_key, previous_response_id chain, fingerprint (session-identity.ts). */
  resolveSession(req: BeginRequest): SessionIdentity {
    return identifySession(req, (id) => this.responseSessions.get(id) ?? this.sink.sessionOfResponse(id));
  }

  private state(id: string, source: SessionSource, req: BeginRequest): SessionState {
    let s = this.sessions.get(id);
    if (s) {
      // Re-insert to keep the map in least-recently-used order.
      this.sessions.delete(id);
      this.sessions.set(id, s);
      return s;
    }
    const resumed = this.sink.resumeState(id);
    s = {
      id,
      known: resumed?.dedupKeys ?? new Set(),
      itemSeq: resumed?.maxItemSeq ?? 0,
      turnSeq: resumed?.maxTurnSeq ?? 0,
      turnId: resumed?.lastTurnId,
      clientTurnId: undefined,
      counts: new OrdinalCounter(),
    };
    if (!resumed) {
      this.sink.enqueue({
        op: 'session',
        rec: {
          id,
          identifiedBy: source,
          ...(req.client ? { client: req.client } : {}),
          ...(req.userAgent ? { userAgent: req.userAgent } : {}),
          startedAt: req.startedAtIso,
        },
      });
    }
    this.sessions.set(id, s);
    if (this.sessions.size > MAX_SESSIONS_IN_MEMORY) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return s;
  }

  private startTurn(s: SessionState, at: string, clientTurnId: string | undefined): void {
    // A new human message closes the previous turn only if nothing else did: one already completed
    // keeps its own end, and one a crash left interrupted (resumed from the store) stays interrupted.
    if (s.turnId) this.sink.enqueue({ op: 'turn-status', rec: { turnId: s.turnId, sessionId: s.id, status: 'completed', endedAt: at, onlyIfOpen: true } });
    s.turnSeq++;
    s.turnId = newId('t');
    s.clientTurnId = clientTurnId;
    this.sink.enqueue({
      op: 'turn',
      rec: { id: s.turnId, sessionId: s.id, seq: s.turnSeq, ...(clientTurnId ? { clientTurnId } : {}), startedAt: at },
    });
  }

  private itemRecord(s: SessionState, item: ParsedItem, key: string, requestId: string, direction: 'input' | 'output', at: string): ItemRecord {
    s.known.add(key);
    s.itemSeq++;
    const rec: ItemRecord = {
      id: newId('i'),
      sessionId: s.id,
      requestId,
      seq: s.itemSeq,
      direction,
      kind: item.kind,
      itemType: item.itemType,
      dedupKey: key,
      createdAt: at,
    };
    if (s.turnId) rec.turnId = s.turnId;
    if (item.role) rec.role = item.role;
    if (item.itemId) rec.protocolId = item.itemId;
    if (item.callId) rec.callId = item.callId;
    if (item.toolName) rec.toolName = item.toolName;
    // Redacted here, before the record exists anywhere but memory.
    if (item.text !== undefined) rec.text = storedText(item.text);
    if (item.arguments !== undefined) rec.arguments = storedText(item.arguments);
    if (item.output !== undefined) rec.output = storedText(item.output);
    if (item.status) rec.status = item.status;
    if (item.detail) rec.detail = redactDeep(item.detail);
    return rec;
  }

  beginRequest(req: BeginRequest): RequestContext {
    const { id: sessionId, source } = this.resolveSession(req);
    const s = this.state(sessionId, source, req);
    const requestId = newId('r');
    const meta = req.request.meta;
    // Background work (Codex memories, sub-agent helpers) and compaction never start a human turn.
    const mayStartTurn = !meta.subagent && meta.requestKind !== 'compaction' && meta.requestKind !== 'prewarm';
    const counts = req.prefixCounts?.clone() ?? new OrdinalCounter();
    const records: ItemRecord[] = [];
    let newItems = 0;
    for (const item of req.request.input) {
      const key = counts.keyFor(item);
      if (s.known.has(key)) continue;
      if (item.kind === 'human_message' && mayStartTurn) this.startTurn(s, req.startedAtIso, meta.turnId);
      records.push(this.itemRecord(s, item, key, requestId, 'input', req.startedAtIso));
      newItems++;
    }
    s.counts = counts;
    const requestKind = meta.subagent ? 'background' : meta.requestKind ?? (req.request.generate ? undefined : 'prewarm');
    this.sink.enqueue({
      op: 'request',
      rec: {
        id: requestId,
        sessionId,
        ...(s.turnId ? { turnId: s.turnId } : {}),
        transport: req.transport,
        api: req.request.api,
        method: req.method,
        path: req.path,
        ...(req.request.model ? { model: req.request.model } : {}),
        ...(requestKind ? { requestKind } : {}),
        startedAt: req.startedAtIso,
        ...(meta.previousResponseId ? { previousResponseId: meta.previousResponseId } : {}),
        newItems,
        skippedItems: req.skippedItems + (req.request.input.length - newItems),
        parseErrors: 0,
      },
    });
    for (const rec of records) this.sink.enqueue({ op: 'item', rec });
    return { requestId, sessionId, turnId: s.turnId, startedAtIso: req.startedAtIso, counts };
  }

  finishRequest(
    ctx: RequestContext,
    summary: ResponseSummary,
    facts: { statusCode?: number; firstByteMs?: number; durationMs: number; endedAtIso: string; outcome?: Outcome },
  ): void {
    const s = this.sessions.get(ctx.sessionId);
    if (summary.responseId) {
      this.responseSessions.set(summary.responseId, ctx.sessionId);
      if (this.responseSessions.size > MAX_RESPONSE_IDS) {
        const oldest = this.responseSessions.keys().next().value;
        if (oldest !== undefined) this.responseSessions.delete(oldest);
      }
    }
    if (s) {
      for (const item of summary.output) {
        const key = s.counts.keyFor(item);
        if (s.known.has(key)) continue;
        this.sink.enqueue({ op: 'item', rec: this.itemRecord(s, item, key, ctx.requestId, 'output', facts.endedAtIso) });
      }
    }
    const outcome: Outcome = facts.outcome ?? (summary.status === 'in_progress' ? 'cut' : summary.status);
    this.sink.enqueue({
      op: 'request-result',
      rec: {
        requestId: ctx.requestId,
        sessionId: ctx.sessionId,
        ...(ctx.turnId ? { turnId: ctx.turnId } : {}),
        ...(facts.firstByteMs !== undefined ? { firstByteMs: facts.firstByteMs } : {}),
        durationMs: facts.durationMs,
        ...(facts.statusCode !== undefined ? { statusCode: facts.statusCode } : {}),
        outcome,
        ...(summary.responseId ? { responseId: summary.responseId } : {}),
        ...(summary.usage ? { usage: summary.usage } : {}),
        ...(summary.error ? { error: { ...summary.error, message: redact(summary.error.message) } } : {}),
        parseErrors: summary.parseErrors,
        events: summary.events,
        endedAt: facts.endedAtIso,
      },
    });
    if (ctx.turnId) {
      const status = turnStatusAfter(outcome, summary.output.some((i) => i.kind === 'tool_call'));
      this.sink.enqueue({ op: 'turn-status', rec: { turnId: ctx.turnId, sessionId: ctx.sessionId, status, endedAt: facts.endedAtIso } });
    }
  }

  captureError(stage: string, message: string, ctx?: Partial<RequestContext>): void {
    this.sink.enqueue({
      op: 'capture-error',
      rec: {
        ts: new Date().toISOString(),
        stage,
        message: redact(message),
        ...(ctx?.sessionId ? { sessionId: ctx.sessionId } : {}),
        ...(ctx?.requestId ? { requestId: ctx.requestId } : {}),
      },
    });
  }
}

/**
 * A turn's status after its latest request: done when the model answers without asking for a tool,
 * open while tools run, failed when the upstream failed it (a retry that succeeds sets it again),
 * interrupted when the client went away.
 */
export function turnStatusAfter(outcome: Outcome, askedForTool: boolean): TurnStatus['status'] {
  if (outcome === 'completed') return askedForTool ? 'open' : 'completed';
  if (outcome === 'aborted') return 'interrupted';
  return 'failed';
}
