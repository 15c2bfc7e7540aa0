// Learn mode's approvals: a held turn appears as soon as kx announces it (an `approval` live event), with
// the human's message and kx's rewrite side by side, the words that changed, and the gaps and past snippets
// the rewrite used. Accept, edit or reject by button or key (a, e, r; Ctrl+Enter sends an edit). Each card
// is decided on its own, so turns of several sessions can wait at once. Every captured or generated text is
// bound as text (Lit escapes it); nothing becomes markup.

import { LitElement, html, css, nothing } from 'lit';
import { api } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { Approval } from '../api/schemas.js';
import { formatTime } from '../format.js';
import { href } from '../route.js';
import { visibleParts } from '../../../src/learn/visible-text.js';
import { shared } from './styles.js';
import './kx-status.js';
import './kx-mode-toggle.js';

type Decision = 'accept' | 'edit' | 'reject';

/** A text as a person must see it: every invisible or direction-changing character shown as ⟨U+XXXX⟩, marked. */
const vis = (text: string) =>
  visibleParts(text).map((p) => (p.hidden ? html`<mark class="hidden-char" title="an invisible or direction-changing character">${p.text}</mark>` : p.text));

const STATUS_TEXT: Record<string, string> = {
  pending: 'waiting for you',
  accepted: 'rewrite sent',
  edited: 'your edit sent',
  rejected: 'original sent',
  timed_out: 'no decision in time: original sent',
  nothing_to_add: 'nothing to add: original sent',
  failed: 'rewrite failed: original sent',
  cancelled: 'cancelled: nothing sent',
  released: 'learn mode switched off: original sent',
};

/** How long until a waiting turn gives up, and what happens then. */
export function timeoutText(ms: number): string {
  if (ms <= 0) return 'Timing out now: your original is being sent.';
  const s = Math.ceil(ms / 1000);
  const left = s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
  return `Times out in ${left}; then your original is sent unchanged.`;
}

export class KxApprovalsView extends LitElement {
  static override styles = [
    shared,
    css`
      mark.hidden-char { background: var(--warn-bg, #fde68a); color: inherit; border-radius: 3px; padding: 0 0.15em; }
      .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; }
      @media (max-width: 700px) { .sides { grid-template-columns: 1fr; } }
      .sides pre { min-height: 2.5rem; }
      .diff { white-space: pre-wrap; word-break: break-word; font-family: var(--mono); font-size: 0.85rem; background: var(--bg-code); padding: 0.5rem 0.7rem; border-radius: 6px; }
      ins { background: var(--add); text-decoration: none; }
      del { background: var(--del); }
      textarea { width: 100%; min-height: 6rem; box-sizing: border-box; font-family: var(--mono); }
      article.pending { border-color: var(--accent); }
      .notice { border: 1px solid var(--warn); border-radius: 8px; padding: 0.5rem 0.8rem; margin: 0 0 0.8rem; }
      kbd { font-family: var(--mono); font-size: 0.75rem; border: 1px solid var(--border); border-radius: 3px; padding: 0 0.25rem; }
      h3 { margin-top: 0.6rem; }
      .sent-note:empty { display: none; }
      .sent-note { border: 1px solid var(--ok, var(--border)); border-radius: 8px; padding: 0.5rem 0.8rem; }
    `,
  ];
  static override properties = {
    approvalId: {},
    pending: { state: true },
    decided: { state: true },
    loadError: { state: true },
    showAll: { state: true },
    selectedId: { state: true },
    editing: { state: true },
    edits: { state: true },
    errors: { state: true },
    notices: { state: true },
    busy: { state: true },
    sent: { state: true },
    mode: { state: true },
    now: { state: true },
  };
  /** The approval a deep link (`#/approvals/<id>`) points at, selected first. */
  declare approvalId: string | null;
  declare pending: Approval[] | undefined;
  declare decided: Approval[];
  declare loadError: string;
  declare showAll: boolean;
  declare selectedId: string | null;
  /** Cards whose edit box is open. */
  declare editing: Record<string, boolean>;
  declare edits: Record<string, string>;
  declare errors: Record<string, string>;
  /** Rewrites that failed while the page was open (the original went upstream). */
  declare notices: Approval[];
  declare busy: Record<string, boolean>;
  /** What the last decision on this page sent, confirmed until the next one. */
  declare sent: { sessionId: string; what: string } | null;
  /** Learn mode everywhere, somewhere (a project or session), or off; undefined until known. */
  declare mode: 'learn' | 'some' | 'capture' | undefined;
  /** The clock the countdowns read, ticking once a second while a turn waits. */
  declare now: number;
  private tick: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.approvalId = null;
    this.pending = undefined;
    this.decided = [];
    this.loadError = '';
    this.showAll = false;
    this.selectedId = null;
    this.editing = {};
    this.edits = {};
    this.errors = {};
    this.notices = [];
    this.busy = {};
    this.sent = null;
    this.mode = undefined;
    this.now = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // No polling: kx announces every new, decided or failed turn on /api/events.
    this.unsubscribe = onLive((e) => {
      if (e.type === 'mode') return void this.load();
      if (e.type !== 'approval') return;
      if (e.status === 'failed') void this.noticeFailure(e.approvalId);
      void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.tick);
    this.tick = undefined;
    this.unsubscribe?.();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // Following another deep link while the page is open selects that turn.
    if (changed.has('approvalId') && this.pending?.some((a) => a.id === this.approvalId)) this.selectedId = this.approvalId;
  }

  private async load(): Promise<void> {
    // What waits always comes from ?status=pending: the decided list is only the newest rows, and a turn
    // still waiting behind them must never drop out of sight while the agent waits for it.
    const [res, all, modes] = await Promise.all([api.approvals('pending'), this.showAll ? api.approvals('all') : undefined, api.modes()]);
    if (modes.state === 'ok') {
      const m = modes.data;
      const some = [...Object.values(m.projects), ...Object.values(m.sessions)].includes('learn');
      this.mode = m.global === 'learn' ? 'learn' : some ? 'some' : 'capture';
    }
    if (res.state !== 'ok') {
      this.loadError = res.state === 'missing' ? 'This kx has no learn mode.' : res.message;
      this.pending ??= [];
      return;
    }
    this.loadError = '';
    this.pending = res.data.approvals.filter((a) => a.status === 'pending').sort((a, b) => a.created.localeCompare(b.created));
    if (this.pending.some((a) => a.expiresAt) && !this.tick) this.tick = setInterval(() => (this.now = Date.now()), 1000);
    if (!this.pending.some((a) => a.expiresAt) && this.tick) (clearInterval(this.tick), (this.tick = undefined));
    const decided = all?.state === 'ok' ? all.data.approvals : [];
    this.decided = decided.filter((a) => a.status !== 'pending').sort((a, b) => b.created.localeCompare(a.created));
    if (!this.pending.some((a) => a.id === this.selectedId)) {
      this.selectedId = this.pending.find((a) => a.id === this.approvalId)?.id ?? this.pending[0]?.id ?? null;
    }
  }

  private async noticeFailure(id: string): Promise<void> {
    const res = await api.approvals('all');
    const failed = res.state === 'ok' ? res.data.approvals.find((a) => a.id === id) : undefined;
    if (failed && !this.notices.some((n) => n.id === id)) this.notices = [failed, ...this.notices].slice(0, 5);
  }

  private async decide(a: Approval, decision: Decision): Promise<void> {
    if (this.busy[a.id]) return;
    this.busy = { ...this.busy, [a.id]: true };
    const text = decision === 'edit' ? (this.edits[a.id] ?? a.rewrite ?? a.original) : undefined;
    const res = await api.decide(a.id, decision, text);
    this.busy = { ...this.busy, [a.id]: false };
    this.errors = { ...this.errors, [a.id]: res.state === 'ok' ? '' : res.state === 'missing' ? 'This approval is gone.' : res.message };
    if (res.state === 'ok') {
      this.editing = { ...this.editing, [a.id]: false };
      this.sent = { sessionId: a.sessionId, what: decision === 'accept' ? 'The rewrite was sent' : decision === 'edit' ? 'Your edit was sent' : 'Your original was sent' };
    }
    await this.load();
  }

  private startEdit(a: Approval): void {
    this.selectedId = a.id;
    this.editing = { ...this.editing, [a.id]: true };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>(`#edit-${CSS.escape(a.id)}`)?.focus());
  }

  /** Keys from the console shell (never while typing): a, e, r on the selected turn; j and k move between turns. */
  onKey(key: string): boolean {
    const list = this.pending ?? [];
    const selected = list.find((a) => a.id === this.selectedId);
    if (!selected) return false;
    if (key === 'a') void this.decide(selected, 'accept');
    else if (key === 'r') void this.decide(selected, 'reject');
    else if (key === 'e') this.startEdit(selected);
    else if (key === 'j' || key === 'k') {
      const i = list.indexOf(selected) + (key === 'j' ? 1 : -1);
      this.selectedId = list[Math.min(list.length - 1, Math.max(0, i))]!.id;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('article.selected')?.scrollIntoView({ block: 'nearest' }));
    } else return false;
    return true;
  }

  private editKey(e: KeyboardEvent, a: Approval): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.decide(a, 'edit');
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      this.editing = { ...this.editing, [a.id]: false };
    }
  }

  override render() {
    const waiting = this.pending?.length ?? 0;
    return html`<h1>Approvals</h1>
      <p class="muted small">
        In learn mode kx holds each new message while you decide: accept the rewrite, edit it, or reject it and send your original.
        <span class="keys">Keys: <kbd>a</kbd> accept, <kbd>e</kbd> edit (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> sends), <kbd>r</kbd> reject;
        <kbd>j</kbd>/<kbd>k</kbd> move between turns.</span>
      </p>
      ${this.notices.map(
        (n) => html`<div class="notice" role="alert">
          The rewrite for a turn of <a href=${href.session(n.sessionId)}>session ${n.sessionId}</a> failed, so your original was sent unchanged.
          <span class="muted">${n.reason ?? ''}</span>
          <button type="button" @click=${() => (this.notices = this.notices.filter((x) => x.id !== n.id))}>Dismiss</button>
        </div>`,
      )}
      <p class="sent-note" role="status">${this.sent
        ? html`${this.sent.what} to the agent for <a href=${href.session(this.sent.sessionId)}>session ${this.sent.sessionId}</a>.`
        : nothing}</p>
      <h2 aria-live="polite">${this.pending === undefined ? 'Loading…' : waiting === 0 ? 'Nothing waits for you' : `${waiting} turn${waiting === 1 ? '' : 's'} waiting`}</h2>
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      ${this.pending?.length === 0 && !this.loadError ? this.renderEmpty() : nothing}
      ${(this.pending ?? []).map((a) => this.renderCard(a))}
      <label class="small"><input type="checkbox" .checked=${this.showAll} @change=${(e: Event) => ((this.showAll = (e.target as HTMLInputElement).checked), void this.load())}> show decided turns too</label>
      ${this.showAll ? this.decided.map((a) => this.renderCard(a)) : nothing}`;
  }

  private renderEmpty() {
    if (this.mode === 'capture') {
      return html`<div class="empty">
        <strong>Learn mode is off:</strong> kx records your sessions and holds nothing for approval. To turn it on, use the mode switch at the top
        of this page, or run <code>kx mode learn</code> (<code>--project P</code> or <code>--session S</code> for one project or session).
      </div>`;
    }
    return html`<div class="empty">In learn mode, kx holds a message here when it has something from your past sessions of the project to add.</div>`;
  }

  private renderCard(a: Approval) {
    const pending = a.status === 'pending';
    const selected = pending && a.id === this.selectedId;
    const editing = pending && this.editing[a.id];
    return html`<article class="card ${pending ? 'pending' : ''} ${selected ? 'selected' : ''}" aria-label=${`Turn of session ${a.sessionId}`}
        data-approval=${a.id} @click=${() => pending && (this.selectedId = a.id)}>
      <div class="row">
        <span class="chip" data-status=${a.status}>${STATUS_TEXT[a.status] ?? a.status}</span>
        <a href=${href.session(a.sessionId)}>session ${a.sessionId}</a>
        ${a.project ? html`<span class="muted small">${a.project}</span>` : nothing}
        <span class="muted small">${formatTime(a.created)}</span>
        <kx-mode-toggle .session=${a.sessionId} .project=${a.project}></kx-mode-toggle>
      </div>
      ${pending && a.expiresAt ? html`<p class="small countdown">${timeoutText(Date.parse(a.expiresAt) - this.now)}</p>` : nothing}
      ${a.reason ? html`<p class="small">${a.reason}</p>` : nothing}
      ${renderProposal(a)}
      ${a.context
        ? html`<section aria-label="Context from earlier sessions"><h3>Context sent before it</h3>
            <p class="muted small">From earlier sessions of this project; accept or edit sends it before your message, reject does not.</p>
            <pre class="context">${vis(a.context)}</pre></section>`
        : nothing}
      ${a.gaps.length
        ? html`<h3>Gaps it addresses</h3><ul>${a.gaps.map((g) => html`<li>${g.topic} <code class="muted">${g.gapId}</code></li>`)}</ul>`
        : nothing}
      ${a.snippets.length
        ? html`<h3>From past sessions</h3><ul class="plain">${a.snippets.map((s) => html`<li><pre class="snippet">${s.text}</pre><span class="muted small">${s.ref}</span></li>`)}</ul>`
        : nothing}
      ${editing
        ? html`<label class="small" for=${`edit-${a.id}`}>Your text to send<span class="keys"> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> sends, <kbd>Esc</kbd> closes)</span></label>
            <textarea id=${`edit-${a.id}`} .value=${this.edits[a.id] ?? a.rewrite ?? a.original}
              @input=${(e: Event) => (this.edits = { ...this.edits, [a.id]: (e.target as HTMLTextAreaElement).value })}
              @keydown=${(e: KeyboardEvent) => this.editKey(e, a)}></textarea>`
        : nothing}
      ${pending
        ? html`<div class="row">
            <button class="primary" type="button" ?disabled=${this.busy[a.id]} @click=${() => this.decide(a, 'accept')}>${acceptLabel(a)} <kbd class="keys">a</kbd></button>
            ${editing
              ? html`<button type="button" ?disabled=${this.busy[a.id]} @click=${() => this.decide(a, 'edit')}>Send my edit</button>`
              : html`<button type="button" @click=${() => this.startEdit(a)}>Edit <kbd class="keys">e</kbd></button>`}
            <button type="button" ?disabled=${this.busy[a.id]} @click=${() => this.decide(a, 'reject')}>${!rewritten(a) && a.context ? 'Reject: send it without the context' : 'Reject, send my original'} <kbd class="keys">r</kbd></button>
          </div>`
        : a.finalText !== null
          ? html`<h3>Sent</h3><pre class="sent">${vis(a.finalText)}</pre>`
          : nothing}
      ${this.errors[a.id] ? html`<p class="error" role="alert">${this.errors[a.id]}</p>` : nothing}
    </article>`;
  }
}
customElements.define('kx-approvals-view', KxApprovalsView);

/** True when kx proposes other words than those typed (not only context before them). */
const rewritten = (a: Approval): boolean => a.diff.some((d) => d.op !== 'same');

/** Worded as `kx approve` words it: a turn held only for its context has no rewrite to accept. */
const acceptLabel = (a: Approval): string => (rewritten(a) ? 'Accept rewrite' : a.context ? 'Accept: send it with the context' : 'Send as typed');

/** The message and kx's version side by side, and what changed; for an unchanged message, a line that says so. */
function renderProposal(a: Approval) {
  const mine = html`<section aria-label="Your message"><h3>Your message</h3><pre class="original">${vis(a.original)}</pre></section>`;
  if (!rewritten(a)) {
    const what = a.context ? 'kx proposes your message as you typed it, with context sent before it.' : 'kx has nothing to add to your message.';
    return html`${mine}<p class="small proposal-note">${what}</p>`;
  }
  return html`<div class="sides">
      ${mine}
      <section aria-label="Rewrite"><h3>Rewrite</h3><pre class="rewrite">${a.rewrite === null ? '(none)' : vis(a.rewrite)}</pre></section>
    </div>
    <h3>What changed</h3>
    <div class="diff">${a.diff.map((d) => (d.op === 'add' ? html`<ins>${vis(d.text)}</ins>` : d.op === 'del' ? html`<del>${vis(d.text)}</del>` : vis(d.text)))}</div>`;
}
