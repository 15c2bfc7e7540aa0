// Learn mode's approvals: the human's prompt as sent and as kx would rewrite it, the change between them, and
// accept / edit / reject. A held request waits on this decision.

import { LitElement, html, css, nothing } from 'lit';
import { api, type Loaded } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { Approval } from '../api/schemas.js';
import { formatTime } from '../format.js';
import { href } from '../route.js';
import { shared } from './styles.js';
import './kx-status.js';

export class KxApprovalsView extends LitElement {
  static override styles = [
    shared,
    css`
      .diff { white-space: pre-wrap; font-family: var(--mono); font-size: 0.85rem; background: var(--bg-code); padding: 0.5rem 0.7rem; border-radius: 6px; }
      ins { background: var(--add); text-decoration: none; }
      del { background: var(--del); }
      textarea { width: 100%; min-height: 6rem; box-sizing: border-box; font-family: var(--mono); }
    `,
  ];
  static override properties = { approvals: { state: true }, showAll: { state: true }, edits: { state: true }, errors: { state: true } };
  declare approvals: Loaded<{ approvals: Approval[] }> | undefined;
  declare showAll: boolean;
  declare edits: Record<string, string>;
  declare errors: Record<string, string>;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.approvals = undefined;
    this.showAll = false;
    this.edits = {};
    this.errors = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.unsubscribe = onLive((e) => {
      if (e.type === 'approval') void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    this.approvals = await api.approvals(this.showAll ? 'all' : 'pending');
  }

  private async decide(a: Approval, decision: 'accept' | 'edit' | 'reject'): Promise<void> {
    const res = await api.decide(a.id, decision, decision === 'edit' ? (this.edits[a.id] ?? a.rewrite ?? a.original) : undefined);
    this.errors = { ...this.errors, [a.id]: res.state === 'ok' ? '' : res.state === 'missing' ? 'This approval is gone.' : res.message };
    await this.load();
  }

  override render() {
    return html`<h1>Approvals</h1>
      <label class="small"><input type="checkbox" .checked=${this.showAll} @change=${(e: Event) => ((this.showAll = (e.target as HTMLInputElement).checked), void this.load())}> show decided ones too</label>
      ${this.renderList()}`;
  }

  private renderList() {
    if (this.approvals?.state !== 'ok') return html`<kx-status .loaded=${this.approvals} what="Approvals (learn mode)"></kx-status>`;
    const list = this.approvals.data.approvals;
    if (list.length === 0) return html`<div class="empty">Nothing waits for you. In learn mode, kx holds a prompt here when it has something from your past sessions to add.</div>`;
    return list.map((a) => {
      const pending = a.status === 'pending';
      return html`<article class="card" aria-label=${`Approval ${a.id}`}>
        <div class="row"><span class="chip">${a.status}</span><a href=${href.session(a.sessionId)}>session</a><span class="muted small">${formatTime(a.created)}</span></div>
        <h3>Change to the prompt</h3>
        <div class="diff">${a.diff.map((d) => (d.op === 'add' ? html`<ins>${d.text}</ins>` : d.op === 'del' ? html`<del>${d.text}</del>` : d.text))}</div>
        ${a.gaps.length ? html`<p class="small">Gaps it addresses: ${a.gaps.map((g) => g.topic).join(', ')}</p>` : nothing}
        ${a.snippets.length ? html`<details><summary>From past sessions (${a.snippets.length})</summary>${a.snippets.map((s) => html`<pre>${s.text}</pre>`)}</details>` : nothing}
        ${pending
          ? html`<label class="small muted" for=${`edit-${a.id}`}>Edit before sending</label>
              <textarea id=${`edit-${a.id}`} .value=${this.edits[a.id] ?? a.rewrite ?? a.original}
                @input=${(e: Event) => (this.edits = { ...this.edits, [a.id]: (e.target as HTMLTextAreaElement).value })}></textarea>
              <div class="row">
                <button class="primary" type="button" @click=${() => this.decide(a, 'accept')}>Accept rewrite</button>
                <button type="button" @click=${() => this.decide(a, 'edit')}>Send my edit</button>
                <button type="button" @click=${() => this.decide(a, 'reject')}>Send the original</button>
              </div>`
          : a.finalText !== null ? html`<h3>Sent</h3><pre>${a.finalText}</pre>` : nothing}
        ${this.errors[a.id] ? html`<p class="error" role="alert">${this.errors[a.id]}</p>` : nothing}
      </article>`;
    });
  }
}
customElements.define('kx-approvals-view', KxApprovalsView);
