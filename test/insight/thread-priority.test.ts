// The insight engine's thread gives way to traffic's: on Linux it runs at a lower priority than the
// rest of kx, so the kernel runs a forwarded answer first when both want a core.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../src/insight/engine-host.js';
import { loadPrompts } from '../../src/insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../../src/insight/schemas.js';
import { INSIGHT_OFF } from '../../src/insight/start-insight.js';
import { BACKGROUND_NICENESS as ENGINE_NICENESS, lowerThisThread } from '../../src/store/thread-priority.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { migrate } from '../../src/store/schema.js';
import { tempDir } from '../support/recording.js';

/** The nice value of each of this process's threads (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceness(): number[] {
  const out: number[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return out;
}

describe('the insight engine’s thread priority', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it.runIf(process.platform === 'linux')('runs the engine’s worker below the priority of the thread that forwards traffic', async () => {
    const dir = tempDir('kx-engine-priority-');
    const db = new Database(path.join(dir, 'sessions.db'));
    db.pragma('journal_mode = WAL');
    migrate(db);
    const own = os.getPriority();
    expect(threadNiceness().filter((n) => n === own + ENGINE_NICENESS)).toEqual([]);
    const host = new EngineHost({
      db,
      documentsDir: dir,
      settings: { ...INSIGHT_OFF, mode: 'turn' },
      prompts: loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA }),
      live: new LiveEvents(() => {}),
      log: () => {},
    });
    close = () => host.close();
    host.start();
    await vi.waitFor(() => expect(threadNiceness()).toContain(Math.min(19, own + ENGINE_NICENESS)), { timeout: 15_000, interval: 50 });
    expect(os.getPriority()).toBe(own);
  });

  it('leaves the priority alone where it belongs to the whole process', () => {
    expect(lowerThisThread(ENGINE_NICENESS, 'darwin')).toEqual({ skipped: 'darwin: the priority is the whole process’s' });
    expect(lowerThisThread(ENGINE_NICENESS, 'win32')).toHaveProperty('skipped');
  });
});
