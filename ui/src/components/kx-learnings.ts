// The session's summary (highlights, gaps opened and resolved, unresolved questions, next repetitions) and
// what each turn taught, from the insight engine's structured data, each string bound as text.

import { LitElement, html, nothing } from 'lit';
import type { Loaded } from '../api/client.js';
import type { SessionSummary, TurnInsight } from '../api/schemas.js';
import { formatTime } from '../format.js';
import { href } from '../route.js';
import { shared } from './styles.js';
import './kx-status.js';
import './kx-insight-off.js';

type SummaryResponse = { summary: SessionSummary | null; versions: Array<{ version: number; createdAt: string }> };

const list = (title: string, items: string[]) =>
  items.length ? html`<h3>${title}</h3><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : nothing;

export class KxLearnings extends LitElement {
  static override styles = shared;
  static override properties = { summary: { attribute: false }, insights: { attribute: false } };
  declare summary: Loaded<SummaryResponse> | undefined;
  declare insights: Loaded<{ sessionId: string; insights: TurnInsight[] }> | undefined;

  constructor() {
    super();
    this.summary = undefined;
    this.insights = undefined;
  }

  override render() {
    return html`<kx-insight-off></kx-insight-off><section aria-label="Summary">${this.renderSummary()}</section>
      <section aria-label="Learnings per turn"><h2>Per turn</h2>${this.renderTurns()}</section>`;
  }

  private renderSummary() {
    if (this.summary?.state !== 'ok') return html`<h2>Summary</h2><kx-status .loaded=${this.summary} what="Session summary"></kx-status>`;
    const s = this.summary.data.summary;
    if (!s) return html`<h2>Summary</h2><div class="empty">No summary yet. End the session (<code>kx end</code>) and the insight engine writes one.</div>`;
    return html`<div class="card">
      <h2>${s.title}</h2>
      <p class="muted small">version ${s.version}, ${formatTime(s.createdAt)}</p>
      ${list('Highlights', s.highlights)}
      ${list('Gaps opened', s.gapsOpened.map((g) => g.topic))}
      ${list('Gaps resolved', s.gapsResolved.map((g) => `${g.topic}: ${g.how}`))}
      ${list('Unresolved questions', s.unresolvedQuestions)}
      ${list('Next repetitions', s.nextRepetitions)}
    </div>`;
  }

  private renderTurns() {
    if (this.insights?.state !== 'ok') return html`<kx-status .loaded=${this.insights} what="Turn insights"></kx-status>`;
    const done = this.insights.data.insights.filter((i) => i.state === 'done');
    if (done.length === 0) return html`<div class="empty">No turn insights yet. With the insight engine on, each finished turn gets one.</div>`;
    const sessionId = this.insights.data.sessionId;
    return done.map(
      (i) => html`<div class="card turn">
        <h3><a href=${href.turn(sessionId, i.turnSeq)}>Turn ${i.turnSeq}</a> ${i.outcome ? html`<span class="chip">${i.outcome}</span>` : nothing}</h3>
        ${i.summary ? html`<p>${i.summary}</p>` : nothing}
        ${list('What worked', i.successes)}
        ${list('Gaps', i.gaps.map((g) => `${g.topic}: ${g.question}`))}
        ${list('Decisions', i.decisions.map((d) => `${d.choice} (${d.why})`))}
        ${list('Follow-ups', i.followUps)}
        ${i.nextTime ? html`<h3>Next time</h3><p>${i.nextTime}</p>` : nothing}
      </div>`,
    );
  }
}
customElements.define('kx-learnings', KxLearnings);
