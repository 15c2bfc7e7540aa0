// A search snippet: plain text whose matches sit between \u0001 and \u0002, shown with <mark> by Lit's own
// templates (each part escaped as text), never parsed as HTML.

import { LitElement, html, css } from 'lit';
import { shared } from './styles.js';

export function snippetParts(snippet: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  for (const [i, chunk] of snippet.split('\u0001').entries()) {
    if (i === 0) {
      if (chunk) parts.push({ text: chunk, match: false });
      continue;
    }
    const end = chunk.indexOf('\u0002');
    if (end < 0) {
      parts.push({ text: chunk, match: true });
      continue;
    }
    parts.push({ text: chunk.slice(0, end), match: true });
    if (end + 1 < chunk.length) parts.push({ text: chunk.slice(end + 1).replaceAll('\u0002', ''), match: false });
  }
  return parts;
}

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
