// The keyboard shortcuts, opened with `?`.

import { LitElement, html, css } from 'lit';
import { shared } from './styles.js';

export class KxHelp extends LitElement {
  static override styles = [shared, css`dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--bg); color: var(--fg); max-width: 28rem; } kbd { font-family: var(--mono); border: 1px solid var(--border); border-radius: 4px; padding: 0 0.35rem; } dt { float: left; width: 5rem; } dd { margin: 0 0 0.4rem 5.5rem; }`];

  open(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  override render() {
    return html`<dialog aria-labelledby="help-title">
      <h2 id="help-title">Keyboard</h2>
      <dl>
        <dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>next / previous session, result or turn</dd>
        <dt><kbd>Enter</kbd></dt><dd>open the selected session</dd>
        <dt><kbd>/</kbd></dt><dd>search</dd>
        <dt><kbd>g</kbd></dt><dd>back to the sessions</dd>
        <dt><kbd>a</kbd></dt><dd>on Approvals: accept the selected rewrite</dd>
        <dt><kbd>e</kbd></dt><dd>on Approvals: edit it (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> sends)</dd>
        <dt><kbd>r</kbd></dt><dd>on Approvals: reject it and send your original</dd>
        <dt><kbd>?</kbd></dt><dd>this help</dd>
        <dt><kbd>Esc</kbd></dt><dd>close it</dd>
      </dl>
      <form method="dialog"><button class="primary">Close</button></form>
    </dialog>`;
  }
}
customElements.define('kx-help', KxHelp);
