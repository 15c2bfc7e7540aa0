// Learn mode: before a new human message goes upstream, ask the rewrite model what past sessions
// of the project add to it, hold the turn while the human decides, then send exactly what they
// approved. Every later request of the thread gets the approved text again (Codex resends its own
// original; docs/protocol.md §6), so the model never sees both versions. The agent is never stuck:
// a failed or slow rewrite, a timeout, or kx's own error sends the original.

import { createHash } from 'node:crypto';
import type { HookRequestWithFacts } from '../capture/hook-facts.js';
import { newId } from '../capture/ids.js';
import { redact } from '../capture/redact.js';
import { applyEdits, jsonSpan, type ByteEdit } from '../protocol/json-span.js';
import type { HookDecision, RewriteNote } from '../proxy/request-hook.js';
import type { ApprovalDecision, ApprovalRecord, ApprovalStore } from '../store/approval-store.js';
import { writeDecision } from '../store/augmented-turns.js';
import type { LiveEvents } from '../store/live-events.js';
import type { LearnContextSource } from './context-source.js';
import { humanMessagesOf, newHumanMessage, type HumanMessageRef, type Json } from './human-turn.js';
import { contextMessage, contextMessageItem } from './context-injection.js';
import type { ModeBook } from './modes.js';
import type { RewriteModel, RewriteOutput } from './rewrite-model.js';
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

export type HumanDecision = { decision: 'accept' } | { decision: 'edit'; text: string } | { decision: 'reject' };

interface Settlement {
  decision: ApprovalDecision;
  /** What goes upstream; null when nothing does (cancelled). */
  finalText: string | null;
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
}

const MAX_SESSIONS = 2000;
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
    for (const a of deps.store.appliedRewrites()) this.remember(a.sessionId, a.ordinal, { originalHash: a.originalHash, text: a.finalText ?? a.original, approvalId: a.id, original: a.original });
    deps.modes.onChange(() => this.changed());
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
    const base = typeof json.previous_response_id === 'string' ? (this.humanCounts.get(sessionId) ?? 0) : 0;
    const { refs, count } = humanMessagesOf(json, base);
    setBounded(this.humanCounts, sessionId, base + count);

    const edits: ByteEdit[] = [];
    let note: RewriteNote | undefined;
    const stuck = this.sticky.get(sessionId);
    const replaced = new Set<number>();
    for (const ref of refs) {
      const s = stuck?.get(ref.ordinal);
      if (s && s.originalHash === ref.textHash && s.text !== ref.text) {
        edits.push(this.textEdit(req.body, ref, s.text));
        replaced.add(ref.ordinal);
      }
    }

    const candidate = newHumanMessage(json, req.parsed.meta, refs);
    if (typeof candidate !== 'string' && !replaced.has(candidate.ordinal)) {
      // A failure here (the context source, the store) must not cost the rewrites already applied above.
      try {
        const outcome = await this.newTurn(req, candidate);
        if (outcome?.finalText === null) return { action: 'forward' }; // the client left; the proxy sends nothing
        if (outcome && outcome.finalText !== candidate.text) {
          edits.push(this.textEdit(req.body, candidate, outcome.finalText));
          note = { originalText: candidate.text, approvalId: outcome.approvalId };
        }
      } catch (err) {
        this.log({ level: 'error', msg: 'learn mode failed on a new turn; sending it unchanged', session: sessionId, error: (err as Error).message });
      }
    }
    const injection = this.injectionEdit(req.body, json, sessionId, refs);
    if (injection) edits.push(injection);
    if (edits.length === 0) return { action: 'forward' };
    return { action: 'replace', body: applyEdits(req.body, edits), ...(note ? { note } : {}) };
  };

  /** A new human message in learn mode: its decision (held, or at once), or undefined when learn mode is off for it. */
  private async newTurn(req: HookRequestWithFacts, candidate: HumanMessageRef): Promise<{ finalText: string | null; approvalId: string } | undefined> {
    const project = this.deps.context.projectOf(req.session.id);
    if (this.deps.modes.modeFor(req.session.id, project) !== 'learn') return undefined;
    const turnKey = turnKeyOf(req.session.id, candidate);
    const outcome = this.deps.store.decidedTurn(turnKey) ? undefined : await this.considerTurn(req, candidate, project, turnKey);
    this.recordInjection(req, candidate, project);
    return outcome;
  }

  private textEdit(body: Buffer, ref: HumanMessageRef, text: string): ByteEdit {
    const span = jsonSpan(body, ref.path);
    if (!span) throw new Error('human message not found in the body');
    return { ...span, bytes: Buffer.from(JSON.stringify(text)) };
  }

  /** KX_INJECT=first-turn: the project's essentials, decided once, at the session's first human message. */
  private recordInjection(req: HookRequestWithFacts, candidate: HumanMessageRef, project: string | undefined): void {
    const { inject, injectMaxTokens } = this.deps.settings;
    if (inject !== 'first-turn' || candidate.ordinal !== 0 || candidate.itemIndex < 0 || project === undefined) return;
    const essentials = this.deps.context.profileEssentials(project);
    if (!essentials) return;
    const msg = contextMessage(essentials, injectMaxTokens);
    if (!this.deps.store.recordInjection(req.session.id, project, msg.text, msg.tokens, new Date().toISOString())) return;
    setBounded(this.injections, req.session.id, msg.item);
    this.deps.live.publish({ type: 'session', sessionId: req.session.id });
    this.log({ level: 'info', msg: 'context injected at session start', session: req.session.id, tokens: msg.tokens });
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

  private async considerTurn(
    req: HookRequestWithFacts,
    ref: HumanMessageRef,
    project: string | undefined,
    turnKey: string,
  ): Promise<{ finalText: string | null; approvalId: string }> {
    const joined = this.pendingByTurn.get(turnKey);
    const existing = joined ? this.pending.get(joined) : undefined;
    if (existing) return this.wait(existing, req.signal);

    const ctx = this.deps.context;
    const gaps = project ? ctx.openGaps(project) : [];
    const summaries = project ? ctx.latestSummaries(project, 3) : [];
    const snippets = project ? ctx.search(ref.text, { project, limit: 6, excludeSession: req.session.id }) : [];
    if (project && gaps.length && !this.startingGaps.has(req.session.id)) setBounded(this.startingGaps, req.session.id, gaps.map((g) => g.id));
    const base: ApprovalRecord = {
      id: newId('a'),
      sessionId: req.session.id,
      project: project ?? null,
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
      createdAt: new Date().toISOString(),
      decidedAt: null,
    };

    let out: RewriteOutput;
    if (!gaps.length && !summaries.length && !snippets.length) {
      out = { rewritten: ref.text, added_anything: false, gap_ids: [], snippet_refs: [], reason: 'No past learnings for this project yet.' };
    } else {
      const tooSlow = AbortSignal.timeout(this.deps.settings.rewriteTimeoutMs);
      try {
        out = await this.deps.model.rewrite({ sessionId: req.session.id, original: ref.text, project: project!, gaps, summaries, snippets }, AbortSignal.any([req.signal, tooSlow]));
      } catch (err) {
        if (req.signal.aborted) return this.record({ ...base, decision: 'cancelled' }, null, base.id);
        const reason = `rewrite failed: ${tooSlow.aborted ? `no answer within ${this.deps.settings.rewriteTimeoutMs / 1000} s` : (err as Error).message}`;
        this.log({ level: 'warn', msg: 'learn mode sent the original', session: req.session.id, reason });
        return this.record({ ...base, decision: 'failed', reason }, ref.text, base.id);
      }
    }
    const gapById = new Map(gaps.map((g) => [g.id, g]));
    const snippetByRef = new Map(snippets.map((s) => [s.ref, s]));
    const rec: ApprovalRecord = {
      ...base,
      rewrite: out.rewritten,
      reason: out.reason,
      // Only what was given may be cited: a model's invented id is dropped.
      gaps: out.gap_ids.filter((id) => gapById.has(id)).map((id) => ({ gapId: id, topic: gapById.get(id)!.topic })),
      snippets: out.snippet_refs.filter((r) => snippetByRef.has(r)).map((r) => snippetByRef.get(r)!),
    };
    const changed = out.added_anything && out.rewritten.trim() !== '' && out.rewritten !== ref.text;
    if (!changed && this.deps.settings.hold === 'when-changed') return this.record({ ...rec, rewrite: ref.text, decision: 'nothing_to_add' }, ref.text, rec.id);
    if (!changed) rec.rewrite = ref.text;
    if (req.signal.aborted) return this.record({ ...rec, decision: 'cancelled' }, null, rec.id);
    return this.hold(rec, req.signal);
  }

  private hold(rec: ApprovalRecord, signal: AbortSignal): Promise<{ finalText: string | null; approvalId: string }> {
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
  private async wait(p: Pending, signal: AbortSignal): Promise<{ finalText: string | null; approvalId: string }> {
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
      return { finalText: null, approvalId: p.record.id };
    }
    return { finalText: s.finalText, approvalId: p.record.id };
  }

  private settle(id: string, s: Settlement): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.pendingByTurn.delete(p.record.turnKey);
    clearTimeout(p.timer);
    const now = new Date().toISOString();
    const rec: ApprovalRecord = { ...p.record, decision: s.decision, finalText: s.finalText, decidedAt: now };
    this.deps.store.settle(id, s.decision, s.finalText === null ? null : redact(s.finalText), now);
    this.afterDecision(rec);
    p.resolve(s);
  }

  /** Records a turn decided without a hold (nothing to add, failed, cancelled before the hold). */
  private record(rec: ApprovalRecord, finalText: string | null, approvalId: string): { finalText: string | null; approvalId: string } {
    const done: ApprovalRecord = { ...rec, finalText, decidedAt: new Date().toISOString() };
    this.deps.store.insert(this.forStorage(done));
    this.afterDecision(done);
    return { finalText, approvalId };
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
    const rewrite = p.record.rewrite ?? p.record.original;
    const s: Settlement =
      d.decision === 'accept'
        ? { decision: 'accepted', finalText: rewrite }
        : d.decision === 'edit'
          ? { decision: 'edited', finalText: d.text }
          : { decision: 'rejected', finalText: p.record.original };
    this.settle(id, s);
    return this.deps.store.get(id)!;
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

