// The steps and commands that worked, in order, each with a copy button: the session summary's playbook when
// there is one, else the turns' own playbook steps.

import { LitElement, html, css, nothing } from 'lit';
import type { Loaded } from '../api/client.js';
import type { SessionSummary, TurnInsight } from '../api/schemas.js';
import { shared } from './styles.js';
import './kx-copy-button.js';
import './kx-status.js';
import './kx-insight-off.js';

export interface PlaybookStep {
  step: string;
  command: string | null;
  why: string | null;
}

export function playbookSteps(summary: SessionSummary | null | undefined, insights: TurnInsight[]): PlaybookStep[] {
  if (summary?.playbook.length) return summary.playbook;
  return insights.flatMap((i) => i.playbookSteps.map((s) => ({ step: s.step, command: s.command, why: null })));
}

export class KxPlaybook extends LitElement {
  static override styles = [shared, css`ol { padding-left: 1.4rem; } li { margin: 0 0 0.8rem; } .cmd { display: flex; gap: 0.5rem; align-items: flex-start; } .cmd pre { flex: 1; margin: 0; }`];
  static override properties = { summary: { attribute: false }, insights: { attribute: false } };
  declare summary: Loaded<{ summary: SessionSummary | null }> | undefined;
  declare insights: Loaded<{ insights: TurnInsight[] }> | undefined;

  constructor() {
    super();
    this.summary = undefined;
    this.insights = undefined;
  }

  override render() {
    return html`<kx-insight-off></kx-insight-off>${this.renderSteps()}`;
  }

  private renderSteps() {
    if (this.summary?.state !== 'ok' && this.insights?.state !== 'ok') {
      return html`<kx-status .loaded=${this.summary?.state === 'error' ? this.summary : (this.insights ?? this.summary)} what="Playbook"></kx-status>`;
    }
    const steps = playbookSteps(this.summary?.state === 'ok' ? this.summary.data.summary : null, this.insights?.state === 'ok' ? this.insights.data.insights : []);
    if (steps.length === 0) return html`<div class="empty">No playbook yet. The insight engine writes the steps that worked once turns are analysed or the session ends.</div>`;
    const all = steps.map((s, n) => `# ${n + 1}. ${s.step}${s.command ? `\n${s.command}` : ''}`).join('\n\n');
    return html`<div class="row"><h2>Playbook</h2><kx-copy-button .text=${all} label="Copy all steps"></kx-copy-button></div>
      <ol>
        ${steps.map(
          (s) => html`<li>
            <div>${s.step}</div>
            ${s.why ? html`<div class="muted small">${s.why}</div>` : nothing}
            ${s.command ? html`<div class="cmd"><pre>${s.command}</pre><kx-copy-button .text=${s.command} label="Copy"></kx-copy-button></div>` : nothing}
          </li>`,
        )}
      </ol>`;
  }
}
customElements.define('kx-playbook', KxPlaybook);
