// Turns parsed requests and responses into session, turn, request and item records:
// who the session is, which items are new, where a turn starts. No I/O but the sink.

import { LRUCache } from 'lru-cache';
import type { ParsedItem, ParsedRequest, ResponseSummary } from '../protocol/items.js';
import type { ItemRecord, Outcome, SessionSource, StoreOp, TurnStatus } from '../store/records.js';
import type { SessionResumeState } from '../store/session-reader.js';
import { aliasKeys, OrdinalCounter } from './dedup-key.js';
import { answerKeysOf, classifyInput, storedBefore } from './input-filing.js';
import { isBackgroundSubagent } from './client-rules.js';
import { newId } from './ids.js';
import { cwdOfInput } from './project.js';
import { redactPath } from './redact-path.js';
import { identifySession, type FingerprintLookup, type SessionIdentity } from './session-identity.js';
import { redact, redactDeep, storedText } from './redact.js';

export interface StoreSink {
  /** Queues an op; may return its place in the store's queue, for `settled`. */
  enqueue(op: StoreOp): number | void;
  /** Whether the op at this place has left the store's queue (committed, or dropped past the backlog bound). */
  settled?(ticket: number): boolean;
  resumeState(sessionId: string): SessionResumeState | undefined;
  sessionOfResponse(responseId: string): string | undefined;
}

interface SessionState {
  id: string;
  known: Set<string>;
  /** Keys (and aliases) of the answers received from the upstream: what a fingerprint's history must resend (session-identity.ts). */
  answers: Set<string>;
  itemSeq: number;
  turnSeq: number;
  turnId: string | undefined;
  clientTurnId: string | undefined;
  /** Occurrence counts of id-less items in the conversation as last seen, for output ordinals. */
  counts: OrdinalCounter;
  /** The store's ticket for this session's latest op: until it is settled, only memory knows the session. */
  lastOp: number | undefined;
  /** Requests begun and not yet finished. */
  inFlight: number;
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
  transport: 'http' | 'ws' | 'rollout';
  /** The session describe-request.ts named (live traffic); else it is identified here (`kx import`). */
  session?: SessionIdentity;
  method: string;
  path: string;
  /** The upstream base it went to (origin and path), if it went anywhere. */
  upstream?: string;
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
  /** When each input item happened, where a transcript says (`kx import`); else `startedAtIso`. */
  inputTimes?: readonly string[];
  /** The client's background work (client-rules.ts): stored as a background request, never a turn. */
  background?: boolean;
  /** Apply the prefilled-exchange rule (client-rules.ts): user messages before an assistant message kx never saw are context. */
  prefilledContext?: boolean;
}

const MAX_SESSIONS_IN_MEMORY = 2000;
const MAX_RESPONSE_IDS = 20000;

export class SessionTracker implements FingerprintLookup {
  private readonly sessions = new Map<string, SessionState>();
  private readonly responseSessions = new LRUCache<string, string>({ max: MAX_RESPONSE_IDS });

  constructor(private readonly sink: StoreSink) {}

  /** Identity order: headers/metadata, prompt_cache_key, previous_response_id chain, fingerprint (session-identity.ts). */
  resolveSession(req: BeginRequest): SessionIdentity {
    return req.session ?? identifySession(req, (id) => this.sessionOfResponse(id), this);
  }

  /** The answers a session received, from memory or the store; undefined if kx has no such session. */
  answersOf(sessionId: string): ReadonlySet<string> | undefined {
    return this.existing(sessionId)?.answers;
  }

  /** The session a response id belongs to: recent answers in memory, else the store. */
  sessionOfResponse(responseId: string): string | undefined {
    return this.responseSessions.get(responseId) ?? this.sink.sessionOfResponse(responseId);
  }

  /** A session kx has, kept in memory (most recently used last); undefined if neither memory nor the store has it. */
  private existing(id: string): SessionState | undefined {
    let s = this.sessions.get(id);
    if (s) {
      // Re-insert to keep the map in least-recently-used order.
      this.sessions.delete(id);
      this.sessions.set(id, s);
      return s;
    }
    const resumed = this.sink.resumeState(id);
    if (!resumed) return undefined;
    s = this.fresh(id, resumed);
    this.sessions.set(id, s);
    this.evict();
    return s;
  }

  private fresh(id: string, resumed: SessionResumeState | undefined): SessionState {
    const answers = answerKeysOf(resumed);
    const known = resumed?.dedupKeys ?? new Set<string>();
    for (const key of answers) known.add(key);
    return {
      id,
      known,
      answers,
      itemSeq: resumed?.maxItemSeq ?? 0,
      turnSeq: resumed?.maxTurnSeq ?? 0,
      turnId: resumed?.lastTurnId,
      clientTurnId: undefined,
      counts: resumed ? OrdinalCounter.fromKeys(resumed.dedupKeys) : new OrdinalCounter(),
      lastOp: undefined,
      inFlight: 0,
    };
  }

  private state(id: string, source: SessionSource, req: BeginRequest): SessionState {
    const found = this.existing(id);
    if (found) return found;
    const s = this.fresh(id, undefined);
    const cwd = cwdOfInput(req.request.input, req.prefilledContext === true);
    this.enqueue(s, {
      op: 'session',
      rec: {
        id,
        identifiedBy: source,
        ...(req.client ? { client: req.client } : {}),
        ...(req.userAgent ? { userAgent: req.userAgent } : {}),
        ...(cwd ? { cwd } : {}),
        startedAt: req.startedAtIso,
      },
    });
    this.sessions.set(id, s);
    this.evict();
    return s;
  }

  /**
   * Forgets the least recently used sessions past the bound, but only those the store already has:
   * one whose ops still wait in the store's queue (the database refusing writes) would be resumed
   * from a database that lacks them, and be started again with clashing turns and lines.
   * One still waiting goes to the back of the line; a few are tried per call, so this stays cheap.
   * Not a plain LRU (an entry may refuse to go), so not lru-cache: its eviction cannot say no.
   */
  private evict(): void {
    for (let tries = 0; this.sessions.size > MAX_SESSIONS_IN_MEMORY && tries < 8; tries++) {
      const oldest = this.sessions.entries().next().value;
      if (!oldest) return;
      const [id, st] = oldest;
      this.sessions.delete(id);
      const stored = st.inFlight === 0 && (st.lastOp === undefined || (this.sink.settled?.(st.lastOp) ?? true));
      if (!stored) this.sessions.set(id, st);
    }
  }

  private enqueue(s: SessionState | undefined, op: StoreOp): void {
    const ticket = this.sink.enqueue(op);
    if (s && typeof ticket === 'number') s.lastOp = ticket;
  }

  private startTurn(s: SessionState, at: string, clientTurnId: string | undefined): void {
    // A new human message closes the previous turn only if nothing else did: one already completed
    // keeps its own end, and one a crash left interrupted (resumed from the store) stays interrupted.
    if (s.turnId) this.enqueue(s, { op: 'turn-status', rec: { turnId: s.turnId, sessionId: s.id, status: 'completed', endedAt: at, onlyIfOpen: true } });
    s.turnSeq++;
    s.turnId = newId('t');
    s.clientTurnId = clientTurnId;
    this.enqueue(s, {
      op: 'turn',
      rec: { id: s.turnId, sessionId: s.id, seq: s.turnSeq, ...(clientTurnId ? { clientTurnId } : {}), startedAt: at },
    });
  }

  /** `turnId` is the turn of the request the item came with: concurrent requests may each have their own. */
  private itemRecord(s: SessionState, item: ParsedItem, key: string, turnId: string | undefined, requestId: string, direction: 'input' | 'output', at: string): ItemRecord {
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
    if (turnId) rec.turnId = turnId;
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
    // Background work (Codex memories, sub-agent helpers, other clients' titles and summaries) and compaction never start a human turn.
    const background = isBackgroundSubagent(meta.subagent) || req.background === true;
    const mayStartTurn = !background && meta.requestKind !== 'compaction' && meta.requestKind !== 'prewarm';
    const counts = req.prefixCounts?.clone() ?? (meta.previousResponseId ? s.counts.clone() : new OrdinalCounter());
    const { input, keys } = classifyInput(req, counts, s.known);
    // Only a user message an assistant message follows can be a prefilled preamble resent.
    let lastAnswer = -1;
    if (req.prefilledContext) input.forEach((item, i) => item.kind === 'assistant_message' && (lastAnswer = i));
    // A client's background call belongs to no turn: its output never joins a turn's record or insight.
    const turnOf = (): string | undefined => (req.background ? undefined : s.turnId);
    const records: ItemRecord[] = [];
    input.forEach((item, i) => {
      if (storedBefore(s.known, item, keys[i]!, i < lastAnswer)) return;
      const at = req.inputTimes?.[i] ?? req.startedAtIso;
      if (item.kind === 'human_message' && mayStartTurn) this.startTurn(s, at, meta.turnId);
      records.push(this.itemRecord(s, item, keys[i]!, turnOf(), requestId, 'input', at));
    });
    s.counts = counts;
    const requestKind = background ? 'background' : meta.requestKind ?? (req.request.generate ? undefined : 'prewarm');
    s.inFlight++;
    const turnId = turnOf();
    this.enqueue(s, {
      op: 'request',
      rec: {
        id: requestId,
        sessionId,
        ...(turnId ? { turnId } : {}),
        ...requestFacts(req),
        ...(requestKind ? { requestKind } : {}),
        newItems: records.length,
        skippedItems: req.skippedItems + (input.length - records.length),
        parseErrors: 0,
      },
    });
    for (const rec of records) this.enqueue(s, { op: 'item', rec });
    return { requestId, sessionId, turnId, startedAtIso: req.startedAtIso, counts };
  }

  finishRequest(
    ctx: RequestContext,
    summary: ResponseSummary,
    facts: {
      statusCode?: number;
      firstByteMs?: number;
      durationMs: number;
      endedAtIso: string;
      outcome?: Outcome;
      /** When each output item happened, where a transcript says (`kx import`); else `endedAtIso`. */
      outputTimes?: readonly string[];
    },
  ): void {
    const s = this.sessions.get(ctx.sessionId);
    if (summary.responseId) {
      this.responseSessions.set(summary.responseId, ctx.sessionId);
    }
    if (s) {
      summary.output.forEach((item, i) => {
        const key = s.counts.keyFor(item);
        s.answers.add(key);
        for (const alias of aliasKeys(item)) {
          s.answers.add(alias);
          s.known.add(alias);
        }
        if (s.known.has(key)) return;
        const at = facts.outputTimes?.[i] ?? facts.endedAtIso;
        this.enqueue(s, { op: 'item', rec: this.itemRecord(s, item, key, ctx.turnId, ctx.requestId, 'output', at) });
      });
    }
    if (s) s.inFlight = Math.max(0, s.inFlight - 1);
    const outcome: Outcome = facts.outcome ?? (summary.status === 'in_progress' ? 'cut' : summary.status);
    this.enqueue(s, {
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
      this.enqueue(s, { op: 'turn-status', rec: { turnId: ctx.turnId, sessionId: ctx.sessionId, status, endedAt: facts.endedAtIso } });
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

/** The request record's facts that come straight from the request. */
function requestFacts(req: BeginRequest) {
  const meta = req.request.meta;
  return {
    transport: req.transport,
    api: req.request.api,
    method: req.method,
    path: redactPath(req.path),
    ...(req.upstream ? { upstream: req.upstream } : {}),
    ...(req.request.model ? { model: req.request.model } : {}),
    startedAt: req.startedAtIso,
    ...(meta.previousResponseId ? { previousResponseId: meta.previousResponseId } : {}),
  };
}

/**
 * A turn's status after its latest request: done when the model answers without asking for a tool,
 * open while tools run, failed when the upstream failed it (a retry that succeeds sets it again),
 * interrupted when the client went away.
 */
export function turnStatusAfter(outcome: Outcome, askedForTool: boolean): TurnStatus['status'] {
  if (outcome === 'completed') return askedForTool ? 'open' : 'completed';
  // The client got its answer; only kx could not read it (the request says why).
  if (outcome === 'undecodable') return 'completed';
  if (outcome === 'aborted') return 'interrupted';
  return 'failed';
}
