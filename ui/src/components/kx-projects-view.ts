// Projects kx has seen (a working directory, else a client), with their sessions and gaps.

import { LitElement, html, css } from 'lit';
import { api, type Loaded } from '../api/client.js';
import type { Project } from '../api/schemas.js';
import { formatTime } from '../format.js';
import { href } from '../route.js';
import { shared } from './styles.js';
import './kx-status.js';
import './kx-insight-off.js';

export class KxProjectsView extends LitElement {
  static override styles = [shared, css`table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); } th { font-size: 0.8rem; color: var(--fg-soft); }`];
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
    return html`<h1>Projects</h1><kx-insight-off></kx-insight-off><table>
      <thead><tr><th scope="col">Project</th><th scope="col">Sessions</th><th scope="col">Open gaps</th><th scope="col">Resolved gaps</th><th scope="col">Last activity</th></tr></thead>
      <tbody>${list.map(
        (p) => html`<tr><td><a href=${href.project(p.id)}>${p.name}</a></td><td>${p.sessionCount}</td><td>${p.openGaps}</td><td>${p.resolvedGaps}</td>
          <td>${p.lastActivityAt ? formatTime(p.lastActivityAt) : '—'}</td></tr>`,
      )}</tbody></table>`;
  }
}
customElements.define('kx-projects-view', KxProjectsView);
