// Team memory as kx's main thread sees it: the settings checked at start (a bad URL stops kx with a
// message that never quotes the password), and what the API and /api/health read.

import type Database from 'better-sqlite3';
import type { TeamSettings } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import type { TeamView } from '../contracts/team.js';
import { parseTeamUrl } from './team-url.js';
import { setSharing, teamView } from './team-view.js';

export interface TeamFacts {
  view(): TeamView;
  setSharing(project: string, on: boolean): boolean;
  /** For /api/health (no token): the sync's state and backlog only, or undefined when team memory is off. */
  health(): { state: TeamView['state']; backlog: number } | undefined;
}

/** Refuses settings team memory cannot run with; returns the masked URL to show. */
export function checkTeamSettings(team: TeamSettings | undefined, insightOn: boolean): { database: string; author: string } | undefined {
  if (!team) return undefined;
  const url = parseTeamUrl(team.databaseUrl);
  if ('error' in url) throw new ConfigError(url.error);
  if (!insightOn) throw new ConfigError('KX_TEAM_DATABASE_URL needs the insight engine (KX_INSIGHT=turn or session): team memory shares what it distils');
  return { database: url.masked, author: team.author };
}

export function teamFacts(db: Database.Database, shown: { database: string; author: string } | undefined): TeamFacts {
  return {
    view: () => teamView(db, shown),
    setSharing: (project, on) => setSharing(db, project, on),
    health: () => {
      if (!shown) return undefined;
      const v = teamView(db, shown);
      return { state: v.state, backlog: v.backlog };
    },
  };
}
