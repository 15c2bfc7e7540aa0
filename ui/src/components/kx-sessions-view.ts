// The session list: newest activity first, filtered by client, project and start date, a page at a time.
// j/k move through it, Enter opens; new sessions appear as kx stores them.

import { LitElement, html, css, nothing } from 'lit';
import type { SessionListItem } from '../../../src/contracts/console.js';
import { api, type Loaded, type SessionFilters } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { Project, SessionRow } from '../api/schemas.js';
import { formatDuration, formatTokens, memoryLookups, STATUS_MEANING } from '../format.js';
import { href } from '../route.js';
import { shared, stackedTable } from './styles.js';
import { when } from './when.js';
import './kx-status.js';

const PAGE = 50;

export class KxSessionsView extends LitElement {
  static override styles = [
    shared,
    stackedTable,
    css`
      form { display: flex; gap: 0.8rem; flex-wrap: wrap; align-items: end; margin: 0 0 0.8rem; }
      /* Capped here too: a label sized by a long project path's option would push the dates onto a line of their own. */
      label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--fg-soft); gap: 0.15rem; max-width: min(100%, 24rem); }
      /* Fixed layout: the other columns keep their widths and the title takes what is left, cut with an ellipsis. */
      table { width: 100%; border-collapse: collapse; table-layout: fixed; }
      col.client { width: 7.5rem; } col.project { width: 8rem; } col.when { width: 10rem; } col.duration { width: 6rem; }
      col.turns { width: 3.5rem; } col.gaps { width: 5.5rem; } col.tokens { width: 6.5rem; } col.status { width: 6.5rem; }
      /* A wide screen has room for a date and its clock on one line. */
      @media (min-width: 1200px) { col.when { width: 13rem; } }
      td.client, td.project, .meta .path { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      td.project, .meta .path { direction: rtl; text-align: left; }
      td .meta { display: none; }
      th, td { text-align: left; padding: 0.4rem 0.4rem; border-bottom: 1px solid var(--border); vertical-align: top; }
      th { font-size: 0.8rem; color: var(--fg-soft); font-weight: 600; }
      td.num, th.num { text-align: right; white-space: nowrap; }
      /* A date breaks between its day and its clock, never into the next column; a pill keeps inside its cell. */
      .nw, td.status { white-space: nowrap; }
      td.title a { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      tr[aria-selected='true'] td { background: var(--bg-soft); }
      /* A laptop or a landscape tablet: the client and the project give way first, folded under the title
         (which may take two lines), so the titles keep a fair share of the table. */
      @media (min-width: 901px) and (max-width: 1359px) {
        col.client, col.project, th.client, th.project, td.client, td.project { display: none; }
        td .meta { display: flex; gap: 0.3rem; min-width: 0; }
        .meta .path { min-width: 0; }
        td.title a { white-space: normal; overflow-wrap: anywhere; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
      }
      /* A card per session on a narrow screen: the whole title (up to three lines), then its facts. */
      @media (max-width: 900px) {
        td.title a { white-space: normal; overflow-wrap: anywhere; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; font-weight: 600; }
        tr[aria-selected='true'] { background: var(--bg-soft); }
        table.stack td.none { display: none; }
      }
    `,
  ];
  static override properties = {
    page: { state: true },
    sessions: { state: true },
    cursor: { state: true },
    filters: { state: true },
    projects: { state: true },
    selected: { state: true },
  };
  declare page: Loaded<{ total: number; clients: string[] }> | undefined;
  declare sessions: SessionListItem[];
  declare cursor: string | null;
  declare filters: SessionFilters;
  declare projects: Project[];
  declare selected: number;
  private unsubscribe: (() => void) | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.page = undefined;
    this.sessions = [];
    this.cursor = null;
    this.filters = {};
    this.projects = [];
    this.selected = -1;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    void api.projects().then((r) => (this.projects = r.state === 'ok' ? r.data.projects : []));
    this.unsubscribe = onLive((e) => {
      // A stored note changes a session's insight tokens, and a gap its open gaps.
      const changed = e.type === 'session' || e.type === 'turn' || e.type === 'gap' || (e.type === 'insight' && e.state === 'done');
      if (!changed) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload(), 300);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    clearTimeout(this.reloadTimer);
  }

  private async reload(): Promise<void> {
    const res = await api.sessions({ ...this.filters, limit: Math.max(PAGE, this.sessions.length) });
    this.page = res;
    if (res.state === 'ok') {
      this.sessions = res.data.sessions;
      this.cursor = res.data.nextCursor;
    }
  }

  private async more(): Promise<void> {
    if (!this.cursor) return;
    const res = await api.sessions({ ...this.filters, limit: PAGE, cursor: this.cursor });
    if (res.state !== 'ok') return void (this.page = res);
    this.sessions = [...this.sessions, ...res.data.sessions];
    this.cursor = res.data.nextCursor;
  }

  private setFilter(name: keyof SessionFilters, value: string): void {
    this.filters = { ...this.filters, [name]: value || undefined };
    this.sessions = [];
    this.selected = -1;
    void this.reload();
  }

  onKey(key: string): boolean {
    if (this.sessions.length === 0) return false;
    if (key === 'j' || key === 'k') {
      this.selected = Math.min(this.sessions.length - 1, Math.max(0, this.selected + (key === 'j' ? 1 : -1)));
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('tr[aria-selected="true"] a')?.focus());
      return true;
    }
    if (key === 'Enter' && this.selected >= 0) {
      location.hash = href.session(this.sessions[this.selected]!.id);
      return true;
    }
    return false;
  }

  override render() {
    const page = this.page;
    const clients = page?.state === 'ok' ? page.data.clients : [];
    const filtered = Object.values(this.filters).some(Boolean);
    return html`
      <h1>Sessions ${page?.state === 'ok' ? html`<span class="muted small">${page.data.total}</span>` : nothing}</h1>
      <form @submit=${(e: Event) => e.preventDefault()} aria-label="Filter sessions">
        <label>Client
          <select @change=${(e: Event) => this.setFilter('client', (e.target as HTMLSelectElement).value)}>
            <option value="">all clients</option>
            ${clients.map((c) => html`<option .value=${c} ?selected=${this.filters.client === c}>${c}</option>`)}
          </select>
        </label>
        ${this.projects.length
          ? html`<label>Project
              <select @change=${(e: Event) => this.setFilter('project', (e.target as HTMLSelectElement).value)}>
                <option value="">all projects</option>
                ${this.projects.map((p) => html`<option .value=${p.id} ?selected=${this.filters.project === p.id}>${p.name}</option>`)}
              </select>
            </label>`
          : nothing}
        <label>Started from <input type="date" @change=${(e: Event) => this.setFilter('from', (e.target as HTMLInputElement).value)}></label>
        <label>until <input type="date" @change=${(e: Event) => this.setFilter('to', (e.target as HTMLInputElement).value)}></label>
      </form>
      ${page?.state === 'ok' ? this.renderTable(filtered) : html`<kx-status .loaded=${page} what="Sessions"></kx-status>`}
    `;
  }

  private projectName(id: string | null): string {
    return this.projects.find((p) => p.id === id)?.name ?? id ?? '—';
  }

  /** A project is named by its folder, cut from the left when long: the end of a path says the most. */
  private projectCell(id: string | null) {
    const name = this.projectName(id);
    return html`<td class="project ${id ? '' : 'none'}" title=${name}><bdi>${name}</bdi></td>`;
  }

  /** The client and the project under the title, where their columns give way (a laptop's width). */
  private meta(s: SessionListItem) {
    const project = this.projects.length && s.project ? this.projectName(s.project) : undefined;
    if (!s.client && !project) return nothing;
    return html`<span class="meta muted small">${s.client ?? ''}${s.client && project ? html`<span aria-hidden="true">·</span>` : nothing}${project
      ? html`<span class="path" title=${project}><bdi>${project}</bdi></span>`
      : nothing}</span>`;
  }

  /** A row kx sent in a shape the console cannot read: marked, with what was wrong, and a link when it has an id. */
  private unreadableRow(s: SessionRow, n: number) {
    const cols = 7 + (this.projects.length ? 1 : 0) + (this.sessions.some((x) => x.openGaps !== undefined) ? 1 : 0);
    const label = s.title ?? (s.id || 'a session');
    return html`<tr class="unreadable" aria-selected=${n === this.selected ? 'true' : 'false'}>
      <td class="title">${s.id ? html`<a href=${href.session(s.id)}>${label}</a>` : label}</td>
      <td colspan=${cols - 1}><span class="chip unreadable">unreadable</span> kx sent this row in a shape the console cannot read (${s.unreadable})</td>
    </tr>`;
  }

  private renderTable(filtered: boolean) {
    if (this.sessions.length === 0) {
      return filtered
        ? html`<div class="empty">No session matches these filters.</div>`
        : html`<div class="empty"><strong>No sessions yet.</strong> Point Codex at <code>http://127.0.0.1:8787/v1</code>
            (or run <code>kx codex</code>), or run <code>kx import codex</code> to bring in past sessions.</div>`;
    }
    const gaps = this.sessions.some((s) => s.openGaps !== undefined);
    return html`<table class="stack">
        <colgroup><col class="title"><col class="client">${this.projects.length ? html`<col class="project">` : nothing}<col class="when"><col class="duration"><col class="turns">
          ${gaps ? html`<col class="gaps">` : nothing}<col class="tokens"><col class="status"></colgroup>
        <thead><tr>
          <th scope="col">Session</th><th scope="col" class="client">Client</th>${this.projects.length ? html`<th scope="col" class="project">Project</th>` : nothing}
          <th scope="col">Started</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Turns</th>
          ${gaps ? html`<th scope="col" class="num" title="gaps still open that this session showed last">Open gaps</th>` : nothing}
          <th scope="col" class="num">Tokens</th><th scope="col">Status</th>
        </tr></thead>
        <tbody>
          ${this.sessions.map(
            (s, n) => (s as SessionRow).unreadable !== undefined ? this.unreadableRow(s as SessionRow, n) : html`<tr aria-selected=${n === this.selected ? 'true' : 'false'}>
              <td class="title"><a href=${href.session(s.id)} title=${s.title ?? s.id}>${s.title ?? s.id}</a>${this.meta(s)}</td>
              <td class="client ${s.client ? '' : 'none'}" title=${s.client ?? ''}>${s.client ?? '—'}</td>
              ${this.projects.length ? this.projectCell(s.project) : nothing}
              <td class="when"><span class="label">Started</span> ${when(s.startedAt)}</td>
              <td class="num"><span class="label">Took</span> ${formatDuration(s.durationMs)}</td>
              <td class="num"><span class="label">Turns</span> ${s.turnCount}${s.memoryLookups ? html`<br><span class="muted small" title="calls the agent made to kx's memory tools in this session">${memoryLookups(s.memoryLookups)}</span>` : nothing}</td>
              ${gaps ? html`<td class="num"><span class="label">Open gaps</span> ${s.openGaps ? html`<a href=${href.gaps()} class="chip gap" aria-label=${`${s.openGaps} open gaps`}>${s.openGaps}</a>` : '0'}</td>` : nothing}
              <td class="num"><span class="label">Tokens</span> ${formatTokens(s.usage.totalTokens)}${s.insightTokens && s.insightTokens.input + s.insightTokens.output > 0
                ? html`<br><span class="muted small" title="tokens the insight engine spent on this session">+${formatTokens(s.insightTokens.input + s.insightTokens.output)} insight</span>`
                : nothing}</td>
              <td class="status"><span class="chip ${s.status}" title=${STATUS_MEANING[s.status] ?? ''}>${s.status}</span></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.cursor ? html`<p><button type="button" @click=${this.more}>Show more sessions</button></p>` : nothing}`;
  }
}
customElements.define('kx-sessions-view', KxSessionsView);
