// kx's background threads (the insight engine's, search's) give way to the forwarding thread. On Linux
// each thread has its own nice value, so a worker raises its own and the kernel runs an answer's bytes
// first whenever both want a core. Elsewhere setpriority would lower the whole process, traffic's thread
// with it, so nothing is changed there.

import os from 'node:os';

/** How much lower than kx's own priority a background thread runs: it still gets about a tenth of a busy core. */
export const BACKGROUND_NICENESS = 10;

/** Lowers the calling thread's priority (Linux only); says what it set, or why not. */
export function lowerThisThread(by = BACKGROUND_NICENESS, platform: NodeJS.Platform = process.platform): { nice: number } | { skipped: string } {
  if (platform !== 'linux') return { skipped: `${platform}: the priority is the whole process’s` };
  try {
    const nice = Math.min(19, os.getPriority() + by);
    os.setPriority(nice);
    return { nice };
  } catch (err) {
    return { skipped: (err as Error).message };
  }
}
