// The mode in force, and the switch between capture and learn: global in the header, or for one session
// (from its timeline). POST /api/mode changes it; a `mode` live event keeps every open page in step.

import { LitElement, html, css, nothing } from 'lit';
import { api } from '../api/client.js';
import { onLive } from '../api/live.js';
import type { Mode, ModesView } from '../api/schemas.js';
import { shared } from './styles.js';

/** The mode a session runs in and where it comes from: its own setting, its project's, else the global one. */
export function sessionMode(modes: ModesView, session: string, project: string | null): { mode: Mode; from: 'session' | 'project' | 'global' } {
  const own = modes.sessions[session];
  if (own) return { mode: own, from: 'session' };
  const ofProject = project ? modes.projects[project] : undefined;
  if (ofProject) return { mode: ofProject, from: 'project' };
  return { mode: modes.global, from: 'global' };
}

export class KxModeToggle extends LitElement {
  static override styles = [
    shared,
    css`
      :host { display: inline-block; }
      label { display: inline-flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; cursor: pointer; }
      .mode { font-weight: 600; }
      .mode.learn { color: var(--accent); }
    `,
  ];
  static override properties = { session: {}, project: {}, modes: { state: true }, error: { state: true } };
  /** Set for a session's own toggle; unset for the global one. */
  declare session: string | undefined;
  declare project: string | null;
  declare modes: ModesView | undefined;
  declare error: string;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.session = undefined;
    this.project = null;
    this.modes = undefined;
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.unsubscribe = onLive((e) => {
      if (e.type === 'mode') void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    const res = await api.modes();
    // A kx without learn mode has no /api/mode: no toggle then.
    if (res.state === 'ok') this.modes = res.data;
  }

  private async set(mode: Mode): Promise<void> {
    const res = await api.setMode(mode, this.session);
    if (res.state === 'ok') {
      this.modes = res.data;
      this.error = '';
    } else this.error = res.state === 'missing' ? 'This kx has no learn mode.' : res.message;
  }

  override render() {
    if (!this.modes) return nothing;
    const current = this.session ? sessionMode(this.modes, this.session, this.project) : { mode: this.modes.global, from: 'global' as const };
    const learn = current.mode === 'learn';
    const scope = this.session ? 'this session' : 'every session';
    const from = this.session && current.from !== 'session' ? html` <span class="muted">(from the ${current.from} setting)</span>` : nothing;
    return html`<label title=${`Learn mode for ${scope}: kx suggests what past sessions add to each new message, and holds it for your approval`}>
        <input type="checkbox" role="switch" .checked=${learn} @change=${(e: Event) => this.set((e.target as HTMLInputElement).checked ? 'learn' : 'capture')}>
        ${this.session ? 'Learn mode for this session' : 'Learn mode'}: <span class="mode ${current.mode}" data-mode=${current.mode}>${current.mode}</span>${from}
      </label>
      ${this.error ? html`<span class="error small" role="alert">${this.error}</span>` : nothing}`;
  }
}
customElements.define('kx-mode-toggle', KxModeToggle);
