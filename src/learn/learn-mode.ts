// Learn mode: before a new human message goes upstream, ask the rewrite model what past sessions
// of the project add to it, hold the turn while the human decides, then send exactly what they
// approved. Every later request of the thread gets the approved text again (Codex resends its own
// original; docs/protocol.md §6), so the model never sees both versions. A session's first message is
// considered like any other, from the project its request names (src/capture/project.ts), and carries
// the KX_INJECT context on its card: the human approves both or neither. Texts are shown and kept
// redacted; a marker in an approved text is rebuilt from the human's own secret (secret-spans.ts).
// The agent is never stuck: a failed or slow rewrite, a timeout, a switch to capture, or kx's own
// error sends the original.

import { createHash } from 'node:crypto';
import type { HookRequestWithFacts } from '../capture/hook-facts.js';
import { newId } from '../capture/ids.js';
import { redact } from '../capture/redact.js';
import { applyEdits, jsonSpan, type ByteEdit } from '../protocol/json-span.js';
import type { HookDecision, RewriteNote } from '../proxy/request-hook.js';
import type { ApprovalStatus, DecisionBody } from '../contracts/learn.js';
import type { ApprovalRecord, ApprovalStore } from '../store/approval-store.js';
import { writeDecision } from '../store/augmented-turns.js';
import type { LiveEvents } from '../store/live-events.js';
import type { LearnContextSource } from './context-source.js';
import { chatHumanMessagesOf, humanMessagesOf, newChatHumanMessage, newHumanMessage, type HumanMessageRef, type Json } from './human-turn.js';
import { contextMessage, contextMessageItem, estimateTokens } from './context-injection.js';
import type { ModeBook } from './modes.js';
import type { RewriteModel, RewriteOutput } from './rewrite-model.js';
import { restoreSecrets } from './secret-spans.js';
import { wordDiff } from './word-diff.js';

export interface LearnSettings {
  /** `when-changed` holds only turns the model added something to; `always` holds every turn. */
  hold: 'when-changed' | 'always';
  approvalTimeoutMs: number;
  rewriteTimeoutMs: number;
  inject: 'off' | 'first-turn';
  injectMaxTokens: number;
}

export interface LearnDeps {
  store: ApprovalStore;
  /** The folder of a session's files, as the store recorded it. */
  sessionDir: (sessionId: string) => string;
  live: LiveEvents;
  context: LearnContextSource;
  model: RewriteModel;
  modes: ModeBook;
  settings: LearnSettings;
  log?: (line: Record<string, unknown>) => void;
}

export type HumanDecision = DecisionBody;

interface Settlement {
  decision: ApprovalStatus;
  /** What goes upstream; null when nothing does (cancelled). */
  finalText: string | null;
  /** Why, when kx decided (released by a switch to capture). */
  reason?: string;
}

/** What a considered turn sends: its text, and the context (KX_INJECT) approved with it. */
interface TurnOutcome {
  finalText: string | null;
  approvalId: string;
  context: string | null;
}

interface Pending {
  record: ApprovalRecord;
  waiters: number;
  settled: Promise<Settlement>;
  resolve: (s: Settlement) => void;
  timer: NodeJS.Timeout;
  /** When the hold gives up and sends the original (KX_APPROVAL_TIMEOUT_SECONDS after it began). */
  expiresAt: string;
}

interface StickyRewrite {
  originalHash: string;
  text: string;
  approvalId: string;
  original: string;
  /** True when `text` came back from the store, secrets redacted: rebuilt from the resent original. */
  redacted?: boolean;
}

const MAX_SESSIONS = 2000;
/** The context goes with the first message only when the human said yes to the card that showed it. */
const approvedContext = (decision: ApprovalStatus, context: string | null): string | null => (decision === 'accepted' || decision === 'edited' ? context : null);
const turnKeyOf = (sessionId: string, ref: HumanMessageRef): string =>
  createHash('sha256').update(`${sessionId}\u0000${ref.ordinal}\u0000${ref.textHash}`).digest('hex').slice(0, 32);

/** Map.set that keeps the map bounded, oldest first out. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_SESSIONS) map.delete(map.keys().next().value as K);
}

export class LearnMode {
  private readonly pending = new Map<string, Pending>();
  private readonly pendingByTurn = new Map<string, string>();
  private readonly sticky = new Map<string, Map<number, StickyRewrite>>();
  /** Human messages each session's conversation holds so far, to number those of a delta frame. */
  private readonly humanCounts = new Map<string, number>();
  /** Gaps open when a session's learn mode began: when all are resolved, its learn mode ends. */
  private readonly startingGaps = new Map<string, string[]>();
  /** The developer message injected at each session's start, re-sent in place with every full history. */
  private readonly injections = new Map<string, Record<string, unknown> | null>();
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: LearnDeps) {
    this.log = deps.log ?? (() => {});
    deps.store.cancelPending(new Date().toISOString());
    // Kept redacted: each later request rebuilds the secrets from the original the client resends (reapply).
    for (const a of deps.store.appliedRewrites()) this.remember(a.sessionId, a.ordinal, { originalHash: a.originalHash, text: a.finalText ?? a.original, approvalId: a.id, original: a.original, redacted: true });
    deps.modes.onChange(() => {
      this.releaseNoLongerLearning();
      this.changed();
    });
    deps.live.subscribe((e) => {
      if (e.type === 'gap' && e.status === 'resolved') this.closeLoop();
    });
  }

  /** True while kx must see requests: learn mode somewhere, or rewrites to keep applying. */
  needsHook(): boolean {
    return this.deps.modes.anyLearn() || this.sticky.size > 0;
  }

  onNeedChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private remember(sessionId: string, ordinal: number, rewrite: StickyRewrite): void {
    const had = this.sticky.size;
    const m = this.sticky.get(sessionId) ?? new Map<number, StickyRewrite>();
    m.set(ordinal, rewrite);
    setBounded(this.sticky, sessionId, m);
    if (had === 0) this.changed();
  }

  /** The request hook (after capture/hook-facts.ts added the parsed request and session). */
  readonly hook = async (req: HookRequestWithFacts): Promise<HookDecision> => {
    const sessionId = req.session.id;
    const json = req.json;
    const chat = req.chat;
    const base = !chat && typeof json.previous_response_id === 'string' ? (this.humanCounts.get(sessionId) ?? 0) : 0;
    const { refs, count } = chat ? chatHumanMessagesOf(json, chat.isContext) : humanMessagesOf(json, base);
    if (!chat) setBounded(this.humanCounts, sessionId, base + count);

    const edits: ByteEdit[] = [];
    let note: RewriteNote | undefined;
    const stuck = this.sticky.get(sessionId);
    const replaced = new Set<number>();
    for (const ref of refs) {
      const s = stuck?.get(ref.ordinal);
      if (!s || s.originalHash !== ref.textHash) continue;
      const text = this.approvedText(sessionId, ref, s);
      if (text !== ref.text) edits.push(this.textEdit(req.body, ref, text));
      replaced.add(ref.ordinal);
    }

    const candidate = chat ? newChatHumanMessage(json, chat.background, refs) : newHumanMessage(json, req.parsed.meta, refs);
    if (typeof candidate !== 'string' && !replaced.has(candidate.ordinal)) {
      // A failure here (the context source, the store) must not cost the rewrites already applied above.
      try {
        const outcome = await this.newTurn(req, candidate);
        if (outcome?.finalText === null) return { action: 'forward' }; // the client left; the proxy sends nothing
        if (outcome?.context) this.recordInjection(req, outcome.context);
        if (outcome && outcome.finalText !== candidate.text) {
          edits.push(this.textEdit(req.body, candidate, outcome.finalText));
          note = { originalText: candidate.text, approvalId: outcome.approvalId };
        }
      } catch (err) {
        this.log({ level: 'error', msg: 'learn mode failed on a new turn; sending it unchanged', session: sessionId, error: (err as Error).message });
      }
    }
    // The injected message is a Responses input item; Chat Completions requests get none.
    const injection = chat ? undefined : this.injectionEdit(req.body, json, sessionId, refs);
    if (injection) edits.push(injection);
    if (edits.length === 0) return { action: 'forward' };
    return { action: 'replace', body: applyEdits(req.body, edits), ...(note ? { note } : {}) };
  };

  /**
   * The text an approval sent for this message, again: as kept in memory, or, after a restart, the
   * stored (redacted) text with its secrets rebuilt from the original the client resends. A text that
   * cannot be rebuilt exactly is never sent: the human's own original goes instead, and the log says why.
   */
  private approvedText(sessionId: string, ref: HumanMessageRef, s: StickyRewrite): string {
    if (!s.redacted) return s.text;
    const rebuilt = restoreSecrets(s.text, ref.text);
    if (rebuilt.unresolved === 0 && redact(rebuilt.text) === s.text) {
      s.text = rebuilt.text;
      s.redacted = false;
      return rebuilt.text;
    }
    this.log({
      level: 'warn',
      msg: 'an approved text kept redacted could not be rebuilt from the original the client resent; sending the original for that message',
      session: sessionId,
      approval: s.approvalId,
      unresolved: rebuilt.unresolved,
    });
    s.text = ref.text;
    s.redacted = false;
    return ref.text;
  }

  /** A new human message in learn mode: its decision (held, or at once), or undefined when learn mode is off for it. */
  private async newTurn(req: HookRequestWithFacts, candidate: HumanMessageRef): Promise<TurnOutcome | undefined> {
    const project = req.project.id;
    if (this.deps.modes.modeFor(req.session.id, project) !== 'learn') return undefined;
    const turnKey = turnKeyOf(req.session.id, candidate);
    if (this.deps.store.decidedTurn(turnKey)) return undefined;
    return this.considerTurn(req, candidate, project, turnKey);
  }

  private textEdit(body: Buffer, ref: HumanMessageRef, text: string): ByteEdit {
    const span = jsonSpan(body, ref.path);
    if (!span) throw new Error('human message not found in the body');
    return { ...span, bytes: Buffer.from(JSON.stringify(text)) };
  }

  /** KX_INJECT=first-turn: the context proposed with the session's first human message, shown on its card. */
  private proposedContext(sessionId: string, candidate: HumanMessageRef, project: string): string | null {
    const { inject, injectMaxTokens } = this.deps.settings;
    if (inject !== 'first-turn' || candidate.ordinal !== 0 || candidate.itemIndex < 0) return null;
    if (this.deps.store.injection(sessionId)) return null;
    const essentials = this.deps.context.profileEssentials(project);
    return essentials ? contextMessage(essentials, injectMaxTokens).text : null;
  }

  /** The context the human approved with the first message: recorded once, then in every full history of the session. */
  private recordInjection(req: HookRequestWithFacts, text: string): void {
    if (!this.deps.store.recordInjection(req.session.id, req.project.id, text, estimateTokens(text), new Date().toISOString())) return;
    setBounded(this.injections, req.session.id, contextMessageItem(text));
    this.deps.live.publish({ type: 'session', sessionId: req.session.id });
    this.log({ level: 'info', msg: 'context injected at session start', session: req.session.id, tokens: estimateTokens(text) });
  }

  /** The injected message goes before the first human message of every full history that lacks it. */
  private injectionEdit(body: Buffer, json: Json, sessionId: string, refs: readonly HumanMessageRef[]): ByteEdit | undefined {
    const first = refs.find((r) => r.ordinal === 0 && r.itemIndex >= 0);
    if (!first) return undefined;
    if (!this.injections.has(sessionId)) {
      // After a restart the message comes back from its row, so the history keeps the same prefix.
      const row = this.deps.store.injection(sessionId);
      setBounded(this.injections, sessionId, row ? contextMessageItem(row.text) : null);
    }
    const item = this.injections.get(sessionId);
    if (!item) return undefined;
    const before = (json.input as unknown[])[first.itemIndex - 1];
    if (JSON.stringify(before) === JSON.stringify(item)) return undefined;
    const span = jsonSpan(body, ['input', first.itemIndex]);
    return span ? { start: span.start, end: span.start, bytes: Buffer.from(JSON.stringify(item) + ',') } : undefined;
  }

  private async considerTurn(req: HookRequestWithFacts, ref: HumanMessageRef, project: string, turnKey: string): Promise<TurnOutcome> {
    const joined = this.pendingByTurn.get(turnKey);
    const existing = joined ? this.pending.get(joined) : undefined;
    if (existing) return this.wait(existing, req.signal);

    const ctx = this.deps.context;
    const gaps = ctx.openGaps(project);
    const summaries = ctx.latestSummaries(project, 3);
    const snippets = ctx.search(ref.text, { project, limit: 6, excludeSession: req.session.id });
    if (gaps.length && !this.startingGaps.has(req.session.id)) setBounded(this.startingGaps, req.session.id, gaps.map((g) => g.id));
    const context = req.chat ? null : this.proposedContext(req.session.id, ref, project);
    const base: ApprovalRecord = {
      id: newId('a'),
      sessionId: req.session.id,
      project,
      turnKey,
      ordinal: ref.ordinal,
      originalHash: ref.textHash,
      clientTurnId: req.parsed.meta.turnId ?? null,
      transport: req.transport,
      original: ref.text,
      rewrite: null,
      finalText: null,
      decision: 'pending',
      reason: null,
      gaps: [],
      snippets: [],
      context,
      createdAt: new Date().toISOString(),
      decidedAt: null,
    };

    let out: RewriteOutput;
    if (!gaps.length && !summaries.length && !snippets.length) {
      out = { rewritten: ref.text, added_anything: false, gap_ids: [], snippet_refs: [], reason: 'No past learnings for this project yet.' };
    } else {
      const tooSlow = AbortSignal.timeout(this.deps.settings.rewriteTimeoutMs);
      try {
        // Redacted like the insight call's input: a key pasted into the message never leaves for the rewrite model.
        out = await this.deps.model.rewrite({ sessionId: req.session.id, original: redact(ref.text), project, gaps, summaries, snippets }, AbortSignal.any([req.signal, tooSlow]));
      } catch (err) {
        if (req.signal.aborted) return this.record({ ...base, decision: 'cancelled' }, null, base.id);
        const reason = `rewrite failed: ${tooSlow.aborted ? `no answer within ${this.deps.settings.rewriteTimeoutMs / 1000} s` : (err as Error).message}`;
        this.log({ level: 'warn', msg: context ? 'learn mode holds the original with its context' : 'learn mode sent the original', session: req.session.id, reason });
        // The context still waits for the human's yes; without it the original goes at once.
        if (context) return this.hold({ ...base, rewrite: redact(ref.text), reason }, req.signal);
        return this.record({ ...base, decision: 'failed', reason }, ref.text, base.id);
      }
    }
    const gapById = new Map(gaps.map((g) => [g.id, g]));
    // A summary is cited as `summary:<session>` (prompts/rewrite.md): kept like a snippet, its title as the text.
    const snippetByRef = new Map([...summaries.map((s) => [`summary:${s.sessionId}`, { ref: `summary:${s.sessionId}`, text: s.title }] as const), ...snippets.map((s) => [s.ref, s] as const)]);
    const rec: ApprovalRecord = {
      ...base,
      rewrite: out.rewritten,
      reason: out.reason,
      // Only what was given may be cited: a model's invented id is dropped.
      gaps: out.gap_ids.filter((id) => gapById.has(id)).map((id) => ({ gapId: id, topic: gapById.get(id)!.topic })),
      snippets: out.snippet_refs.filter((r) => snippetByRef.has(r)).map((r) => snippetByRef.get(r)!),
    };
    // The model saw the redacted message, so its rewrite is compared (and shown) redacted too.
    const shownOriginal = redact(ref.text);
    const changed = out.added_anything && out.rewritten.trim() !== '' && out.rewritten !== shownOriginal;
    // Context to inject is a change the human approves like a rewrite (KX_LEARN_HOLD=when-changed).
    if (!changed && !context && this.deps.settings.hold === 'when-changed') return this.record({ ...rec, rewrite: shownOriginal, decision: 'nothing_to_add' }, ref.text, rec.id);
    if (!changed) rec.rewrite = shownOriginal;
    if (req.signal.aborted) return this.record({ ...rec, decision: 'cancelled' }, null, rec.id);
    return this.hold(rec, req.signal);
  }

  private hold(rec: ApprovalRecord, signal: AbortSignal): Promise<TurnOutcome> {
    let resolve!: (s: Settlement) => void;
    const settled = new Promise<Settlement>((r) => (resolve = r));
    const timer = setTimeout(() => this.settle(rec.id, { decision: 'timed_out', finalText: rec.original }), this.deps.settings.approvalTimeoutMs);
    const expiresAt = new Date(Date.now() + this.deps.settings.approvalTimeoutMs).toISOString();
    const p: Pending = { record: rec, waiters: 0, settled, resolve, timer, expiresAt };
    this.pending.set(rec.id, p);
    this.pendingByTurn.set(rec.turnKey, rec.id);
    this.deps.store.insert(this.forStorage(rec));
    this.deps.live.publish({ type: 'approval', approvalId: rec.id, sessionId: rec.sessionId, status: 'pending' });
    this.log({ level: 'info', msg: 'turn waiting for approval', approval: rec.id, session: rec.sessionId });
    return this.wait(p, signal);
  }

  /** One request waiting on an approval; a byte-identical retry is a second waiter on the same one. */
  private async wait(p: Pending, signal: AbortSignal): Promise<TurnOutcome> {
    p.waiters++;
    const left = new Promise<'left'>((r) => {
      if (signal.aborted) r('left');
      else signal.addEventListener('abort', () => r('left'), { once: true });
    });
    const s = await Promise.race([p.settled, left]);
    p.waiters--;
    if (s === 'left') {
      // The last client waiting on it hung up: nothing goes upstream, and nobody can use a decision now.
      if (p.waiters === 0) this.settle(p.record.id, { decision: 'cancelled', finalText: null });
      return { finalText: null, approvalId: p.record.id, context: null };
    }
    return { finalText: s.finalText, approvalId: p.record.id, context: approvedContext(s.decision, p.record.context) };
  }

  private settle(id: string, s: Settlement): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.pendingByTurn.delete(p.record.turnKey);
    clearTimeout(p.timer);
    const now = new Date().toISOString();
    const rec: ApprovalRecord = { ...p.record, decision: s.decision, finalText: s.finalText, decidedAt: now, ...(s.reason ? { reason: s.reason } : {}) };
    this.deps.store.settle(id, s.decision, s.finalText === null ? null : redact(s.finalText), now, s.reason);
    this.afterDecision(rec);
    p.resolve(s);
  }

  /** Records a turn decided without a hold (nothing to add, failed, cancelled before the hold). */
  private record(rec: ApprovalRecord, finalText: string | null, approvalId: string): TurnOutcome {
    const done: ApprovalRecord = { ...rec, finalText, decidedAt: new Date().toISOString() };
    this.deps.store.insert(this.forStorage(done));
    this.afterDecision(done);
    return { finalText, approvalId, context: null };
  }

  private afterDecision(rec: ApprovalRecord): void {
    if ((rec.decision === 'accepted' || rec.decision === 'edited') && rec.finalText !== null) {
      this.remember(rec.sessionId, rec.ordinal, { originalHash: rec.originalHash, text: rec.finalText, approvalId: rec.id, original: rec.original });
    }
    try {
      const stored = this.forStorage(rec);
      writeDecision(this.deps.sessionDir(stored.sessionId), stored, wordDiff(stored.original, stored.rewrite ?? stored.original), `Turn ${rec.ordinal + 1}`);
    } catch (err) {
      this.log({ level: 'error', msg: 'could not write augmented_turns.md', error: (err as Error).message });
    }
    this.deps.live.publish({ type: 'approval', approvalId: rec.id, sessionId: rec.sessionId, status: rec.decision });
  }

  /** Texts as they are kept on disk: redacted like every captured text. */
  private forStorage(rec: ApprovalRecord): ApprovalRecord {
    return {
      ...rec,
      original: redact(rec.original),
      rewrite: rec.rewrite === null ? null : redact(rec.rewrite),
      finalText: rec.finalText === null ? null : redact(rec.finalText),
      context: rec.context === null ? null : redact(rec.context),
      snippets: rec.snippets.map((s) => ({ ref: s.ref, text: redact(s.text) })),
    };
  }

  /** When a waiting turn times out and its original is sent; undefined once it is decided. */
  expiresAt(id: string): string | undefined {
    return this.pending.get(id)?.expiresAt;
  }

  /** The human's decision (API, `kx approve`). */
  decide(id: string, d: HumanDecision): ApprovalRecord | 'not_found' | 'decided' {
    const p = this.pending.get(id);
    if (!p) return this.deps.store.get(id) ? 'decided' : 'not_found';
    const original = p.record.original;
    // One rule for accept and edit alike: the card shows texts redacted, and a marker in what the human
    // sends back stands for the secret of their own message it replaced (secret-spans.ts).
    const approved = (text: string): string => {
      const r = restoreSecrets(text, original);
      if (r.unresolved) this.log({ level: 'warn', msg: 'a redaction marker in an approved text matches no single secret of the original; sent as shown', approval: id, unresolved: r.unresolved });
      return r.text;
    };
    const s: Settlement =
      d.decision === 'accept'
        ? { decision: 'accepted', finalText: approved(p.record.rewrite ?? redact(original)) }
        : d.decision === 'edit'
          ? { decision: 'edited', finalText: approved(d.text) }
          : { decision: 'rejected', finalText: original };
    this.settle(id, s);
    return this.deps.store.get(id)!;
  }

  /** Held turns whose session is no longer in learn mode (switched to capture) go on at once, as typed. */
  private releaseNoLongerLearning(): void {
    for (const [id, p] of [...this.pending]) {
      if (this.deps.modes.modeFor(p.record.sessionId, p.record.project ?? undefined) === 'learn') continue;
      this.log({ level: 'info', msg: 'learn mode switched off: the held turn goes on unchanged', approval: id, session: p.record.sessionId });
      this.settle(id, { decision: 'released', finalText: p.record.original, reason: 'Learn mode was switched off while the turn waited; the original was sent.' });
    }
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** Ends learn mode for each session whose starting gaps are all resolved now. */
  private closeLoop(): void {
    for (const [sessionId, ids] of this.startingGaps) {
      const status = this.deps.context.gapStatus(ids);
      if (ids.every((id) => status.get(id) === 'resolved')) {
        this.startingGaps.delete(sessionId);
        this.log({ level: 'info', msg: 'every gap the session started with is resolved: learn mode ends for it', session: sessionId });
        this.deps.modes.set('session', sessionId, 'capture');
      }
    }
  }

  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { decision: 'cancelled', finalText: null });
  }
}

