// How `kx start` ends on SIGINT or SIGTERM. A stop must always end the process: the first signal
// closes kx gracefully within a grace period, a second signal (a person pressing Ctrl-C again) or
// the end of the grace ends it at once, and a close that fails still exits.

export interface ShutdownOptions {
  close: () => Promise<void>;
  log: (line: Record<string, unknown>) => void;
  exit: (code: number) => void;
  /** How long a graceful close may take before kx exits anyway. */
  graceMs: number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
}

export const STOP_GRACE_MS = 5_000;

/** The handler to install for each signal. */
export function shutdownOnSignals(o: ShutdownOptions): (signal: string) => void {
  let stopping = false;
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  return (signal) => {
    if (stopping) {
      o.log({ level: 'warn', msg: 'stopping at once', signal });
      o.exit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    stopping = true;
    o.log({ level: 'info', msg: 'stopping', signal });
    setTimer(() => {
      o.log({ level: 'warn', msg: 'the graceful stop took too long; exiting', graceMs: o.graceMs });
      o.exit(1);
    }, o.graceMs).unref?.();
    o.close().then(
      () => o.exit(0),
      (err: unknown) => {
        o.log({ level: 'error', msg: 'the graceful stop failed; exiting', error: (err as Error)?.message ?? String(err) });
        o.exit(1);
      },
    );
  };
}
