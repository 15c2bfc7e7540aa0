// A search snippet: plain text whose matches sit between \u0001 and \u0002, shown with <mark> by Lit's own
// templates (each part escaped as text), never parsed as HTML.

import { LitElement, html, css } from 'lit';
import { snippetParts } from '../text.js';
import { shared } from './styles.js';


export class KxSnippet extends LitElement {
  static override styles = [shared, css`:host { display: block; font-family: var(--mono); font-size: 0.85rem; white-space: pre-wrap; word-break: break-word; }`];
  static override properties = { snippet: {} };
  declare snippet: string;

  constructor() {
    super();
    this.snippet = '';
  }

  override render() {
    return html`${snippetParts(this.snippet).map((p) => (p.match ? html`<mark>${p.text}</mark>` : p.text))}`;
  }
}
customElements.define('kx-snippet', KxSnippet);
