// Full-text search over everything captured: each hit names its session and turn, shows the matching passage
// with the matches marked, and links straight to the turn.

import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import type { SearchHitView, SearchResponseView } from '../../../src/contracts/console.js';
import { api, type Loaded } from '../api/client.js';
import { formatTime } from '../format.js';
import type { Project } from '../api/schemas.js';
import { href } from '../route.js';
import { shared } from './styles.js';
import './kx-snippet.js';
import './kx-status.js';
import { oneLine } from '../../../src/text/one-line.js';

const KIND: Record<string, string> = {
  human: 'human message',
  assistant: 'agent message',
  reasoning: 'reasoning',
  tool_call: 'tool call',
  tool_output: 'tool output',
  insight: 'insight',
  summary: 'summary',
  playbook: 'playbook',
  search_terms: 'search terms',
};

/** A hit with a turn opens the turn; a summary or a session's playbook opens that tab of its session. */
function hitHref(h: SearchHitView): string {
  if (!h.sessionId) return href.sessions();
  if (h.turnSeq !== null) return href.turn(h.sessionId, h.turnSeq);
  return href.session(h.sessionId, h.docKind === 'summary' ? 'learnings' : h.docKind === 'playbook' ? 'playbook' : 'timeline');
}

/** What a hit is: a human message learn mode sent rewritten says so, and whether the person edited what went. */
function kindOf(h: SearchHitView): string {
  if (!h.rewritten) return KIND[h.docKind] ?? h.docKind;
  return h.rewritten.edited ? 'human message, edited in learn mode before it was sent' : 'human message, sent rewritten by learn mode';
}

/** Why the hit matched, as retrieval says it: the words found in it ("log out (for signed out)"), or how close in meaning. */
function whyMatched(h: SearchHitView) {
  const words = h.words?.length ? `matched ${h.words.join(', ')}` : '';
  const meaning = h.similarity !== undefined ? `close in meaning (similarity ${h.similarity.toFixed(2)})` : '';
  const why = [words, meaning].filter(Boolean).join('; ');
  return why ? html` · <span class="why">${why}</span>` : nothing;
}

/**
 * The hit's passage. For a message learn mode sent rewritten, what the person typed is quoted as the human's
 * words and what was sent, where the match is in it, apart: kx's rewrite is never quoted as the person's words,
 * and their own edit of it is not called kx's.
 */
function hitPassage(h: SearchHitView) {
  if (!h.rewritten) return html`<kx-snippet .snippet=${h.snippet}></kx-snippet>`;
  return html`<div class="said"><span class="label">human said</span><kx-snippet .snippet=${h.snippet}></kx-snippet></div>
    ${h.rewritten.sent !== undefined
      ? html`<div class="sent"><span class="label">${h.rewritten.edited ? 'sent as edited by the person' : 'kx sent, rewritten by learn mode'}</span><kx-snippet .snippet=${h.rewritten.sent}></kx-snippet></div>`
      : nothing}`;
}

/** The session a hit is in, as a person knows it: title, project and day; the id only when nothing else is known. */
function hitSession(h: SearchHitView) {
  if (!h.sessionId) return nothing;
  const title = (h.sessionTitle ? oneLine(h.sessionTitle) : undefined);
  const name = title ? `“${title.length > 80 ? `${title.slice(0, 79)}…` : title}”` : html`<code>${h.sessionId}</code>`;
  return html`<span class="session-title">${name}</span>${h.projectName ? html` · <span class="hit-project" title=${h.projectName}><bdi>${h.projectName}</bdi></span>` : nothing}${h.sessionStartedAt ? html` · <time datetime=${h.sessionStartedAt}>${formatTime(h.sessionStartedAt)}</time>` : nothing}`;
}

/**
 * Why a search found nothing, truly: every word any match may hold was searched (retrieval.ts), so fewer words
 * never find more; a query of filler only ("how did we fix it") looked for nothing at all.
 */
function emptyResult(q: string, words: readonly string[], inProject: boolean) {
  if (words.length === 0) {
    return html`<div class="empty">Nothing to look for in <strong>${q}</strong>: every word of it is one nearly every session has. Search for an error name, a file, a component.</div>`;
  }
  return html`<div class="empty">No session holds any of these words: <strong>${q}</strong>. Try other words for it, such as an error name, a file or a command${inProject ? ', or all projects' : ''}.</div>`;
}

export class KxSearchView extends LitElement {
  static override styles = [
    shared,
    css`
      input[type='search'] { width: 100%; max-width: 40rem; font-size: 1.05rem; }
      li { border-bottom: 1px solid var(--border); padding: 0.5rem 0.3rem; }
      li.selected { background: var(--bg-soft); }
      li a { text-decoration: none; }
      .said, .sent { margin-top: 0.2rem; }
      .said .label, .sent .label { display: block; font-size: 0.8rem; color: var(--fg-soft); }
      .sent kx-snippet { padding-left: 0.6rem; border-left: 2px solid var(--border); }
      /* A long project path is cut from the left, where it says least; its whole path is the tooltip. */
      .hit-project { display: inline-block; max-width: min(100%, 24rem); vertical-align: bottom; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; direction: rtl; }
    `,
  ];
  static override properties = { q: {}, result: { state: true }, selected: { state: true }, project: { state: true }, projects: { state: true } };
  declare q: string;
  /** The project filter; '' for every project. */
  declare project: string;
  declare projects: Project[];
  declare result: Loaded<SearchResponseView> | undefined;
  declare selected: number;
  private typing: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.q = '';
    this.result = undefined;
    this.selected = -1;
    this.project = '';
    this.projects = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void api.projects().then((res) => {
      if (res.state === 'ok') this.projects = res.data.projects;
    });
  }

  focusInput(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector('input')?.focus());
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('q')) void this.run();
  }

  private async run(): Promise<void> {
    const q = this.q;
    const project = this.project;
    if (!q.trim()) return void (this.result = undefined);
    const res = await api.search(q, project || undefined);
    if (q === this.q && project === this.project) {
      this.result = res;
      this.selected = -1;
    }
  }

  private onInput(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.typing);
    // The hash keeps the query, so a search can be linked and Back returns to it.
    this.typing = setTimeout(() => history.replaceState(null, '', href.search(value)), 150);
    this.q = value;
  }

  /** Enter hands the keyboard to the hits: the box lets go of focus so j/k move through them. */
  private submit(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector('input')?.blur();
    this.selected = -1;
  }

  onKey(key: string): boolean {
    const hits = this.result?.state === 'ok' ? this.result.data.hits : [];
    if (hits.length === 0) return false;
    if (key === 'j' || key === 'k') {
      this.selected = Math.min(hits.length - 1, Math.max(0, this.selected + (key === 'j' ? 1 : -1)));
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('li.selected a')?.focus());
      return true;
    }
    return false;
  }

  override render() {
    return html`<h1>Search</h1>
      <form role="search" class="row" @submit=${(e: Event) => this.submit(e)}>
        <input type="search" aria-label="Search sessions" placeholder="Search messages, tool calls, outputs and insights"
          .value=${this.q} @input=${this.onInput}>
        ${this.projects.length
          ? html`<label class="small">Project
              <select aria-label="Project" @change=${(e: Event) => ((this.project = (e.target as HTMLSelectElement).value), void this.run())}>
                <option value="" ?selected=${this.project === ''}>all projects</option>
                ${this.projects.map((p) => html`<option value=${p.id} ?selected=${this.project === p.id}>${p.name}</option>`)}
              </select></label>`
          : nothing}
      </form>
      ${this.renderResult()}`;
  }

  private renderResult() {
    if (!this.q.trim()) return html`<p class="muted">Type a few words. Matches in what the human asked, what the agent answered, tool calls and their output, and the insight engine's notes and summaries are ranked by relevance.</p>`;
    if (this.result?.state !== 'ok') return html`<kx-status .loaded=${this.result} what="Search"></kx-status>`;
    const hits = this.result.data.hits;
    if (hits.length === 0) return emptyResult(this.q, this.result.data.words, this.project !== '');
    return html`<ul class="plain" aria-label="Search results">
      ${hits.map(
        (h, n) => html`<li class=${n === this.selected ? 'selected' : ''} aria-current=${n === this.selected ? 'true' : 'false'}>
          <a href=${hitHref(h)}>
            <span class="muted small">${kindOf(h)} · ${h.turnSeq !== null ? `turn ${h.turnSeq} of ` : ''}${hitSession(h)}${h.sharedBy ? html` · <span class="shared-by">shared by ${h.sharedBy.author} through team memory, <time datetime=${h.sharedBy.at}>${formatTime(h.sharedBy.at)}</time></span>` : nothing}${whyMatched(h)}</span>
            ${hitPassage(h)}
          </a>
        </li>`,
      )}
    </ul>
    ${this.result.data.more ? html`<p class="muted small">More results follow; refine the words to narrow them.</p>` : nothing}`;
  }
}
customElements.define('kx-search-view', KxSearchView);
