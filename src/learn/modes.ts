// Which mode is in force for a turn: the session's own setting, else its project's, else the global
// one; the global capture ends learn mode everywhere (clears every project and session set to learn). Persisted, so a restart keeps what was chosen; KX_MODE, when set, decides the global mode at start.

import path from 'node:path';
import { projectIdOfCwd } from '../capture/project.js';
import { ambiguousName, matchName, NAME_NEEDED } from '../store/name-match.js';
import type { LiveEvents } from '../store/live-events.js';
import type { Mode, ModeScope, ModesView } from '../contracts/learn.js';
import type { ApprovalStore } from '../store/approval-store.js';

/**
 * The project a person names (`kx mode learn --project …`, POST /api/mode): its id, its name as `kx notes`
 * prints it (the working directory, or `client: …`), or a working directory by the project rule, seen yet
 * or not; anything else is refused with the known projects, so a typo never sets a mode that matches nothing.
 */
export function resolveProject(input: string, known: ReadonlyArray<{ id: string; name: string }>): { id: string } | { error: string } {
  if (input === '') return { error: NAME_NEEDED.project };
  if (path.isAbsolute(input)) {
    const dir = path.normalize(input).replace(/(.)\/+$/, '$1');
    return { id: known.find((p) => p.name === input || p.name === dir)?.id ?? projectIdOfCwd(dir) };
  }
  const hit = matchName(input, known, projectNames);
  if ('found' in hit) return { id: hit.found.id };
  if ('ambiguous' in hit) return { error: ambiguousName('project', JSON.stringify(input), hit.ambiguous) };
  const list = known.map((p) => (p.name === p.id ? p.id : `${p.id} (${p.name})`)).join(', ');
  return { error: `no project ${JSON.stringify(input)}: give its working directory, its name, or its id or the start of one; known: ${list || 'none yet'}` };
}

/** A project's names: its id (slug), its name (the folder, or `client: …`), and the folder's own name. */
export const projectNames = (p: { id: string; name: string }): string[] => [p.id, p.name, ...(path.isAbsolute(p.name) ? [path.basename(p.name)] : [])];

/** The session a person names: its id or a unique start of one, among `ids` (those that start with it). */
export function resolveSession(input: string, ids: readonly string[]): { id: string } | { error: string } {
  if (input === '') return { error: NAME_NEEDED.session };
  const hit = matchName(input, ids, (id) => [id]);
  if ('found' in hit) return { id: hit.found };
  if ('ambiguous' in hit) return { error: ambiguousName('session', input, hit.ambiguous) };
  return { error: `no session ${input}` };
}

export class ModeBook {
  private global: Mode;
  private readonly projects = new Map<string, Mode>();
  private readonly sessions = new Map<string, Mode>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ApprovalStore,
    private readonly live: LiveEvents,
    startMode: Mode | undefined,
  ) {
    this.global = 'capture';
    for (const row of store.modes()) {
      if (row.scope === 'global') this.global = row.mode;
      else (row.scope === 'project' ? this.projects : this.sessions).set(row.target, row.mode);
    }
    // KX_MODE persists like `kx mode`: a later start without it keeps what it chose.
    if (startMode) {
      this.global = startMode;
      store.setMode('global', '', startMode, new Date().toISOString());
    }
  }

  modeFor(sessionId: string, project: string | undefined): Mode {
    return this.sessions.get(sessionId) ?? (project !== undefined ? this.projects.get(project) : undefined) ?? this.global;
  }

  /** True when some scope is in learn mode: only then does kx install its request hook. */
  anyLearn(): boolean {
    if (this.global === 'learn') return true;
    for (const m of this.projects.values()) if (m === 'learn') return true;
    for (const m of this.sessions.values()) if (m === 'learn') return true;
    return false;
  }

  /** The global capture ends learn mode everywhere: the projects and sessions set to learn lose that setting. */
  set(scope: ModeScope, target: string | null, mode: Mode): void {
    if (scope === 'global') this.global = mode;
    else if (!target) throw new Error(`a ${scope} mode needs a ${scope} id`);
    else (scope === 'project' ? this.projects : this.sessions).set(target, mode);
    if (scope === 'global' && mode === 'capture') this.forgetLearn();
    this.store.setMode(scope, target ?? '', mode, new Date().toISOString());
    this.live.publish({ type: 'mode', scope, target: scope === 'global' ? null : target, mode });
    for (const l of this.listeners) l();
  }

  private forgetLearn(): void {
    for (const [scope, book] of [['project', this.projects], ['session', this.sessions]] as const) {
      for (const [target, m] of book) {
        if (m !== 'learn') continue;
        book.delete(target);
        this.store.clearMode(scope, target);
      }
    }
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  view(): ModesView {
    return { global: this.global, projects: Object.fromEntries(this.projects), sessions: Object.fromEntries(this.sessions) };
  }
}
