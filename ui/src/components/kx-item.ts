// One captured item of a turn: a message, a reasoning summary, or a tool call with its output. Every captured
// field is bound as text (Lit escapes it); nothing captured becomes markup, an attribute or a link.

import { LitElement, html, css, nothing } from 'lit';
import type { ItemView } from '../../../src/contracts/console.js';
import { href } from '../route.js';
import { emphasisParts, jsonToolOutput, shellCommandLine, toolOutcome } from '../text.js';
import { shared } from './styles.js';
import './kx-long-text.js';
import { parseJson } from '../../../src/protocol/json-guards.js';


function prettyArguments(args: string): string {
  const value = parseJson(args);
  return value === undefined ? args : JSON.stringify(value, null, 2);
}

const LABEL: Record<string, string> = {
  human_message: 'Human',
  assistant_message: 'Agent',
  reasoning: 'Reasoning summary',
  injected_context: 'Context the client injected',
  instructions: 'Instructions',
  compaction: 'Compaction',
};

export class KxItem extends LitElement {
  static override styles = [
    shared,
    css`
      :host { margin: 0.5rem 0; }
      .label { font-size: 0.8rem; font-weight: 600; color: var(--fg-soft); text-transform: uppercase; letter-spacing: 0.03em; }
      .human .body { font-size: 1rem; white-space: pre-wrap; word-break: break-word; border-left: 3px solid var(--accent); padding-left: 0.7rem; }
      .assistant .body { white-space: pre-wrap; word-break: break-word; }
      .reasoning .body { white-space: pre-wrap; color: var(--fg-soft); font-style: italic; }
      .tool { border: 1px solid var(--border); border-radius: 8px; padding: 0.4rem 0.7rem; }
      .tool summary { cursor: pointer; }
      .bad { color: var(--bad); }
      pre.command { white-space: pre-wrap; word-break: break-word; }
    `,
  ];
  static override properties = { item: { attribute: false }, output: { attribute: false }, finished: { type: Boolean } };
  declare item: ItemView | undefined;
  /** The item's turn is over: a call without an output will never get one. */
  declare finished: boolean;
  /** The tool_output answering this tool_call, when there is one. */
  declare output: ItemView | undefined;

  constructor() {
    super();
    this.item = undefined;
    this.output = undefined;
    this.finished = false;
  }

  override render() {
    const i = this.item;
    if (!i) return nothing;
    switch (i.kind) {
      case 'human_message':
        return html`<div class="human"><div class="label">Human</div><div class="body">${i.text ?? ''}</div>${this.renderLearned(i)}</div>`;
      case 'assistant_message':
        return html`<div class="assistant"><div class="label">Agent</div><div class="body">${i.text ?? ''}</div></div>`;
      case 'reasoning':
        return html`<div class="reasoning"><div class="label">Reasoning summary</div><div class="body">${emphasisParts(i.text ?? '').map((p) =>
          p.strong ? html`<strong>${p.text}</strong>` : p.em ? html`<em>${p.text}</em>` : p.text,
        )}</div></div>`;
      case 'tool_call':
        return this.renderTool(i, this.output);
      case 'tool_output':
        return this.renderTool(undefined, i);
      default:
        return html`<details><summary class="label">${LABEL[i.kind] ?? i.kind}</summary><kx-long-text .text=${i.text ?? i.output ?? i.arguments ?? ''} label="context"></kx-long-text></details>`;
    }
  }

  /** Learn mode changed this message before it went upstream: the text above is what was sent; here is what was typed. */
  private renderLearned(i: ItemView) {
    const d = i.detail as { originalText?: unknown; approvalId?: unknown } | null | undefined;
    if (typeof d?.originalText !== 'string') return nothing;
    const approval = typeof d.approvalId === 'string' ? d.approvalId : null;
    return html`<details class="learned small">
      <summary>Learn mode sent this instead of your original${approval ? html` (<a href=${href.approvals(approval)}>the decision</a>)` : nothing}</summary>
      <pre>${d.originalText}</pre>
    </details>`;
  }

  private renderTool(call: ItemView | undefined, output: ItemView | undefined) {
    const json = output?.output ? jsonToolOutput(output.output) : undefined;
    const outcome = json ?? (output?.output ? toolOutcome(output.output) : { exitCode: null, seconds: null });
    const shell = call?.arguments ? shellCommandLine(call.arguments) : undefined;
    return html`<div class="tool" data-call-id=${call?.callId ?? output?.callId ?? ''}>
      <div class="row">
        <span class="label">Tool call</span>
        <code>${call?.toolName ?? call?.itemType ?? output?.itemType ?? 'tool'}</code>
        ${outcome.exitCode !== null ? html`<span class="chip ${outcome.exitCode === 0 ? '' : 'bad'}">exit ${outcome.exitCode}</span>` : nothing}
        ${outcome.seconds !== null ? html`<span class="chip">${outcome.seconds} s</span>` : nothing}
        ${output ? nothing : html`<span class="muted small">${this.finished ? 'no output recorded' : 'no output yet'}</span>`}
      </div>
      ${shell
        ? html`<pre class="command">$ ${shell.line}</pre>${shell.workdir ? html`<div class="muted small">in <code>${shell.workdir}</code></div>` : nothing}`
        : call
          ? html`<kx-long-text .text=${prettyArguments(call.arguments ?? '')} label="arguments"></kx-long-text>`
          : nothing}
      ${output ? html`<div class="label">Output</div><kx-long-text .text=${json?.text ?? output.output ?? ''} label="output"></kx-long-text>` : nothing}
    </div>`;
  }
}
customElements.define('kx-item', KxItem);
