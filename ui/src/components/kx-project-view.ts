// A project's profile: its open and resolved gaps, recurring topics, recent session summaries, a chart of gaps
// opened vs resolved over its sessions, and profile.md shown as text.

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { api, type Loaded } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { ProjectProfile } from '../api/schemas.js';
import { gapsOverTime } from '../gaps-over-time.js';
import { shared } from './styles.js';
import './kx-chart.js';
import './kx-gap-card.js';
import './kx-status.js';
import './kx-insight-off.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class KxProjectView extends LitElement {
  static override styles = shared;
  static override properties = { projectId: {}, profile: { state: true } };
  declare projectId: string;
  declare profile: Loaded<ProjectProfile> | undefined;

  private unsubscribe: (() => void) | undefined;
  private readonly onGapChanged = () => void this.load();

  constructor() {
    super();
    this.projectId = '';
    this.profile = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Counts, chart and lists follow every change to the project's gaps, made here, elsewhere, or by the engine.
    this.addEventListener('gap-changed', this.onGapChanged);
    this.unsubscribe = onLive((e) => {
      if ((e.type === 'gap' && e.project === this.projectId) || (e.type === 'insight' && e.state === 'done')) void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('gap-changed', this.onGapChanged);
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    const id = this.projectId;
    const res = await api.profile(id);
    // A profile already shown stays up while a reload fails: the page does not blank on a hiccup.
    if (id === this.projectId && (res.state === 'ok' || this.profile?.state !== 'ok')) this.profile = res;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('projectId')) void this.load();
  }

  override render() {
    if (this.profile?.state !== 'ok') return html`<h1>Project</h1><kx-status .loaded=${this.profile} what="Project profile"></kx-status>`;
    const p = this.profile.data;
    const series = gapsOverTime([...p.openGaps, ...p.resolvedGaps]);
    return html`<h1>${p.project.name}</h1><kx-insight-off></kx-insight-off>
      <p class="muted small">${plural(p.project.sessionCount, 'session')} · ${plural(p.project.openGaps, 'open gap')} · ${p.project.resolvedGaps} resolved</p>
      ${series.days.length > 0
        ? html`<kx-chart caption="Gaps opened and resolved over time (cumulative)" xKind="time" xLabel="day" yLabel="gaps"
            .series=${[{ label: 'opened', color: '#f85149', scale: 'y' }, { label: 'resolved', color: '#3fb950', scale: 'y' }]}
            .data=${[series.days, series.opened, series.resolved]}></kx-chart>`
        : nothing}
      ${p.recurringTopics.length
        ? html`<h2>Recurring topics</h2><ul>${p.recurringTopics.map((t) => html`<li>${t.topic} <span class="muted small">(${t.timesSeen}×)</span></li>`)}</ul>`
        : nothing}
      <h2>Open gaps</h2>
      ${p.openGaps.length ? p.openGaps.map((g) => html`<kx-gap-card .gap=${g}></kx-gap-card>`) : html`<p class="muted">None open.</p>`}
      ${p.resolvedGaps.length
        ? html`<h2>Resolved gaps</h2><ul>${p.resolvedGaps.map(
            (g) => html`<li><strong>${g.topic}</strong>: ${g.question}
              <span class="muted small">(resolved by ${g.resolved?.author ?? (g.resolved?.by === 'person' ? 'you' : 'model')}${g.resolved?.how || g.resolved?.note ? html`: ${g.resolved?.how ?? g.resolved?.note}` : nothing})</span></li>`,
          )}</ul>`
        : nothing}
      <h2>Recent sessions</h2>
      ${p.recentSummaries.length
        ? html`<ul>${p.recentSummaries.map((s) => html`<li><a href=${`#/sessions/${encodeURIComponent(s.sessionId)}?tab=learnings`}>${s.title}</a></li>`)}</ul>`
        : html`<p class="muted">No summaries yet.</p>`}
      <details><summary>profile.md</summary><pre>${p.markdown}</pre></details>`;
  }
}
customElements.define('kx-project-view', KxProjectView);
