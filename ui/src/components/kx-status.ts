// What a view shows instead of data: loading, "not available yet" (a route this kx does not have yet), or an error.

import { LitElement, html, nothing } from 'lit';
import type { Loaded } from '../api/client.js';
import { shared } from './styles.js';

export class KxStatus extends LitElement {
  static override styles = shared;
  static override properties = { loaded: { attribute: false }, what: {} };
  declare loaded: Loaded<unknown> | undefined;
  /** What the view would show, e.g. "Gaps". */
  declare what: string;

  constructor() {
    super();
    this.loaded = undefined;
    this.what = 'This view';
  }

  override render() {
    if (!this.loaded) return html`<p class="muted" role="status">Loading…</p>`;
    if (this.loaded.state === 'missing')
      return html`<div class="empty" role="status"><strong>${this.what}: not available yet.</strong> This kx does not serve it yet; it appears once the feature behind it is installed.</div>`;
    if (this.loaded.state === 'error') return html`<p class="error" role="alert">${this.loaded.message}</p>`;
    return nothing;
  }
}
customElements.define('kx-status', KxStatus);
