// One gap: the question it raises, its evidence, how often and where it was seen, how it was resolved; resolve
// or reopen it with a note.

import { LitElement, html, css, nothing } from 'lit';
import { api } from '../api/client.js';
import type { Gap } from '../api/schemas.js';
import { formatTime } from '../format.js';
import { href } from '../route.js';
import { shared } from './styles.js';

export class KxGapCard extends LitElement {
  static override styles = [shared, css`textarea { width: 100%; min-height: 3rem; box-sizing: border-box; } blockquote { margin: 0.3rem 0; padding-left: 0.7rem; border-left: 3px solid var(--border); white-space: pre-wrap; }`];
  static override properties = { gap: { attribute: false }, projectName: {}, note: { state: true }, error: { state: true }, busy: { state: true } };
  declare gap: Gap | undefined;
  /** Shown when the list mixes projects. */
  declare projectName: string;
  declare note: string;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.gap = undefined;
    this.projectName = '';
    this.note = '';
    this.error = '';
    this.busy = false;
  }

  private async setStatus(status: 'open' | 'resolved'): Promise<void> {
    if (!this.gap) return;
    this.busy = true;
    const res = await api.setGap(this.gap.id, status, this.note);
    this.busy = false;
    if (res.state !== 'ok') return void (this.error = res.state === 'missing' ? 'kx does not know this gap any more.' : res.message);
    this.gap = res.data;
    this.note = '';
    this.error = '';
    this.dispatchEvent(new CustomEvent('gap-changed', { detail: res.data, bubbles: true, composed: true }));
  }

  override render() {
    const g = this.gap;
    if (!g) return nothing;
    const open = g.status === 'open';
    return html`<article class="card" aria-label=${`Gap: ${g.topic}`}>
      <div class="row"><span class="chip ${open ? 'gap' : 'success'}">${g.status}</span><strong>${g.topic}</strong>
        <span class="muted small">seen ${g.timesSeen} time${g.timesSeen === 1 ? '' : 's'}${this.projectName ? html` · in ${this.projectName}` : nothing}${g.sharedBy ? html` · shared by ${g.sharedBy} through team memory` : nothing}</span></div>
      <p>${g.question}</p>
      ${g.evidence ? html`<blockquote>${g.evidence}</blockquote>` : nothing}
      <p class="muted small">
        first seen <a href=${href.turn(g.firstSeen.sessionId, 0)} @click=${(e: Event) => this.goTurn(e, g.firstSeen.sessionId, g.firstSeen.turnId)}>${formatTime(g.firstSeen.at)}</a>,
        last seen <a href=${href.turn(g.lastSeen.sessionId, 0)} @click=${(e: Event) => this.goTurn(e, g.lastSeen.sessionId, g.lastSeen.turnId)}>${formatTime(g.lastSeen.at)}</a>
      </p>
      ${g.resolved
        ? html`<p class="small">Resolved by ${g.resolved.by} ${formatTime(g.resolved.at)}${g.resolved.how ? html`: ${g.resolved.how}` : nothing}
            ${g.resolved.note ? html`<br><span class="muted">Note: ${g.resolved.note}</span>` : nothing}</p>`
        : nothing}
      <label class="small muted" for="note">Note (optional)</label>
      <textarea id="note" .value=${this.note} @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}></textarea>
      <div class="row">
        ${open
          ? html`<button class="primary" type="button" ?disabled=${this.busy} @click=${() => this.setStatus('resolved')}>Resolve</button>`
          : html`<button type="button" ?disabled=${this.busy} @click=${() => this.setStatus('open')}>Reopen</button>`}
        ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      </div>
    </article>`;
  }

  /** Gaps name a turn by id; the timeline links by number, so open the session and let it find the turn. */
  private async goTurn(e: Event, sessionId: string, turnId: string): Promise<void> {
    e.preventDefault();
    const res = await api.session(sessionId);
    const seq = res.state === 'ok' ? res.data.turns.find((t) => t.id === turnId)?.seq : undefined;
    location.hash = seq !== undefined ? href.turn(sessionId, seq) : href.session(sessionId);
  }
}
customElements.define('kx-gap-card', KxGapCard);
