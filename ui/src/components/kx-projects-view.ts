// Projects kx has seen (a working directory, else a client), with their sessions and gaps.

import { LitElement, html, css } from 'lit';
import { api, type Loaded } from '../api/client.js';
import type { Project } from '../api/schemas.js';
import { when } from './when.js';
import { href } from '../route.js';
import { shared, stackedTable } from './styles.js';
import './kx-status.js';
import './kx-insight-off.js';

export class KxProjectsView extends LitElement {
  static override styles = [
    shared,
    stackedTable,
    css`
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); }
      th { font-size: 0.8rem; color: var(--fg-soft); }
      /* A project is often a long path: it breaks anywhere rather than widen the page. */
      td.name a { overflow-wrap: anywhere; }
      .nw { white-space: nowrap; }
    `,
  ];
  static override properties = { projects: { state: true } };
  declare projects: Loaded<{ projects: Project[] }> | undefined;

  constructor() {
    super();
    this.projects = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void api.projects().then((r) => (this.projects = r));
  }

  override render() {
    if (this.projects?.state !== 'ok') return html`<h1>Projects</h1><kx-insight-off></kx-insight-off><kx-status .loaded=${this.projects} what="Projects"></kx-status>`;
    const list = this.projects.data.projects;
    if (list.length === 0) return html`<h1>Projects</h1><kx-insight-off></kx-insight-off><div class="empty">No projects yet. kx groups sessions by the folder the agent works in once the insight engine has seen them.</div>`;
    return html`<h1>Projects</h1><kx-insight-off></kx-insight-off><table class="stack">
      <thead><tr><th scope="col">Project</th><th scope="col">Sessions</th><th scope="col">Open gaps</th><th scope="col">Resolved gaps</th><th scope="col">Last activity</th></tr></thead>
      <tbody>${list.map(
        (p) => html`<tr><td class="name"><a href=${href.project(p.id)}>${p.name}</a></td>
          <td><span class="label">Sessions</span> ${p.sessionCount}</td><td><span class="label">Open gaps</span> ${p.openGaps}</td>
          <td><span class="label">Resolved gaps</span> ${p.resolvedGaps}</td>
          <td><span class="label">Last activity</span> ${p.lastActivityAt ? when(p.lastActivityAt) : '—'}</td></tr>`,
      )}</tbody></table>`;
  }

}
customElements.define('kx-projects-view', KxProjectsView);
