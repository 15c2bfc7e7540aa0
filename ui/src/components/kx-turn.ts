// One turn of a session: its items in order (a tool call beside its output), its tokens and latency, any
// failed request, and the insight engine's tags for it when there are any.

import { LitElement, html, css, nothing } from 'lit';
import type { ItemView, RequestView, TurnView } from '../../../src/contracts/console.js';
import type { TurnInsight } from '../api/schemas.js';
import { formatDuration, formatTokens } from '../format.js';
import { href } from '../route.js';
import { shared } from './styles.js';
import './kx-item.js';

export interface TurnFacts {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Time the model took over all the turn's requests. */
  modelMs: number;
  firstByteMs: number | null;
  errors: string[];
}

export function turnFacts(requests: RequestView[]): TurnFacts {
  const errors: string[] = [];
  for (const r of requests) {
    if (!r.error && (r.outcome === 'completed' || r.outcome === null || r.outcome === 'in_progress')) continue;
    const message = (r.error as { message?: unknown } | null)?.message;
    errors.push(`${r.outcome ?? 'error'}${r.statusCode ? ` (HTTP ${r.statusCode})` : ''}${typeof message === 'string' ? `: ${message}` : ''}`);
  }
  return {
    inputTokens: requests.reduce((n, r) => n + (r.usage.inputTokens ?? 0), 0),
    outputTokens: requests.reduce((n, r) => n + (r.usage.outputTokens ?? 0), 0),
    totalTokens: requests.reduce((n, r) => n + (r.usage.totalTokens ?? 0), 0),
    modelMs: requests.reduce((n, r) => n + (r.durationMs ?? 0), 0),
    firstByteMs: requests[0]?.firstByteMs ?? null,
    errors,
  };
}

/** Items to draw: a tool output goes with its call; one without a call stands alone. */
export function itemRows(items: ItemView[]): Array<{ item: ItemView; output?: ItemView }> {
  const outputs = new Map(items.filter((i) => i.kind === 'tool_output' && i.callId).map((i) => [i.callId!, i]));
  const calls = new Set(items.filter((i) => i.kind === 'tool_call' && i.callId).map((i) => i.callId!));
  const rows: Array<{ item: ItemView; output?: ItemView }> = [];
  for (const i of items) {
    if (i.kind === 'tool_output' && i.callId && calls.has(i.callId)) continue;
    rows.push(i.kind === 'tool_call' && i.callId ? { item: i, output: outputs.get(i.callId) } : { item: i });
  }
  return rows;
}

function insightTags(insight: TurnInsight | undefined) {
  if (!insight) return [];
  return [
    ...insight.gaps.map((g) => ({ kind: 'gap', text: `gap: ${g.topic}`, title: g.question })),
    ...insight.confusion.map((c) => ({ kind: 'confusion', text: `confusion: ${c.what}`, title: c.evidence })),
    ...insight.decisions.map((d) => ({ kind: 'decision', text: `decision: ${d.choice}`, title: d.why })),
    ...insight.successes.map((s) => ({ kind: 'success', text: `success: ${s}`, title: s })),
    ...insight.followUps.map((f) => ({ kind: 'follow-up', text: `follow-up: ${f}`, title: f })),
    ...insight.resolvedGaps.map((r) => ({ kind: 'success', text: `gap resolved: ${r.how}`, title: r.how })),
  ];
}

export class KxTurn extends LitElement {
  static override styles = [
    shared,
    css`
      :host { border-top: 1px solid var(--border); padding: 0.8rem 0; }
      :host([selected]) { background: var(--bg-soft); }
      header { display: flex; gap: 0.8rem; align-items: baseline; flex-wrap: wrap; }
      header a { font-weight: 600; text-decoration: none; }
      .tags { margin: 0.3rem 0; display: flex; gap: 0.3rem; flex-wrap: wrap; }
      /* A note can be long: its tag wraps inside the page instead of running off it. */
      .tags .chip { white-space: normal; overflow-wrap: anywhere; border-radius: 10px; max-width: 100%; box-sizing: border-box; }
      .insight { font-size: 0.9rem; color: var(--fg-soft); margin: 0.2rem 0; }
    `,
  ];
  static override properties = {
    turn: { attribute: false },
    requests: { attribute: false },
    insight: { attribute: false },
    sessionId: {},
    selected: { type: Boolean, reflect: true },
    sessionOver: { type: Boolean },
  };
  declare turn: TurnView | undefined;
  declare requests: RequestView[];
  declare insight: TurnInsight | undefined;
  declare sessionId: string;
  declare selected: boolean;
  /** The session has ended (or was imported): none of its calls is still waiting for output. */
  declare sessionOver: boolean;

  constructor() {
    super();
    this.turn = undefined;
    this.requests = [];
    this.insight = undefined;
    this.sessionId = '';
    this.selected = false;
    this.sessionOver = false;
  }

  override render() {
    const t = this.turn;
    if (!t) return nothing;
    const f = turnFacts(this.requests);
    return html`<article aria-label=${`Turn ${t.seq}`}>
      <header>
        <a href=${href.turn(this.sessionId, t.seq)}>Turn ${t.seq}</a>
        <span class="chip ${t.status === 'open' ? 'live' : ''}">${t.status}</span>
        <span class="muted small">${formatTokens(f.inputTokens)} in · ${formatTokens(f.outputTokens)} out · model ${formatDuration(f.modelMs)}${f.firstByteMs !== null ? ` · first byte ${formatDuration(f.firstByteMs)}` : ''} · ${this.requests.length} request${this.requests.length === 1 ? '' : 's'}</span>
      </header>
      ${this.insight?.summary ? html`<p class="insight">${this.insight.summary}</p>` : nothing}
      <div class="tags">${insightTags(this.insight).map((tag) => html`<span class="chip ${tag.kind}" title=${tag.title}>${tag.text}</span>`)}</div>
      ${f.errors.map((e) => html`<p class="error" role="note">${e}</p>`)}
      ${itemRows(t.items).map((r) => html`<kx-item .item=${r.item} .output=${r.output} ?finished=${t.status !== 'open' || this.sessionOver}></kx-item>`)}
    </article>`;
  }
}
customElements.define('kx-turn', KxTurn);
