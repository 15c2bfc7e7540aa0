// Captured text in monospace. Long text starts collapsed, showing its size; only the head is put in the page
// until a person expands it, so a session with many large outputs renders fast.

import { LitElement, html, css } from 'lit';
import { formatSize } from '../format.js';
import { headOf } from '../text.js';
import { shared } from './styles.js';



export class KxLongText extends LitElement {
  static override styles = [shared, css`pre { margin: 0.2rem 0; max-height: 40rem; overflow: auto; } button { font-size: 0.8rem; padding: 0.1rem 0.5rem; }`];
  static override properties = { text: {}, label: {}, expanded: { state: true } };
  declare text: string;
  declare label: string;
  declare expanded: boolean;

  constructor() {
    super();
    this.text = '';
    this.label = 'text';
    this.expanded = false;
  }

  override render() {
    const head = headOf(this.text);
    if (head === undefined || this.expanded) {
      return html`<pre tabindex="0" aria-label=${this.label}>${this.text}</pre>${head !== undefined ? html`<button type="button" @click=${() => (this.expanded = false)}>Collapse</button>` : ''}`;
    }
    const lines = this.text.split('\n').length;
    return html`<pre>${head}</pre>
      <button type="button" aria-expanded="false" @click=${() => (this.expanded = true)}>
        Show all ${this.label} (${formatSize(this.text.length)}, ${lines} line${lines === 1 ? '' : 's'})
      </button>`;
  }
}
customElements.define('kx-long-text', KxLongText);
