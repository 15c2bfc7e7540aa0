// Replays one rollout through the same SessionTracker live capture uses, as the model calls Codex
// made: the items Codex added since the last answer are a request's input, the items the model
// produced are its output, and a `token_usage_record` (or the next input) ends the call. So turns
// start at a human message, dedup keys are the ones live capture makes for the same items, and a
// session continued through kx later joins this history instead of repeating it.

import type { OrdinalCounter } from '../capture/dedup-key.js';
import { SessionTracker, type StoreSink } from '../capture/session-tracker.js';
import type { ItemKind, ParsedItem, Usage } from '../protocol/items.js';
import type { StoreOp } from '../store/records.js';
import type { SessionResumeState } from '../store/session-reader.js';
import type { RolloutLine } from './rollout-line.js';

/** What the model produces; everything else in a rollout is what Codex sent it. */
const MODEL_OUTPUT: ReadonlySet<ItemKind> = new Set(['assistant_message', 'reasoning', 'tool_call', 'compaction']);

export interface ReplayStore {
  enqueue(op: StoreOp): void;
  resumeState(sessionId: string): SessionResumeState | undefined;
  sessionOfResponse(responseId: string): string | undefined;
}

/**
 * Holds one model call's ops until the call is done, then hands them on only if they add something:
 * importing a rollout twice (or one kx recorded live) leaves no empty requests behind.
 */
class CallBuffer implements StoreSink {
  private ops: StoreOp[] = [];
  /** The session's own start (session_meta), which the tracker would otherwise take from its first call. */
  sessionStartedAt: string | undefined;

  constructor(
    private readonly store: ReplayStore,
    private readonly importedFrom: string,
  ) {}

  enqueue(op: StoreOp): void {
    if (op.op !== 'session') return void this.ops.push(op);
    this.ops.push({ op: 'session', rec: { ...op.rec, startedAt: this.sessionStartedAt ?? op.rec.startedAt, importedFrom: this.importedFrom } });
  }

  resumeState(sessionId: string): SessionResumeState | undefined {
    return this.store.resumeState(sessionId);
  }

  sessionOfResponse(responseId: string): string | undefined {
    return this.store.sessionOfResponse(responseId);
  }

  settle(): { turnIds: string[]; items: number; requests: number } {
    const ops = this.ops;
    this.ops = [];
    const turnIds = ops.flatMap((o) => (o.op === 'turn' ? [o.rec.id] : []));
    const items = ops.reduce((n, o) => n + (o.op === 'item' ? 1 : 0), 0);
    if (items === 0 && turnIds.length === 0 && !ops.some((o) => o.op === 'session')) return { turnIds, items, requests: 0 };
    for (const op of ops) this.store.enqueue(op);
    return { turnIds, items, requests: ops.reduce((n, o) => n + (o.op === 'request' ? 1 : 0), 0) };
  }
}

export interface ReplayedSession {
  sessionId: string;
  file: string;
  startedAt: string;
  /** The working directory Codex ran in (session_meta, then the latest turn_context). */
  cwd: string | undefined;
  /** Turns this import added, in order (none when the store had them all). */
  newTurnIds: string[];
  itemsAdded: number;
  requestsAdded: number;
  /** Response items read (new or already stored). */
  itemsRead: number;
  lines: number;
  /** Lines of a shape the import does not understand, by reason (older rollouts, malformed lines). */
  skipped: Record<string, number>;
  /** Lines of types the import does not need (event_msg, world_state, ...). */
  ignored: number;
  /** Lines whose timestamp was not a date, given the time of the dated line before them (or of the file's name). */
  timestampsRepaired: number;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** A rollout's own time as kx stores it (ISO 8601, UTC), or undefined when it is not a date. */
export function rolloutTime(at: string): string | undefined {
  if (ISO_UTC.test(at)) return Number.isNaN(Date.parse(at)) ? undefined : at;
  const ms = at.trim() ? Date.parse(at) : NaN;
  if (Number.isNaN(ms)) return undefined;
  // Years past 9999 ("+010000-…") would sort wrong as text: not a date a rollout means.
  const iso = new Date(ms).toISOString();
  return ISO_UTC.test(iso) ? iso : undefined;
}

/** The time in `rollout-2026-11-24T10-00-00-….jsonl`, the repair for a first line without a date. */
function timeOfFileName(file: string): string | undefined {
  const m = /rollout-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(file);
  return m ? rolloutTime(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined;
}

interface PendingCall {
  input: ParsedItem[];
  inputTimes: string[];
  output: ParsedItem[];
  outputTimes: string[];
}

const emptyCall = (): PendingCall => ({ input: [], inputTimes: [], output: [], outputTimes: [] });

export class RolloutReplay {
  private readonly buffer: CallBuffer;
  private readonly tracker: SessionTracker;
  private session: { id: string; startedAt: string; client?: string } | undefined;
  private turnId: string | undefined;
  private model: string | undefined;
  private call = emptyCall();
  /**
   * Items Codex added after the model answered, held while the answered call waits for its usage:
   * Codex before 0.16x writes a call's token_count event after the tool output that follows it.
   */
  private next: Pick<PendingCall, 'input' | 'inputTimes'> = { input: [], inputTimes: [] };
  private counts: OrdinalCounter | undefined;
  /** Whether this rollout writes a call's usage before the call's items (Codex 0.45, 0.58); known at its first token_count. */
  private usageFirst: boolean | undefined;
  /** In such a rollout, the usage of the call whose items come next. */
  private heldUsage: Usage | undefined;
  /** The last good time read (at first, the file name's): a line whose time is missing or not a date happened no earlier. */
  private lastTime: string | undefined;
  readonly result: ReplayedSession;

  /**
   * `idFromFileName`: the thread id in `rollout-<time>-<thread id>.jsonl`, for a rollout without session_meta.
   * `fallbackTime`: the time for lines before any readable time (the file's modification time).
   */
  constructor(
    store: ReplayStore,
    file: string,
    private readonly idFromFileName: string | undefined,
    private readonly fallbackTime: string | undefined = undefined,
  ) {
    this.buffer = new CallBuffer(store, file);
    this.tracker = new SessionTracker(this.buffer);
    this.result = { sessionId: idFromFileName ?? '', file, startedAt: '', cwd: undefined, newTurnIds: [], itemsAdded: 0, requestsAdded: 0, itemsRead: 0, lines: 0, skipped: {}, ignored: 0, timestampsRepaired: 0 };
    this.lastTime = timeOfFileName(file);
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  private skip(reason: string): void {
    this.result.skipped[reason] = (this.result.skipped[reason] ?? 0) + 1;
  }

  /** Counts a line the caller could not feed. */
  skipLine(reason: string): void {
    this.result.lines++;
    this.skip(reason);
  }

  feed(input: RolloutLine): void {
    this.result.lines++;
    const line = this.dated(input);
    if (!line) return this.skip('timestamp not a date, and no dated line before it');
    switch (line.type) {
      case 'session_meta':
        // A forked thread's rollout repeats its parent's session_meta after its own: the first one names the file's thread.
        if (this.session) return void this.result.ignored++;
        this.session = { id: line.sessionId, startedAt: line.startedAt, ...(line.originator ? { client: line.originator } : {}) };
        this.result.sessionId = line.sessionId;
        this.result.startedAt = line.startedAt;
        this.result.cwd = line.cwd;
        this.buffer.sessionStartedAt = line.startedAt;
        return;
      case 'turn_context':
        this.closeAnswered();
        this.turnId = line.turnId ?? this.turnId;
        this.model = line.model ?? this.model;
        if (line.cwd) this.result.cwd = line.cwd;
        return;
      case 'response_item':
        return this.item(line.item, line.at);
      case 'token_usage':
      case 'token_count':
        return this.usage(line);
      case 'ignored':
        this.result.ignored++;
        return;
      case 'skipped':
        return this.skip(line.reason);
    }
  }

  /**
   * A call's usage. Codex 0.16x writes it after the call's items (a token_count after a
   * token_usage_record finds the call already ended). Codex 0.45 and 0.58 wrote a call's items once
   * it was over, after its token_count: the first token_count, arriving before any answer, says so,
   * and from then on each one is held for the answer that follows it.
   */
  private usage(line: Extract<RolloutLine, { type: 'token_usage' | 'token_count' }>): void {
    // A rollout with token_usage_record lines is 0.16x or newer: they come first.
    if (line.type === 'token_usage') this.usageFirst = false;
    else this.usageFirst ??= this.call.output.length === 0 && this.call.input.length > 0;
    if (this.usageFirst && line.type === 'token_count') {
      this.closeAnswered();
      this.heldUsage = line.usage;
      return;
    }
    if (!this.call.output.length) return void this.result.ignored++;
    const endedAt = this.next.input.length ? this.call.outputTimes.at(-1)! : line.at;
    this.endCall(endedAt, line.type === 'token_usage' ? line.responseId : undefined, line.usage);
  }

  /**
   * The line with its times checked: a time that is not a date ("last tuesday", "") would store NaN
   * durations and sort a session first for good, so it takes the time of the dated line before it.
   */
  private dated(line: RolloutLine): RolloutLine | undefined {
    if (!('at' in line)) return line;
    let at = rolloutTime(line.at);
    if (at === undefined) {
      const before = this.lastTime ?? this.fallbackTime;
      if (before === undefined) return undefined;
      at = before;
      this.result.timestampsRepaired++;
    }
    this.lastTime = at;
    if (line.type !== 'session_meta') return { ...line, at };
    return { ...line, at, startedAt: rolloutTime(line.startedAt) ?? at };
  }

  private item(item: ParsedItem, at: string): void {
    if (!this.session) {
      if (!this.idFromFileName) return this.skip('response_item before any session_meta');
      this.session = { id: this.idFromFileName, startedAt: at };
      this.result.startedAt = at;
    }
    this.result.itemsRead++;
    if (MODEL_OUTPUT.has(item.kind)) {
      // The model answers again: the answered call got no usage; the held items are the new call's input.
      if (this.next.input.length) this.closeAnswered();
      this.call.output.push(item);
      this.call.outputTimes.push(at);
      return;
    }
    // Something Codex added after the model answered: the answer's call is over, its usage may follow.
    const into = this.call.output.length ? this.next : this.call;
    into.input.push(item);
    into.inputTimes.push(at);
  }

  /** Ends an answered call (with the usage written before it, if any); the items held after it start the next call. */
  private closeAnswered(): void {
    if (this.call.output.length) this.endCall(this.call.outputTimes.at(-1)!, undefined, this.heldUsage);
    this.heldUsage = undefined;
  }

  /** Closes the call in progress; call at the end of the file. */
  end(): void {
    this.closeAnswered();
    const last = this.call.outputTimes.at(-1) ?? this.call.inputTimes.at(-1);
    if (last) this.endCall(last);
  }

  private endCall(endedAt: string, responseId?: string, usage?: Usage): void {
    const call = this.call;
    this.call = { ...emptyCall(), ...this.next };
    this.next = { input: [], inputTimes: [] };
    const session = this.session;
    if (!session || (call.input.length === 0 && call.output.length === 0)) return;
    const startedAt = call.inputTimes[0] ?? call.outputTimes[0] ?? endedAt;
    // Codex sends the request once its last input is written (a tool's output can come long after
    // another's): the model's time runs from there to its last output, not from the first input.
    const sentAt = call.inputTimes.at(-1) ?? startedAt;
    const modelEnd = call.outputTimes.at(-1) ?? endedAt;
    const ctx = this.tracker.beginRequest({
      transport: 'rollout',
      method: 'IMPORT',
      path: this.result.file,
      startedAtIso: startedAt,
      request: {
        api: 'responses',
        ...(this.model ? { model: this.model } : {}),
        stream: true,
        generate: true,
        input: call.input,
        meta: { sessionId: session.id, ...(this.turnId ? { turnId: this.turnId } : {}), requestKind: 'turn' },
      },
      skippedItems: 0,
      ...(this.counts ? { prefixCounts: this.counts } : {}),
      ...(session.client ? { client: session.client } : {}),
      inputTimes: call.inputTimes,
    });
    this.tracker.finishRequest(
      ctx,
      {
        ...(responseId ? { responseId } : {}),
        status: 'completed',
        output: call.output,
        ...(usage ? { usage } : {}),
        parseErrors: 0,
        unknownEvents: 0,
        events: 0,
      },
      {
        durationMs: Math.max(0, Date.parse(modelEnd) - Date.parse(sentAt)) || 0,
        endedAtIso: endedAt,
        // A call the rollout holds no answer for was cut short (Esc, a crash) or is still running.
        ...(call.output.length === 0 ? { outcome: 'aborted' as const } : {}),
        outputTimes: call.outputTimes,
      },
    );
    this.counts = ctx.counts;
    const added = this.buffer.settle();
    this.result.newTurnIds.push(...added.turnIds);
    this.result.itemsAdded += added.items;
    this.result.requestsAdded += added.requests;
  }
}
