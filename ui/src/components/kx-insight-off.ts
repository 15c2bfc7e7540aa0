// Says so when kx runs with the insight engine off (KX_INSIGHT=off) and how to turn it on. The views that
// show insight data put it above whatever earlier runs stored, which they still show.

import { LitElement, html, css, nothing } from 'lit';
import { api } from '../api/client.js';
import type { InsightStatus } from '../api/schemas.js';
import { shared } from './styles.js';

/** Asked once per page: the mode only changes when kx restarts, and the page reconnects then anyway. */
let status: Promise<InsightStatus | undefined> | undefined;
const insightStatus = (): Promise<InsightStatus | undefined> =>
  (status ??= api.insightStatus().then((r) => (r.state === 'ok' ? r.data : undefined)));

export class KxInsightOff extends LitElement {
  static override styles = [shared, css`.empty { margin: 0 0 0.8rem; }`];
  static override properties = { off: { state: true } };
  declare off: boolean;

  constructor() {
    super();
    this.off = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void insightStatus().then((s) => (this.off = s?.mode === 'off'));
  }

  override render() {
    if (!this.off) return nothing;
    return html`<div class="empty" role="status"><strong>Insight is off.</strong> kx records sessions but writes no notes, gaps or summaries.
      To turn it on, start kx with <code>KX_INSIGHT=turn</code> (in <code>proxy.env</code> or the environment).
      Anything stored while it was on is still shown here.</div>`;
  }
}
customElements.define('kx-insight-off', KxInsightOff);
