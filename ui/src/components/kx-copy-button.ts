// Copies a command or step to the clipboard and says so.

import { LitElement, html } from 'lit';
import { shared } from './styles.js';

export class KxCopyButton extends LitElement {
  static override styles = shared;
  static override properties = { text: {}, label: {}, copied: { state: true } };
  declare text: string;
  declare label: string;
  declare copied: boolean;

  constructor() {
    super();
    this.text = '';
    this.label = 'Copy';
    this.copied = false;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
    } catch {
      // Clipboard API refused (no permission, no secure context): fall back to a selection.
      const area = document.createElement('textarea');
      area.value = this.text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    this.copied = true;
    setTimeout(() => (this.copied = false), 1500);
  }

  override render() {
    return html`<button type="button" @click=${this.copy} aria-label=${`${this.label}: ${this.text.slice(0, 60)}`}>${this.copied ? 'Copied' : this.label}</button>`;
  }
}
customElements.define('kx-copy-button', KxCopyButton);
