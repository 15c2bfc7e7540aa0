// One session: its timeline (turns in order, growing live), its learnings and summary, its playbook, and a
// chart of tokens and latency per turn. Long timelines are windowed: turns are added as the reader scrolls.

import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import type { SessionDetailView } from '../../../src/contracts/console.js';
import { detailStatus } from '../session-status.js';
import { api, type Loaded } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { TurnInsight } from '../api/schemas.js';
import { formatDuration, formatTime, formatTokens, memoryLookups, STATUS_MEANING } from '../format.js';
import { href, type SessionTab } from '../route.js';
import { typedText } from '../../../src/protocol/human-text.js';
import { shared } from './styles.js';
import { itemRows, turnFacts } from './kx-turn.js';
import './kx-item.js';
import './kx-turn.js';
import './kx-status.js';
import './kx-chart.js';
import './kx-learnings.js';
import './kx-playbook.js';

const WINDOW = 60;
/** Live updates within this long of each other are one reload. */
const COALESCE_MS = 80;

type Insights = Awaited<ReturnType<typeof api.insights>>;
type Summary = Awaited<ReturnType<typeof api.summary>>;

/** Sessions with this many turns get a jump list above the timeline. */
const OUTLINE_FROM = 4;
export class KxSessionView extends LitElement {
  static override styles = [
    shared,
    css`
      /* Each tab on one line; on a phone the row scrolls in its own box rather than stack three-line labels. */
      nav.tabs { position: relative; display: flex; gap: 0.3rem; box-shadow: inset 0 -1px var(--border); margin: 0.8rem 0; overflow-x: auto; overflow-y: hidden; }
      nav.tabs a { white-space: nowrap; padding: 0.35rem 0.8rem; text-decoration: none; border-radius: 6px 6px 0 0; color: var(--fg-soft); }
      nav.tabs a[aria-current='page'] { color: var(--fg); border: 1px solid var(--border); border-bottom-color: var(--bg); background: var(--bg); }
      .title { font-size: 1.2rem; white-space: pre-wrap; word-break: break-word; }
      .sentinel { height: 1px; }
      section.background { margin-top: 1.5rem; padding: 0.6rem 0.8rem; border: 1px dashed var(--border); border-radius: 6px; color: var(--fg-soft); }
      section.background h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
      .facts { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; }
      details.outline { margin: 0.6rem 0; }
      details.outline ol { margin: 0.4rem 0; padding-left: 1.6rem; columns: 2 22rem; }
      details.outline li { break-inside: avoid; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    `,
  ];
  static override properties = {
    sessionId: {},
    turnSeq: { type: Number },
    tab: {},
    detail: { state: true },
    insights: { state: true },
    summary: { state: true },
    shown: { state: true },
    ending: { state: true },
  };
  declare sessionId: string;
  declare turnSeq: number | null;
  declare tab: SessionTab;
  declare detail: Loaded<SessionDetailView> | undefined;
  declare insights: Insights | undefined;
  declare summary: Summary | undefined;
  /** How many turns the timeline has put in the page so far. */
  declare shown: number;
  /** The End session button's state: idle, waiting for kx, or what went wrong. */
  declare ending: 'idle' | 'busy' | string;
  private unsubscribe: (() => void) | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) this.shown += WINDOW;
  });
  private scrolledTo: number | null = null;

  constructor() {
    super();
    this.sessionId = '';
    this.turnSeq = null;
    this.tab = 'timeline';
    this.detail = undefined;
    this.insights = undefined;
    this.summary = undefined;
    this.shown = WINDOW;
    this.ending = 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onLive((e) => {
      if (!('sessionId' in e) || e.sessionId !== this.sessionId) return;
      if (e.type === 'items' || e.type === 'turn' || e.type === 'session') this.scheduleReload();
      if (e.type !== 'insight') return;
      const id = this.sessionId;
      // A summary job's answer is a new summary version; a turn job's is that turn's note.
      if (e.jobKind === 'session') void api.summary(id).then((r) => id === this.sessionId && (this.summary = r));
      else void api.insights(id).then((r) => id === this.sessionId && (this.insights = r));
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.observer.disconnect();
    clearTimeout(this.reloadTimer);
  }

  private scheduleReload(): void {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load();
    }, COALESCE_MS);
  }

  private async load(): Promise<void> {
    const id = this.sessionId;
    const [detail, insights, summary] = await Promise.all([api.session(id), api.insights(id), api.summary(id)]);
    if (id !== this.sessionId) return;
    this.detail = detail;
    this.insights = insights;
    this.summary = summary;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('sessionId')) {
      this.detail = undefined;
      this.shown = WINDOW;
      this.scrolledTo = null;
      void this.load();
    }
    if (changed.has('turnSeq') && this.turnSeq !== null && this.turnSeq > this.shown) this.shown = this.turnSeq + 10;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('tab') || changed.has('detail')) this.showCurrentTab();
    const sentinel = this.renderRoot.querySelector('.sentinel');
    this.observer.disconnect();
    if (sentinel) this.observer.observe(sentinel);
    if (this.turnSeq !== null && this.scrolledTo !== this.turnSeq && this.tab === 'timeline') {
      const el = this.renderRoot.querySelector(`kx-turn[data-seq="${this.turnSeq}"]`);
      if (el) {
        this.scrolledTo = this.turnSeq;
        el.scrollIntoView({ block: 'start' });
      }
    }
  }

  /** On a phone the tabs scroll in their row: the open one is brought into it (sideways only, the page stays put). */
  private showCurrentTab(): void {
    const nav = this.renderRoot.querySelector<HTMLElement>('nav.tabs');
    const tab = nav?.querySelector<HTMLElement>('a[aria-current="page"]');
    if (!nav || !tab) return;
    if (tab.offsetLeft < nav.scrollLeft || tab.offsetLeft + tab.offsetWidth > nav.scrollLeft + nav.clientWidth) nav.scrollLeft = tab.offsetLeft - 8;
  }

  /** j/k move between turns, keeping the deep link current. */
  onKey(key: string): boolean {
    if (this.detail?.state !== 'ok' || this.tab !== 'timeline' || (key !== 'j' && key !== 'k')) return false;
    const seqs = this.detail.data.turns.map((t) => t.seq);
    if (seqs.length === 0) return false;
    const at = this.turnSeq === null ? -1 : seqs.indexOf(this.turnSeq);
    const next = seqs[Math.min(seqs.length - 1, Math.max(0, at + (key === 'j' ? 1 : -1)))]!;
    this.scrolledTo = null;
    // Set at once, not only when the route comes back through hashchange and a render: a second key
    // pressed before then must move on from this turn, not from the one before it.
    this.turnSeq = next;
    location.hash = href.turn(this.sessionId, next);
    return true;
  }

  override render() {
    if (this.detail?.state !== 'ok') {
      if (this.detail?.state === 'missing') return html`<div class="empty"><strong>No session with this id.</strong> <a href=${href.sessions()}>Back to the sessions</a>.</div>`;
      return html`<kx-status .loaded=${this.detail} what="Session"></kx-status>`;
    }
    const s = this.detail.data;
    // What the human typed, not learn mode's rewrite of it.
    const first = s.turns[0]?.items.find((i) => i.kind === 'human_message');
    const title = (first && typedText(first)) ?? s.id;
    const tab = (t: SessionTab, label: string) => html`<a href=${href.session(s.id, t)} aria-current=${this.tab === t ? 'page' : 'false'}>${label}</a>`;
    const status = detailStatus(s, Date.now());
    return html`
      <h1 class="title">${title.length > 200 ? `${title.slice(0, 200)}…` : title}</h1>
      <div class="facts">
        <span class="chip ${status}" aria-label=${`status: ${status}`} title=${STATUS_MEANING[status] ?? ''}>${status}</span>
        ${s.project
          ? html`<span>Project <a href=${href.project(s.project)}>${s.cwd ?? s.project}</a></span>`
          : html`<span class="muted">No project yet</span>`}
        ${s.endedAt
          ? html`<span class="muted small">ended ${formatTime(s.endedAt)}</span>`
          : html`<button type="button" ?disabled=${this.ending === 'busy'} @click=${() => this.end()}>End session</button>`}
        ${this.ending !== 'idle' && this.ending !== 'busy' ? html`<span class="error" role="alert">${this.ending}</span>` : nothing}
      </div>
      <p class="muted small">
        <code>${s.id}</code> · ${s.client ?? 'unknown client'} · started ${formatTime(s.startedAt)} ·
        ${formatDuration(Date.parse(s.lastActivityAt) - Date.parse(s.startedAt))} · ${s.turnCount} turn${s.turnCount === 1 ? "" : "s"} · ${formatTokens(s.usage.totalTokens)} tokens ·
        <span title="calls the agent made to kx's memory tools (search, gaps, playbook, profile, turn) in this session">${memoryLookups(s.memoryLookups ?? 0)}</span>
      </p>
      <div class="row">
        <a href=${api.exportUrl(s.id, 'md')} download>Export markdown</a>
        <a href=${api.exportUrl(s.id, 'html')} download>Export HTML</a>
      </div>
      <nav class="tabs" aria-label="Session views">
        ${tab('timeline', 'Timeline')} ${tab('learnings', 'Learnings and summary')} ${tab('playbook', 'Playbook')} ${tab('chart', 'Tokens and latency')}
      </nav>
      ${this.tab === 'timeline' ? this.renderOutline(s) : nothing}
      ${this.renderTab(s)}
    `;
  }

  /** `kx end` from the page: the summary is queued, the header says when it ended. */
  private async end(): Promise<void> {
    this.ending = 'busy';
    const res = await api.endSession(this.sessionId);
    this.ending = res.state === 'ok' ? 'idle' : res.state === 'missing' ? 'kx could not end it: no insight engine, or no such session.' : res.message;
    if (res.state === 'ok') await this.load();
  }

  /** A jump list of the turns, by what the human asked: a long session is pages and pages of timeline. */
  private renderOutline(s: SessionDetailView) {
    if (s.turns.length < OUTLINE_FROM) return nothing;
    return html`<details class="outline">
      <summary>Jump to a turn (${s.turns.length})</summary>
      <ol>
        ${s.turns.map((t) => {
          const human = t.items.find((i) => i.kind === 'human_message');
          const asked = (human && typedText(human))?.replace(/\s+/g, ' ').trim() || '(no message)';
          return html`<li value=${t.seq}><a href=${href.turn(s.id, t.seq)} title=${asked.slice(0, 300)}>${asked.length > 90 ? `${asked.slice(0, 89)}…` : asked}</a></li>`;
        })}
      </ol>
    </details>`;
  }

  private insightOf(turnId: string): TurnInsight | undefined {
    return this.insights?.state === 'ok' ? this.insights.data.insights.find((i) => i.turnId === turnId) : undefined;
  }

  private renderTab(s: SessionDetailView) {
    switch (this.tab) {
      case 'learnings':
        return html`<kx-learnings .summary=${this.summary} .insights=${this.insights}></kx-learnings>`;
      case 'playbook':
        return html`<kx-playbook .summary=${this.summary} .insights=${this.insights}></kx-playbook>`;
      case 'chart':
        return this.renderChart(s);
      default:
        return this.renderTimeline(s);
    }
  }

  private renderTimeline(s: SessionDetailView) {
    if (s.turns.length === 0) return html`<div class="empty">No human turn yet. The timeline fills in as the agent's traffic flows through kx.</div>${this.renderBackground(s)}`;
    const turns = s.turns.slice(0, this.shown);
    return html`<section aria-label="Timeline">
      ${turns.map(
        (t) => html`<kx-turn data-seq=${t.seq} .turn=${t} .sessionId=${s.id} ?sessionOver=${detailStatus(s, Date.now()) !== 'live'} .requests=${s.requests.filter((r) => r.turnId === t.id)}
          .insight=${this.insightOf(t.id)} ?selected=${this.turnSeq === t.seq}></kx-turn>`,
      )}
      ${turns.length < s.turns.length ? html`<div class="sentinel"></div><p class="muted small">Showing ${turns.length} of ${s.turns.length} turns; scroll for more.</p>` : nothing}
    </section>
    ${this.renderBackground(s)}`;
  }

  /** The client's background calls (titles, summaries, memory): visible, but apart from the turns they never were. */
  private renderBackground(s: SessionDetailView) {
    const calls = s.requests.filter((r) => r.requestKind === 'background');
    if (calls.length === 0) return nothing;
    return html`<section class="background" aria-label="Background calls">
      <h2>Background calls <span class="muted small">· the client's own work (titles, summaries, memory), never a turn</span></h2>
      ${calls.map(
        (r) => html`<details>
          <summary>${formatTime(r.startedAt)} · ${r.model ?? 'model'} · ${r.outcome ?? 'pending'}</summary>
          ${itemRows(s.preamble.filter((i) => i.requestId === r.id && i.direction === 'output')).map((row) => html`<kx-item .item=${row.item} .output=${row.output}></kx-item>`)}
        </details>`,
      )}
    </section>`;
  }

  private renderChart(s: SessionDetailView) {
    if (s.turns.length === 0) return html`<div class="empty">No turns to chart yet.</div>`;
    const facts = s.turns.map((t) => turnFacts(s.requests.filter((r) => r.turnId === t.id)));
    return html`<kx-chart
      caption="Tokens (left axis) and model latency in seconds (right axis) per turn"
      xLabel="turn" yLabel="tokens" y2Label="seconds"
      .series=${[
        { label: 'input tokens', color: '#2f81f7', scale: 'y' },
        { label: 'output tokens', color: '#3fb950', scale: 'y' },
        { label: 'latency (s)', color: '#d29922', scale: 'y2' },
      ]}
      .data=${[s.turns.map((t) => t.seq), facts.map((f) => f.inputTokens), facts.map((f) => f.outputTokens), facts.map((f) => f.modelMs / 1000)]}
    ></kx-chart>`;
  }
}
customElements.define('kx-session-view', KxSessionView);
