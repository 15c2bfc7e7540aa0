// Team memory's sync in the insight engine's worker (src/team/sync.ts): started when KX_TEAM_DATABASE_URL
// is set, with the engine's search index for what arrives. Without it the outbox is closed and emptied.

import type Database from 'better-sqlite3';
import type { TeamSettings } from '../config/config.js';
import type { LiveEvents } from '../store/live-events.js';
import type { SearchIndex } from '../store/search-index.js';
import { TeamSync } from '../team/sync.js';
import { setTeamEnabled } from '../team/team-state.js';
import { parseTeamUrl } from '../team/team-url.js';
import { teamIndexer } from './team-index.js';

export function startTeamSync(
  db: Database.Database,
  team: TeamSettings | undefined,
  out: { search: SearchIndex; live: LiveEvents; log: (line: Record<string, unknown>) => void },
): TeamSync | undefined {
  const { search, live, log } = out;
  const url = team ? parseTeamUrl(team.databaseUrl) : undefined;
  if (!team || !url || 'error' in url) {
    if (url && 'error' in url) log({ level: 'error', msg: 'team memory is off', error: url.error });
    // Off (never joined, or left): nothing is queued, and what a past run left waiting never leaves.
    db.transaction(() => {
      setTeamEnabled(db, false);
      db.prepare(`DELETE FROM team_outbox`).run();
    })();
    return undefined;
  }
  const sync = new TeamSync({
    db,
    url,
    author: team.author,
    index: teamIndexer(search),
    log,
    // The console's open pages and learn mode (a session's gaps resolved by a teammate) hear of them like local ones.
    gapsChanged: (changes) => {
      for (const c of changes) live.publish({ type: 'gap', gapId: c.gapId, project: c.project, status: c.status === 'resolved' ? 'resolved' : 'seen' });
    },
    ...(team.pollMs !== undefined ? { pollMs: team.pollMs } : {}),
    ...(team.retryBaseMs !== undefined ? { retryBaseMs: team.retryBaseMs } : {}),
    ...(team.maxRetryMs !== undefined ? { maxRetryMs: team.maxRetryMs } : {}),
  });
  sync.start();
  log({ level: 'info', msg: 'team memory on', database: url.masked, machine: sync.identity.machineId, author: team.author });
  return sync;
}
