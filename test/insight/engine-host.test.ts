// The host keeps traffic's thread free of the insight engine: a worker stuck in a synchronous step is
// ended at the budget and its job failed; a worker that crashes is restarted.

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../src/insight/engine-host.js';
import { createJob, JobQueue } from '../../src/insight/jobs.js';
import { loadPrompts } from '../../src/insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../../src/insight/schemas.js';
import { INSIGHT_OFF } from '../../src/insight/start-insight.js';
import type { LiveEvent } from '../../src/contracts/live-events.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { migrate } from '../../src/store/schema.js';
import path from 'node:path';
import { tempDir } from '../support/recording.js';

const STUCK = new URL('../support/workers/stuck-engine.ts', import.meta.url).pathname;

function setup(model = 'gpt-5', heartbeatMs = 100) {
  const dir = tempDir('kx-engine-host-');
  const db = new Database(path.join(dir, 'sessions.db'));
  db.pragma('journal_mode = WAL');
  migrate(db);
  const first = createJob(db, 'turn', 't_1', 's_1', '2026-01-01T00:00:00.000Z').id;
  const second = createJob(db, 'turn', 't_2', 's_1', '2026-01-01T00:00:01.000Z').id;
  const events: LiveEvent[] = [];
  const live = new LiveEvents(() => {});
  live.subscribe((e) => events.push(e));
  const logs: Array<Record<string, unknown>> = [];
  const host = new EngineHost({
    db,
    documentsDir: dir,
    settings: { ...INSIGHT_OFF, mode: 'turn', model },
    prompts: loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA }),
    live,
    log: (l) => logs.push(l),
    entry: STUCK,
    stallBudgetMs: 600,
    heartbeatMs,
  });
  return { db, host, first, second, events, logs, queue: new JobQueue(db) };
}

describe('the insight engine’s worker', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('ends a worker stuck building a job’s input, fails that job, and starts a new worker while this thread keeps turning', async () => {
    const s = setup();
    close = () => s.host.close();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    s.host.start();
    await vi.waitFor(() => expect(s.queue.get(s.first)!.state).toBe('failed'), { timeout: 10_000, interval: 50 });
    clearInterval(ticker);
    expect(s.queue.get(s.first)!.lastError).toMatch(/ended this job after 1 s without progress while building its input; it is not run again/);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'insight', turnId: 't_1', state: 'failed' }));
    expect(ticks).toBeGreaterThan(5);
    // The new worker takes the next job (and is stuck on it in turn).
    await vi.waitFor(() => expect(s.host.starts).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await vi.waitFor(() => expect(s.queue.get(s.second)!.state).toBe('running'), { timeout: 10_000 });
  });

  it('says how long the worker really went without progress, not the budget it was given', async () => {
    // Checked every 4 s, a 0.6 s budget is found broken seconds after the worker's last word.
    const s = setup('gpt-5', 4000);
    close = () => s.host.close();
    s.host.start();
    await vi.waitFor(() => expect(s.queue.get(s.first)!.state).toBe('failed'), { timeout: 15_000, interval: 50 });
    const seconds = Number(/after (\d+) s without progress/.exec(s.queue.get(s.first)!.lastError ?? '')?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(2);
  });

  it('restarts a worker that crashes, and fails a job that was running at two crashes in a row', async () => {
    const s = setup('crash');
    close = () => s.host.close();
    s.host.start();
    await vi.waitFor(() => expect(s.host.starts).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    expect(s.logs).toContainEqual(expect.objectContaining({ msg: 'the insight worker stopped; restarting it' }));
    await vi.waitFor(() => expect(s.queue.get(s.first)!.state).toBe('failed'), { timeout: 15_000 });
    expect(s.queue.get(s.first)!.lastError).toMatch(/poison job/);
  });
});
