// Gaps across sessions: open or resolved, per project, each resolvable or reopenable with a note.

import { LitElement, html, css, nothing } from 'lit';
import { api, type Loaded } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { Gap, Project } from '../api/schemas.js';
import { shared } from './styles.js';
import './kx-gap-card.js';
import './kx-status.js';
import './kx-insight-off.js';

type Status = 'open' | 'resolved' | 'all';

export class KxGapsView extends LitElement {
  static override styles = [shared, css`form { display: flex; flex-wrap: wrap; gap: 0.8rem; margin-bottom: 0.8rem; } label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--fg-soft); }`];
  static override properties = { gaps: { state: true }, status: { state: true }, project: { state: true }, projects: { state: true } };
  declare gaps: Loaded<{ gaps: Gap[] }> | undefined;
  declare status: Status;
  declare project: string;
  declare projects: Project[];
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.gaps = undefined;
    this.status = 'open';
    this.project = '';
    this.projects = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void api.projects().then((r) => (this.projects = r.state === 'ok' ? r.data.projects : []));
    this.unsubscribe = onLive((e) => {
      if (e.type === 'gap') void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    this.gaps = await api.gaps(this.status === 'all' ? undefined : this.status, this.project || undefined);
  }

  override render() {
    return html`<h1>Gaps</h1><kx-insight-off></kx-insight-off>
      <form @submit=${(e: Event) => e.preventDefault()} aria-label="Filter gaps">
        <label>Status
          <select @change=${(e: Event) => ((this.status = (e.target as HTMLSelectElement).value as Status), void this.load())}>
            <option value="open">open</option><option value="resolved">resolved</option><option value="all">all</option>
          </select>
        </label>
        ${this.projects.length
          ? html`<label>Project
              <select @change=${(e: Event) => ((this.project = (e.target as HTMLSelectElement).value), void this.load())}>
                <option value="">all projects</option>
                ${this.projects.map((p) => html`<option .value=${p.id}>${p.name}</option>`)}
              </select></label>`
          : nothing}
      </form>
      ${this.renderGaps()}`;
  }

  private renderGaps() {
    if (this.gaps?.state !== 'ok') return html`<kx-status .loaded=${this.gaps} what="Gaps"></kx-status>`;
    if (this.gaps.data.gaps.length === 0)
      return html`<div class="empty">No ${this.status === 'all' ? '' : this.status} gaps. The insight engine opens one when a turn shows something you did not know yet.</div>`;
    return html`<div @gap-changed=${() => void this.load()}>${this.gaps.data.gaps.map(
      (g) => html`<kx-gap-card .gap=${g} .projectName=${this.project ? '' : (this.projects.find((p) => p.id === g.project)?.name ?? g.project)}></kx-gap-card>`,
    )}</div>`;
  }
}
customElements.define('kx-gaps-view', KxGapsView);
