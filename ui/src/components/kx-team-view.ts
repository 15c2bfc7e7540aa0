// Team memory (docs/team.md): whether it is on and reaching the database, what leaves this machine and
// what never does, each project's sharing switch, and the latest records teammates shared.

import { LitElement, html, css } from 'lit';
import { api, type Loaded } from '../api/client.js';
import type { TeamView } from '../../../src/contracts/team.js';
import { formatTime } from '../format.js';
import { shared, stackedTable } from './styles.js';
import './kx-status.js';

const STATE_WORDS: Record<TeamView['state'], string> = {
  off: 'off',
  starting: 'starting',
  connected: 'connected',
  unreachable: 'the team database cannot be reached; what waits to leave is kept and retried',
};

export class KxTeamView extends LitElement {
  static override styles = [
    shared,
    stackedTable,
    css`table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
      th { font-size: 0.8rem; color: var(--fg-soft); } td code { overflow-wrap: anywhere; } h2 { margin-top: 1.2rem; } .card > h2:first-child { margin-top: 0.2rem; }
      /* The project's path and its team name take the room; the switch and the counts stay narrow. */
      th.n, td.n { text-align: right; white-space: nowrap; } td.share label { white-space: nowrap; }
      @media (min-width: 901px) { th.key { width: 35%; } }`,
  ];
  static override properties = { team: { state: true }, error: { state: true } };
  declare team: Loaded<TeamView> | undefined;
  declare error: string;

  constructor() {
    super();
    this.team = undefined;
    this.error = '';
  }

  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // The sync runs in kx's worker and changes nothing the live events announce: the view looks again every few seconds.
    this.timer = setInterval(() => void this.load(), 3_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    this.team = await api.team();
  }

  private async toggle(projectId: string, sharing: boolean): Promise<void> {
    const r = await api.setSharing(projectId, sharing);
    this.error = r.state === 'error' ? r.message : '';
    await this.load();
  }

  override render() {
    if (this.team?.state !== 'ok') return html`<h1>Team</h1><kx-status .loaded=${this.team} what="Team memory"></kx-status>`;
    const t = this.team.data;
    if (!t.enabled) {
      return html`<h1>Team</h1><div class="empty"><strong>Team memory is off.</strong> Share what kx learns in a project with your team through one PostgreSQL:
        run <code>kx team join postgres://…</code> and restart kx (docs/team.md). Nothing leaves this machine until then.</div>`;
    }
    return html`<h1>Team</h1>
      <section class="card" aria-label="Sync">
        <div><strong>${STATE_WORDS[t.state]}</strong>${t.lastError ? html` — <span class="error">${t.lastError}</span>` : ''}</div>
        <div class="small muted"><code>${t.database}</code> as ${t.author} · ${t.backlog} waiting to leave · ${t.sent} sent and ${t.received} received
          ${t.lastSyncAt ? html` · last sync ${formatTime(t.lastSyncAt)}` : ''}${t.nextRetryAt ? html` · next try ${formatTime(t.nextRetryAt)}` : ''}</div>
      </section>
      <section class="card" aria-label="What leaves this machine">
        <h2>What leaves this machine</h2>
        <ul>${t.shared.map((s) => html`<li>${s}</li>`)}</ul>
        <h2>What never does</h2>
        <ul>${t.keptLocal.map((s) => html`<li>${s}</li>`)}</ul>
      </section>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : ''}
      <h2>Projects</h2>
      <table class="stack">
        <thead><tr><th scope="col">Project</th><th scope="col" class="key">Team name</th><th scope="col">Sharing</th><th scope="col" class="n">Waiting</th><th scope="col" class="n">Received</th></tr></thead>
        <tbody>${t.projects.map(
          (p) => html`<tr><td class="name">${p.name}</td><td class="key"><span class="label">Team name</span> <code>${p.teamKey ?? '—'}</code></td>
            <td class="share"><label><input type="checkbox" .checked=${p.sharing} @change=${(e: Event) => void this.toggle(p.id, (e.target as HTMLInputElement).checked)} /> ${p.sharing ? 'shared' : 'kept here'}</label></td>
            <td class="n"><span class="label">Waiting</span> ${p.waiting}</td><td class="n"><span class="label">Received</span> ${p.received}</td></tr>`,
        )}</tbody></table>
      <h2>Latest from the team</h2>
      ${t.recent.length === 0
        ? html`<div class="empty">Nothing has come from teammates yet.</div>`
        : html`<ul class="plain">${t.recent.map(
            (r) => html`<li class="card"><span class="chip">${r.kind}</span> ${r.deleted ? html`<em>removed</em>` : r.title}
              <div class="small muted">shared by ${r.author}${r.sessionId ? html` from session <code>${r.sessionId}</code>` : ''}, ${formatTime(r.changedAt)}</div></li>`,
          )}</ul>`}`;
  }
}
customElements.define('kx-team-view', KxTeamView);
