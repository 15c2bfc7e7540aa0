// One measurement setup: a fake upstream with one stream shape, and the three ways to reach it —
// directly, through the bare pass-through, through kx (fresh documents folder each time).

import { execFileSync } from 'node:child_process';
import { makeTarget, type Target } from './clients.js';
import { startBareProxy, startKxProcess, startUpstream, type Child, type StreamShape } from './processes.js';

export interface Rig {
  shape: StreamShape;
  /** Events every answer carries: response.created, output_item.added, the deltas, output_item.done, response.completed. */
  eventsPerStream: number;
  upstream: Child;
  bare: Child;
  kx: Child;
  kxOrigin: string;
  documentsDir: string;
  targets: Target[];
  stop(): Promise<void>;
}

/**
 * `--pin`: on two cores the scheduler may run the fake upstream on a proxy's core, woken by the
 * proxy's send, where it keeps the core while it writes its whole answer and the proxy waits to
 * relay the first byte. Which proxy that happens to differs from run to run; pinned, it happens to neither.
 */
export function pinApart(loadSide: number[], proxies: number[]): void {
  for (const pid of loadSide) execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)], { stdio: 'ignore' });
  for (const pid of proxies) execFileSync('taskset', ['-a', '-p', '-c', '1', String(pid)], { stdio: 'ignore' });
}

export async function startRig(shape: StreamShape, opts: { kxNodeArgs?: string[]; bareNodeArgs?: string[]; pin?: boolean } = {}): Promise<Rig> {
  const up = await startUpstream(shape);
  try {
    const [bare, kx] = await Promise.all([startBareProxy(up.origin, opts.bareNodeArgs), startKxProcess(up.baseUrl, opts.kxNodeArgs)]);
    if (opts.pin) pinApart([process.pid, up.child.pid], [bare.child.pid, kx.child.pid]);
    const targets = [makeTarget('direct', up.origin), makeTarget('bare', bare.origin), makeTarget('kx', kx.origin)];
    return {
      shape,
      eventsPerStream: shape.events + 4,
      upstream: up.child,
      bare: bare.child,
      kx: kx.child,
      kxOrigin: kx.origin,
      documentsDir: kx.documentsDir,
      targets,
      stop: async () => {
        for (const t of targets) t.agent.destroy();
        await Promise.all([kx.child.stop(), bare.child.stop()]);
        await up.child.stop();
      },
    };
  } catch (err) {
    await up.child.stop();
    throw err;
  }
}

/** Round-robin with a rotating start, so no target always goes first (or always follows another's GC). */
export function rotate<T>(items: readonly T[], i: number): T[] {
  const k = i % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
