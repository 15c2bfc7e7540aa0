// Hash routes, so every view and every turn has a link a person can keep, and kx serves one page.

export type Route =
  | { view: 'sessions' }
  | { view: 'session'; sessionId: string; turnSeq: number | null; tab: SessionTab }
  | { view: 'search'; q: string }
  | { view: 'gaps' }
  | { view: 'projects' }
  | { view: 'project'; projectId: string }
  | { view: 'approvals'; approvalId: string | null }
  | { view: 'team' };

export type SessionTab = 'timeline' | 'learnings' | 'playbook' | 'chart';
const TABS: SessionTab[] = ['timeline', 'learnings', 'playbook', 'chart'];

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const params = new URLSearchParams(search);
  switch (parts[0]) {
    case 'sessions':
      if (!parts[1]) return { view: 'sessions' };
      return {
        view: 'session',
        sessionId: parts[1],
        turnSeq: parts[2] === 'turns' && parts[3] ? Number(parts[3]) || null : null,
        tab: TABS.find((t) => t === params.get('tab')) ?? 'timeline',
      };
    case 'search':
      return { view: 'search', q: params.get('q') ?? '' };
    case 'gaps':
      return { view: 'gaps' };
    case 'projects':
      return parts[1] ? { view: 'project', projectId: parts[1] } : { view: 'projects' };
    case 'approvals':
      return { view: 'approvals', approvalId: parts[1] ?? null };
    case 'team':
      return { view: 'team' };
    default:
      return { view: 'sessions' };
  }
}

const enc = encodeURIComponent;
export const href = {
  sessions: () => '#/sessions',
  session: (id: string, tab: SessionTab = 'timeline') => `#/sessions/${enc(id)}${tab === 'timeline' ? '' : `?tab=${tab}`}`,
  turn: (id: string, seq: number) => `#/sessions/${enc(id)}/turns/${seq}`,
  search: (q: string) => `#/search${q ? `?q=${enc(q)}` : ''}`,
  gaps: () => '#/gaps',
  projects: () => '#/projects',
  project: (id: string) => `#/projects/${enc(id)}`,
  approvals: (id?: string) => (id ? `#/approvals/${enc(id)}` : '#/approvals'),
  team: () => '#/team',
};

/** The tab title for a route, so a person with several kx tabs open knows which is which. */
export function routeTitle(r: Route): string {
  switch (r.view) {
    case 'session':
      return `Session ${r.sessionId.slice(0, 12)}${r.turnSeq !== null ? `, turn ${r.turnSeq}` : ''} · kx`;
    case 'search':
      return r.q ? `Search: ${r.q} · kx` : 'Search · kx';
    case 'gaps':
      return 'Gaps · kx';
    case 'projects':
      return 'Projects · kx';
    case 'project':
      return `Project ${r.projectId} · kx`;
    case 'approvals':
      return 'Approvals · kx';
    case 'team':
      return 'Team · kx';
    default:
      return 'Sessions · kx';
  }
}
