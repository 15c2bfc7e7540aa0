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
import { LRUCache } from 'lru-cache';
import type { HookRequestWithFacts } from '../capture/hook-facts.js';
import { redact } from '../capture/redact.js';
import { applyEdits, type ByteEdit } from '../protocol/json-span.js';
import type { HookDecision, RewriteNote } from '../proxy/request-hook.js';
import type { ApprovalRecord, ApprovalStore } from '../store/approval-store.js';
import type { LiveEvents } from '../store/live-events.js';
import { ApprovalDesk, type HumanDecision, type TurnOutcome } from './approval-desk.js';
import { ResentHistory, textEdit } from './body-edits.js';
import type { LearnContextSource } from './context-source.js';
import { chatHumanMessagesOf, humanMessagesOf, newChatHumanMessage, newHumanMessage, type HumanMessageRef } from './human-turn.js';
import { contextMessage } from './context-injection.js';
import { estimateTokens } from '../text/tokens.js';
import type { ModeBook } from './modes.js';
import { askRewrite, gatherFindings, newApprovalRecord, proposalRecord } from './proposal.js';
import type { RewriteModel } from './rewrite-model.js';


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
  sessionDir: (sessionId: string, firstMessage?: string) => string;
  live: LiveEvents;
  context: LearnContextSource;
  model: RewriteModel;
  modes: ModeBook;
  settings: LearnSettings;
  /**
   * Files a session under the working directory the considered frame names: capture sees the frame
   * only once it is sent, and a session a prewarm frame started would sit under its client meanwhile.
   */
  placeSession?: (sessionId: string, cwd: string) => Promise<void>;
  log?: (line: Record<string, unknown>) => void;
}

const MAX_SESSIONS = 2000;
const turnKeyOf = (sessionId: string, ref: HumanMessageRef): string =>
  createHash('sha256').update(`${sessionId}\u0000${ref.ordinal}\u0000${ref.textHash}`).digest('hex').slice(0, 32);

export class LearnMode {
  private readonly desk: ApprovalDesk;
  private readonly history: ResentHistory;
  /** Human messages each session's conversation holds so far, to number those of a delta frame. */
  private readonly humanCounts = new LRUCache<string, number>({ max: MAX_SESSIONS });
  /** Gaps open when a session's learn mode began: when all are resolved, its learn mode ends. */
  private readonly startingGaps = new LRUCache<string, string[]>({ max: MAX_SESSIONS });
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: LearnDeps) {
    this.log = deps.log ?? (() => {});
    deps.store.cancelPending(new Date().toISOString());
    this.history = new ResentHistory({ store: deps.store, onFirstRewrite: () => this.changed(), log: this.log });
    this.desk = new ApprovalDesk({
      store: deps.store,
      sessionDir: deps.sessionDir,
      live: deps.live,
      approvalTimeoutMs: deps.settings.approvalTimeoutMs,
      onDecided: (rec) => this.rememberApproved(rec),
      log: this.log,
    });
    deps.modes.onChange(() => {
      // Held turns whose session is no longer in learn mode (switched to capture) go on at once, as typed.
      this.desk.releaseWhere((rec) => deps.modes.modeFor(rec.sessionId, rec.project ?? undefined) === 'learn');
      this.changed();
    });
    deps.live.subscribe((e) => {
      if (e.type === 'gap' && e.status === 'resolved') this.closeLoop();
    });
  }

  /** True while kx must see requests: learn mode somewhere, or rewrites to keep applying. */
  needsHook(): boolean {
    return this.deps.modes.anyLearn() || this.history.hasRewrites();
  }

  onNeedChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private rememberApproved(rec: ApprovalRecord): void {
    if ((rec.decision === 'accepted' || rec.decision === 'edited') && rec.finalText !== null) {
      this.history.remember(rec.sessionId, rec.ordinal, { originalHash: rec.originalHash, text: rec.finalText, approvalId: rec.id, original: rec.original });
    }
  }

  /** The request hook (after capture/hook-facts.ts added the parsed request and session). */
  readonly hook = async (req: HookRequestWithFacts): Promise<HookDecision> => {
    const sessionId = req.session.id;
    const json = req.json;
    const chat = req.chat;
    const base = !chat && typeof json.previous_response_id === 'string' ? (this.humanCounts.get(sessionId) ?? 0) : 0;
    const { refs, count } = chat ? chatHumanMessagesOf(json, chat.isContext) : humanMessagesOf(json, base);
    if (!chat) this.humanCounts.set(sessionId, base + count);

    const { edits, replaced } = this.history.reapply(sessionId, req.body, refs);
    let note: RewriteNote | undefined;
    const candidate = chat ? newChatHumanMessage(json, chat.background, refs) : newHumanMessage(json, req.parsed.meta, refs, req.background);
    if (typeof candidate !== 'string' && !replaced.has(candidate.ordinal)) {
      // A failure here (the context source, the store) must not cost the rewrites already applied above.
      try {
        const outcome = await this.newTurn(req, candidate);
        if (outcome?.finalText === null) return { action: 'forward' }; // the client left; the proxy sends nothing
        if (outcome?.context) this.recordInjection(req, outcome.context);
        if (outcome && outcome.finalText !== candidate.text) {
          edits.push(textEdit(req.body, candidate, outcome.finalText));
          note = { originalText: candidate.text, approvalId: outcome.approvalId };
        }
      } catch (err) {
        this.log({ level: 'error', msg: 'learn mode failed on a new turn; sending it unchanged', session: sessionId, error: (err as Error).message });
      }
    }
    // The injected message is a Responses input item; Chat Completions requests get none.
    const injection: ByteEdit | undefined = chat ? undefined : this.history.injectionEdit(req.body, json, sessionId, refs);
    if (injection) edits.push(injection);
    if (edits.length === 0) return { action: 'forward' };
    return { action: 'replace', body: applyEdits(req.body, edits), ...(note ? { note } : {}) };
  };

  /** A new human message in learn mode: its decision (held, or at once), or undefined when learn mode is off for it. */
  private async newTurn(req: HookRequestWithFacts, candidate: HumanMessageRef): Promise<TurnOutcome | undefined> {
    const project = req.project.id;
    if (this.deps.modes.modeFor(req.session.id, project) !== 'learn') return undefined;
    const turnKey = turnKeyOf(req.session.id, candidate);
    if (this.deps.store.decidedTurn(turnKey)) return undefined;
    return this.desk.join(turnKey, req.signal) ?? this.considerTurn(req, candidate, project, turnKey);
  }

  /** KX_INJECT=first-turn: the context proposed with the session's first human message, shown on its card. */
  private proposedContext(sessionId: string, candidate: HumanMessageRef, project: string): string | null {
    const { inject, injectMaxTokens } = this.deps.settings;
    if (inject !== 'first-turn' || candidate.ordinal !== 0 || candidate.itemIndex < 0) return null;
    if (this.deps.store.injection(sessionId)) return null;
    const essentials = this.deps.context.profileEssentials(project, candidate.text, sessionId);
    return essentials ? contextMessage(essentials, injectMaxTokens).text : null;
  }

  /** The context the human approved with the first message: recorded once, then in every full history of the session. */
  private recordInjection(req: HookRequestWithFacts, text: string): void {
    if (!this.deps.store.recordInjection(req.session.id, req.project.id, text, estimateTokens(text), new Date().toISOString())) return;
    this.history.rememberInjection(req.session.id, text);
    this.deps.live.publish({ type: 'session', sessionId: req.session.id });
    this.log({ level: 'info', msg: 'context injected at session start', session: req.session.id, tokens: estimateTokens(text) });
  }

  /** The session under its card's project (the frame's working directory) while the turn waits. */
  private async placeSession(req: HookRequestWithFacts): Promise<void> {
    if (req.project.source !== 'cwd' || !req.project.name) return;
    try {
      await this.deps.placeSession?.(req.session.id, req.project.name);
    } catch (err) {
      this.log({ level: 'warn', msg: 'could not file the held session under its project', session: req.session.id, error: (err as Error).message });
    }
  }

  /** Asks for a proposal, then holds the turn for the human or records it decided at once. */
  private async considerTurn(req: HookRequestWithFacts, ref: HumanMessageRef, project: string, turnKey: string): Promise<TurnOutcome> {
    const sessionId = req.session.id;
    // Alongside the rewrite call, never waited for: capture's queue may be busy, the human need not be.
    void this.placeSession(req);
    const findings = gatherFindings(this.deps.context, ref.text, project, sessionId);
    if (findings.gaps.length && !this.startingGaps.has(sessionId)) this.startingGaps.set(sessionId, findings.gaps.map((g) => g.id));
    const context = req.chat ? null : this.proposedContext(sessionId, ref, project);
    const base = newApprovalRecord(req, ref, project, turnKey, context);

    const answer = await askRewrite(this.deps.model, { sessionId, text: ref.text, project, findings }, req.signal, this.deps.settings.rewriteTimeoutMs);
    if (answer.kind === 'cancelled') return this.desk.record({ ...base, decision: 'cancelled' }, null);
    if (answer.kind === 'failed') {
      this.log({ level: 'warn', msg: context ? 'learn mode holds the original with its context' : 'learn mode sent the original', session: sessionId, reason: answer.reason });
      // The context still waits for the human's yes; without it the original goes at once.
      if (context) return this.desk.hold({ ...base, rewrite: redact(ref.text), reason: answer.reason }, req.signal);
      return this.desk.record({ ...base, decision: 'failed', reason: answer.reason }, ref.text);
    }
    const { rec, changed } = proposalRecord(base, answer.out, findings);
    // Context to inject is a change the human approves like a rewrite (KX_LEARN_HOLD=when-changed).
    if (!changed && !context && this.deps.settings.hold === 'when-changed') return this.desk.record({ ...rec, decision: 'nothing_to_add' }, ref.text);
    if (req.signal.aborted) return this.desk.record({ ...rec, decision: 'cancelled' }, null);
    return this.desk.hold(rec, req.signal);
  }

  /** The human's decision (API, `kx approve`). */
  /** When a waiting turn times out and its original is sent; undefined once it is decided. */
  expiresAt(id: string): string | undefined {
    return this.desk.expiresAt(id);
  }

  decide(id: string, d: HumanDecision): ApprovalRecord | 'not_found' | 'decided' {
    return this.desk.decide(id, d);
  }

  pendingCount(): number {
    return this.desk.pendingCount();
  }

  /** How many requests wait on a held turn: a byte-identical retry joins the first. */
  waitersOn(approvalId: string): number {
    return this.desk.waitersOn(approvalId);
  }

  /** Ends learn mode for each session whose starting gaps are all resolved now. */
  private closeLoop(): void {
    for (const [sessionId, ids] of [...this.startingGaps.entries()]) {
      const status = this.deps.context.gapStatus(ids);
      if (ids.every((id) => status.get(id) === 'resolved')) {
        this.startingGaps.delete(sessionId);
        this.log({ level: 'info', msg: 'every gap the session started with is resolved: learn mode ends for it', session: sessionId });
        this.deps.modes.set('session', sessionId, 'capture');
      }
    }
  }

  close(): void {
    this.desk.close();
  }
}
