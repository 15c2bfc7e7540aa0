// What the insight engine adds to each store commit, inside its transaction: the job of every turn
// that just ended (so no ended turn is ever missed, even if kx dies right after the commit), and the
// session's project by the one project rule (src/capture/project.ts): the working directory of the
// session's first request when it has one, else the client until a working directory is seen; a
// client placeholder nothing uses any more is removed then.

import type Database from 'better-sqlite3';
import type { InsightMode } from '../config/config.js';
import type { CommitEffects } from '../store/session-store.js';
import { createJob } from './jobs.js';
import { cwdOfContext, statesCwd } from '../capture/project.js';
import { sessionPlacement, type SessionPlacement } from './session-placement.js';

/** `onTurnJob` hears of each turn job the hook creates (not one that was already queued), inside the transaction. */
export function insightCommitHook(
  mode: InsightMode,
  onTurnJob?: (turnId: string, db: Database.Database) => void,
): (effects: CommitEffects, db: Database.Database) => void {
  let placement: SessionPlacement | undefined;
  return (effects, db) => {
    placement ??= sessionPlacement(db);
    for (const op of effects.changes) {
      if (op.op === 'session') placement.started(op.rec);
      else if (op.op === 'item' && statesCwd(op.rec.kind)) {
        const cwd = cwdOfContext(op.rec.text);
        if (cwd) placement.atCwd(op.rec.sessionId, cwd, op.rec.createdAt);
      }
    }
    if (mode !== 'turn') return;
    for (const turn of effects.endedTurns) {
      if (turn.insightJobs && createJob(db, 'turn', turn.turnId, turn.sessionId).created) onTurnJob?.(turn.turnId, db);
    }
  };
}
