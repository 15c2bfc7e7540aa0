// A job that was running when the insight worker crashed twice in a row is the likeliest cause of the
// crashes: it is failed, visibly, and never run a third time. A stop of kx itself (graceful or not:
// a closed terminal, a double Ctrl-C, kill -9) is not a crash of the worker and counts nothing.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/schema.js';
import { createJob, JobQueue } from '../../src/insight/jobs.js';

function queueWithJob(): { queue: JobQueue; id: string; db: Database.Database } {
  const db = new Database(':memory:');
  migrate(db);
  const { id } = createJob(db, 'turn', 't_1', 's_1', '2026-01-01T00:00:00.000Z');
  return { queue: new JobQueue(db), id, db };
}

describe('poison jobs', () => {
  it('runs a job again after one crash', () => {
    const { queue, id } = queueWithJob();
    expect(queue.claim(id)).toBe(true);
    expect(queue.recoverAfterWorkerCrash()).toEqual({ requeued: 1, poisoned: [] });
    expect(queue.get(id)!.state).toBe('queued');
  });

  it('fails a job that was running at two crashes in a row, and never runs it a third time', () => {
    const { queue, id } = queueWithJob();
    queue.claim(id);
    queue.recoverAfterWorkerCrash();
    expect(queue.claim(id)).toBe(true);
    expect(queue.recoverAfterWorkerCrash()).toEqual({ requeued: 0, poisoned: [id] });
    const job = queue.get(id)!;
    expect(job.state).toBe('failed');
    expect(job.lastError).toMatch(/running when the insight worker crashed twice in a row/);
    expect(queue.claim(id)).toBe(false);
    expect(queue.due(10, '2100-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('forgets a crash once the job has settled normally since', () => {
    const { queue, id } = queueWithJob();
    queue.claim(id);
    queue.recoverAfterWorkerCrash();
    queue.claim(id);
    queue.retryLater(id, 'server: 503', 0, { input: 0, output: 0 });
    queue.claim(id);
    expect(queue.recoverAfterWorkerCrash()).toEqual({ requeued: 1, poisoned: [] });
  });

  it('does not count a graceful stop as a crash', () => {
    const { queue, id } = queueWithJob();
    for (let i = 0; i < 3; i++) {
      expect(queue.claim(id)).toBe(true);
      queue.release(id);
      expect(queue.get(id)).toMatchObject({ state: 'queued', attempts: 0 });
    }
    queue.claim(id);
    expect(queue.recoverAfterWorkerCrash()).toEqual({ requeued: 1, poisoned: [] });
  });

  it('does not count stops of kx, however abrupt: a job left running at ten starts in a row runs again', () => {
    const { queue, id } = queueWithJob();
    for (let i = 0; i < 10; i++) {
      expect(queue.claim(id)).toBe(true);
      expect(queue.requeueAfterStop()).toBe(1);
    }
    expect(queue.get(id)).toMatchObject({ state: 'queued' });
    queue.claim(id);
    expect(queue.recoverAfterWorkerCrash()).toEqual({ requeued: 1, poisoned: [] });
  });
});
