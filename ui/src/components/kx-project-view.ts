// A project's profile: its open and resolved gaps, recurring topics, recent session summaries, a chart of gaps
// opened vs resolved over its sessions, and profile.md shown as text.

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { api, type Loaded } from '../api/client.js';
import type { Gap, ProjectProfile } from '../api/schemas.js';
import { shared } from './styles.js';
import './kx-chart.js';
import './kx-gap-card.js';
import './kx-status.js';
import './kx-insight-off.js';

/** Per day: gaps first seen that day and gaps resolved that day, as cumulative counts. */
export function gapsOverTime(gaps: Gap[]): { days: number[]; opened: number[]; resolved: number[] } {
  const day = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);
  const events = new Map<number, { opened: number; resolved: number }>();
  const bump = (d: number, key: 'opened' | 'resolved') => {
    const e = events.get(d) ?? { opened: 0, resolved: 0 };
    e[key]++;
    events.set(d, e);
  };
  for (const g of gaps) {
    bump(day(g.firstSeen.at), 'opened');
    if (g.resolved) bump(day(g.resolved.at), 'resolved');
  }
  const days = [...events.keys()].sort((a, b) => a - b);
  let o = 0;
  let r = 0;
  return {
    days: days.map((d) => d * 86_400),
    opened: days.map((d) => (o += events.get(d)!.opened)),
    resolved: days.map((d) => (r += events.get(d)!.resolved)),
  };
}

export class KxProjectView extends LitElement {
  static override styles = shared;
  static override properties = { projectId: {}, profile: { state: true } };
  declare projectId: string;
  declare profile: Loaded<ProjectProfile> | undefined;

  constructor() {
    super();
    this.projectId = '';
    this.profile = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('projectId')) void api.profile(this.projectId).then((r) => (this.profile = r));
  }

  override render() {
    if (this.profile?.state !== 'ok') return html`<h1>Project</h1><kx-status .loaded=${this.profile} what="Project profile"></kx-status>`;
    const p = this.profile.data;
    const series = gapsOverTime([...p.openGaps, ...p.resolvedGaps]);
    return html`<h1>${p.project.name}</h1><kx-insight-off></kx-insight-off>
      <p class="muted small">${p.project.sessionCount} sessions · ${p.project.openGaps} open gaps · ${p.project.resolvedGaps} resolved</p>
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
      <h2>Recent sessions</h2>
      ${p.recentSummaries.length
        ? html`<ul>${p.recentSummaries.map((s) => html`<li><a href=${`#/sessions/${encodeURIComponent(s.sessionId)}?tab=learnings`}>${s.title}</a></li>`)}</ul>`
        : html`<p class="muted">No summaries yet.</p>`}
      <details><summary>profile.md</summary><pre>${p.markdown}</pre></details>`;
  }
}
customElements.define('kx-project-view', KxProjectView);
