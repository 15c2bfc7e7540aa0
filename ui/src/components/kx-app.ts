// The console's shell: navigation (with learn mode's pending approvals count), the view for the current hash
// route, and the keyboard shortcuts.

import { LitElement, html, css } from 'lit';
import { api } from '../api/client.js';
import { onLive } from '../api/live.js';
import { href, parseRoute, routeTitle, type Route } from '../route.js';
import { shared } from './styles.js';
import './kx-sessions-view.js';
import './kx-session-view.js';
import './kx-search-view.js';
import './kx-gaps-view.js';
import './kx-projects-view.js';
import './kx-team-view.js';
import './kx-project-view.js';
import './kx-approvals-view.js';
import './kx-mode-toggle.js';
import './kx-help.js';
import { askNotificationsOnce, notifyWaitingTurn, titleWithPending } from '../notify.js';

interface KeyedView extends HTMLElement {
  onKey?(key: string): boolean;
  focusInput?(): void;
}

export class KxApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host { display: block; min-height: 100vh; }
      header { display: flex; align-items: center; gap: 1.2rem; padding: 0.5rem 1.2rem; border-bottom: 1px solid var(--border); background: var(--bg-soft); flex-wrap: wrap; }
      header .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
      nav { display: flex; gap: 0.2rem; flex-wrap: wrap; }
      nav a { padding: 0.3rem 0.7rem; border-radius: 6px; text-decoration: none; color: var(--fg); }
      nav a[aria-current='page'] { background: var(--bg); border: 1px solid var(--border); }
      .count { background: var(--accent); color: var(--accent-fg); border-radius: 999px; padding: 0 0.45rem; font-size: 0.8rem; margin-left: 0.2rem; }
      main { padding: 1rem 1.2rem 3rem; max-width: 76rem; margin: 0 auto; }
      /* The sessions table has eight fixed columns: a wide screen gives its room to the titles. */
      main.wide { max-width: 96rem; }
      .hint { margin-left: auto; font-size: 0.8rem; color: var(--fg-soft); }
      /* A phone needs the room (and has no keys to press: .keys hides the hint). */
      @media (max-width: 600px) { header { gap: 0.5rem 1rem; padding: 0.5rem 0.8rem; } main { padding: 0.8rem 0.8rem 2rem; } }
      .failure { border: 1px solid var(--border); border-left: 4px solid var(--bad); padding: 0.6rem 0.8rem; margin-bottom: 1rem; border-radius: 6px; }
    `,
  ];
  static override properties = { route: { state: true }, pending: { state: true }, failure: { state: true } };
  declare route: Route;
  /** What failed in the view on screen (an error it threw): shown above it, with the navigation still working. */
  declare failure: string | null;
  /** Approvals waiting; null when learn mode is not installed. */
  declare pending: number | null;
  private unsubscribe: (() => void) | undefined;
  private readonly onHash = () => {
    this.failure = null;
    this.route = parseRoute(location.hash);
  };
  private readonly onError = (e: ErrorEvent) => this.fail(e.error ?? e.message);
  private readonly onRejection = (e: PromiseRejectionEvent) => this.fail(e.reason);
  private readonly onKeydown = (e: KeyboardEvent) => this.key(e);

  constructor() {
    super();
    this.route = parseRoute(location.hash);
    this.pending = null;
    this.failure = null;
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.failure = message.slice(0, 500);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('keydown', this.onKeydown);
    window.addEventListener('error', this.onError);
    window.addEventListener('unhandledrejection', this.onRejection);
    askNotificationsOnce();
    void this.countPending();
    this.unsubscribe = onLive((e) => {
      if (e.type !== 'approval') return;
      if (e.status === 'pending') notifyWaitingTurn(e.approvalId, e.sessionId);
      void this.countPending();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('keydown', this.onKeydown);
    window.removeEventListener('error', this.onError);
    window.removeEventListener('unhandledrejection', this.onRejection);
    this.unsubscribe?.();
  }

  private async countPending(): Promise<void> {
    const res = await api.approvals('pending');
    this.pending = res.state === 'ok' ? res.data.approvals.length : null;
  }

  protected override updated(): void {
    document.title = titleWithPending(routeTitle(this.route), this.pending ?? 0);
  }

  private key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.composedPath().some((t) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)));
    if (typing) {
      if (e.key === 'Escape') (e.composedPath()[0] as HTMLElement).blur?.();
      return;
    }
    const help = this.renderRoot.querySelector('kx-help') as (HTMLElement & { open(): void; isOpen: boolean }) | null;
    if (help?.isOpen) return;
    const view = this.renderRoot.querySelector('[data-view]') as KeyedView | null;
    if (e.key === '?') {
      e.preventDefault();
      help?.open();
    } else if (e.key === '/') {
      e.preventDefault();
      if (this.route.view !== 'search') {
        location.hash = href.search('');
        this.route = { view: 'search', q: '' };
      }
      void this.updateComplete.then(() => (this.renderRoot.querySelector('kx-search-view') as KeyedView | null)?.focusInput?.());
    } else if (e.key === 'g') {
      location.hash = href.sessions();
    } else if (view?.onKey?.(e.key)) {
      e.preventDefault();
    }
  }

  override render() {
    const r = this.route;
    const link = (to: string, label: string, active: boolean, extra: unknown = '') =>
      html`<a href=${to} aria-current=${active ? 'page' : 'false'}>${label}${extra}</a>`;
    return html`
      <header>
        <a class="brand" href=${href.sessions()}>kx</a>
        <nav aria-label="Views">
          ${link(href.sessions(), 'Sessions', r.view === 'sessions' || r.view === 'session')}
          ${link(href.search(''), 'Search', r.view === 'search')}
          ${link(href.gaps(), 'Gaps', r.view === 'gaps')}
          ${link(href.projects(), 'Projects', r.view === 'projects' || r.view === 'project')}
          ${link(href.approvals(), 'Approvals', r.view === 'approvals', this.pending ? html`<span class="count" aria-label=${`${this.pending} pending`}>${this.pending}</span>` : '')}
          ${link(href.team(), 'Team', r.view === 'team')}
        </nav>
        <kx-mode-toggle></kx-mode-toggle>
        <span class="hint keys">Press <kbd>?</kbd> for keys</span>
      </header>
      <main class=${r.view === 'sessions' ? 'wide' : ''}>
        ${this.failure
          ? html`<div class="failure" role="alert"><strong>This view failed:</strong> <code>${this.failure}</code>. The other views still work; reload the page to try this one again.</div>`
          : ''}
        ${this.renderView(r)}
      </main>
      <kx-help></kx-help>
    `;
  }

  private renderView(r: Route) {
    switch (r.view) {
      case 'session':
        return html`<kx-session-view data-view .sessionId=${r.sessionId} .turnSeq=${r.turnSeq} .tab=${r.tab}></kx-session-view>`;
      case 'search':
        return html`<kx-search-view data-view .q=${r.q}></kx-search-view>`;
      case 'gaps':
        return html`<kx-gaps-view data-view></kx-gaps-view>`;
      case 'projects':
        return html`<kx-projects-view data-view></kx-projects-view>`;
      case 'project':
        return html`<kx-project-view data-view .projectId=${r.projectId}></kx-project-view>`;
      case 'approvals':
        return html`<kx-approvals-view data-view .approvalId=${r.approvalId}></kx-approvals-view>`;
      case 'team':
        return html`<kx-team-view data-view></kx-team-view>`;
      default:
        return html`<kx-sessions-view data-view></kx-sessions-view>`;
    }
  }
}
customElements.define('kx-app', KxApp);
