// The approval desk: a proposed turn waits here until the human decides, the approval times out,
// learn mode is switched off for its session (released), or every client waiting on it hangs up
// (cancelled). A byte-identical retry of a held turn joins the same approval instead of asking
// twice. Every decision, held or not, is stored redacted, written to the session's
// augmented_turns.md and published; what the turn sends afterwards is the caller's business.

import { redact } from '../capture/redact.js';
import type { ApprovalStatus, DecisionBody } from '../contracts/learn.js';
import type { ApprovalRecord, ApprovalStore } from '../store/approval-store.js';
import { writeDecision } from '../store/augmented-turns.js';
import type { LiveEvents } from '../store/live-events.js';
import { restoreSecrets } from './secret-spans.js';
import { wordDiff } from './word-diff.js';

export type HumanDecision = DecisionBody;

/** Who ended a hold that sent nothing: the reason a cancelled turn is recorded with. */
const CANCELLED_BY = { client: 'the client hung up', kx: 'kx stopped' } as const;

interface Settlement {
  decision: ApprovalStatus;
  /** What goes upstream; null when nothing does (cancelled). */
  finalText: string | null;
  /** Why, when kx decided (released by a switch to capture, cancelled by a hang-up or by kx stopping). */
  reason?: string;
}

/** What a considered turn sends: its text, and the context (KX_INJECT) approved with it. */
export interface TurnOutcome {
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

export interface ApprovalDeskDeps {
  store: ApprovalStore;
  /** The folder of a session's files, as the store recorded it. */
  /** `firstMessage` names the folder of a session capture has not stored yet (its first turn is held). */
  sessionDir: (sessionId: string, firstMessage?: string) => string;
  live: LiveEvents;
  approvalTimeoutMs: number;
  /** Called with every decided record before it is written and published (learn mode remembers approved texts). */
  onDecided: (rec: ApprovalRecord) => void;
  log: (line: Record<string, unknown>) => void;
}

/** The context goes with the first message only when the human said yes to the card that showed it. */
const approvedContext = (decision: ApprovalStatus, context: string | null): string | null => (decision === 'accepted' || decision === 'edited' ? context : null);

export class ApprovalDesk {
  private readonly pending = new Map<string, Pending>();
  private readonly pendingByTurn = new Map<string, string>();

  constructor(private readonly deps: ApprovalDeskDeps) {}

  /** A retry of a turn already held waits on the same approval; undefined when none is held for it. */
  join(turnKey: string, signal: AbortSignal): Promise<TurnOutcome> | undefined {
    const id = this.pendingByTurn.get(turnKey);
    const existing = id ? this.pending.get(id) : undefined;
    return existing ? this.wait(existing, signal) : undefined;
  }

  hold(rec: ApprovalRecord, signal: AbortSignal): Promise<TurnOutcome> {
    let resolve!: (s: Settlement) => void;
    const settled = new Promise<Settlement>((r) => (resolve = r));
    const timer = setTimeout(() => this.settle(rec.id, { decision: 'timed_out', finalText: rec.original }), this.deps.approvalTimeoutMs);
    const expiresAt = new Date(Date.now() + this.deps.approvalTimeoutMs).toISOString();
    const p: Pending = { record: rec, waiters: 0, settled, resolve, timer, expiresAt };
    this.pending.set(rec.id, p);
    this.pendingByTurn.set(rec.turnKey, rec.id);
    this.deps.store.insert(forStorage(rec));
    this.deps.live.publish({ type: 'approval', approvalId: rec.id, sessionId: rec.sessionId, status: 'pending' });
    this.deps.log({ level: 'info', msg: 'turn waiting for approval', approval: rec.id, session: rec.sessionId });
    return this.wait(p, signal);
  }

  /** Records a turn decided without a hold (nothing to add, failed, cancelled before the hold). */
  record(rec: ApprovalRecord, finalText: string | null): TurnOutcome {
    const done: ApprovalRecord = { ...rec, finalText, decidedAt: new Date().toISOString() };
    this.deps.store.insert(forStorage(done));
    this.afterDecision(done);
    return { finalText, approvalId: rec.id, context: null };
  }

  /** The human's decision (API, `kx approve`). */
  /** When a waiting turn times out and its original is sent; undefined once it is decided. */
  expiresAt(id: string): string | undefined {
    return this.pending.get(id)?.expiresAt;
  }

  decide(id: string, d: HumanDecision): ApprovalRecord | 'not_found' | 'decided' {
    const p = this.pending.get(id);
    if (!p) return this.deps.store.get(id) ? 'decided' : 'not_found';
    const original = p.record.original;
    // One rule for accept and edit alike: the card shows texts redacted, and a marker in what the human
    // sends back stands for the secret of their own message it replaced (secret-spans.ts).
    const approved = (text: string): string => {
      const r = restoreSecrets(text, original);
      if (r.unresolved) this.deps.log({ level: 'warn', msg: 'a redaction marker in an approved text matches no single secret of the original; sent as shown', approval: id, unresolved: r.unresolved });
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

  /** Held turns the predicate picks go on at once, as typed (learn mode was switched off for them). */
  releaseWhere(stillHeld: (rec: ApprovalRecord) => boolean): void {
    for (const [id, p] of [...this.pending]) {
      if (stillHeld(p.record)) continue;
      this.deps.log({ level: 'info', msg: 'learn mode switched off: the held turn goes on unchanged', approval: id, session: p.record.sessionId });
      this.settle(id, { decision: 'released', finalText: p.record.original, reason: 'Learn mode was switched off while the turn waited; the original was sent.' });
    }
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** How many requests wait on a held turn (a retry joins the first); 0 once it is decided. */
  waitersOn(id: string): number {
    return this.pending.get(id)?.waiters ?? 0;
  }

  /** Every held turn is cancelled: kx is stopping. */
  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { decision: 'cancelled', finalText: null, reason: CANCELLED_BY.kx });
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
      if (p.waiters === 0) this.settle(p.record.id, { decision: 'cancelled', finalText: null, reason: CANCELLED_BY.client });
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

  private afterDecision(rec: ApprovalRecord): void {
    this.deps.onDecided(rec);
    try {
      const stored = forStorage(rec);
      writeDecision(this.deps.sessionDir(stored.sessionId, stored.original), stored, wordDiff(stored.original, stored.rewrite ?? stored.original), `Turn ${rec.ordinal + 1}`);
    } catch (err) {
      this.deps.log({ level: 'error', msg: 'could not write augmented_turns.md', error: (err as Error).message });
    }
    this.deps.live.publish({ type: 'approval', approvalId: rec.id, sessionId: rec.sessionId, status: rec.decision, ...(rec.reason ? { reason: rec.reason } : {}) });
  }
}

/** Texts as they are kept on disk: redacted like every captured text. */
function forStorage(rec: ApprovalRecord): ApprovalRecord {
  return {
    ...rec,
    original: redact(rec.original),
    rewrite: rec.rewrite === null ? null : redact(rec.rewrite),
    finalText: rec.finalText === null ? null : redact(rec.finalText),
    context: rec.context === null ? null : redact(rec.context),
    snippets: rec.snippets.map((s) => ({ ref: s.ref, text: redact(s.text) })),
  };
}
