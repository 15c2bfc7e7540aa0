// Capture watches traffic through an observer; a bug there must never reach the bytes. The first
// throw from any of its methods is logged once and the observer is dropped for the rest of the
// exchange: traffic goes on uncaptured rather than half-captured.

/** The observer's methods, its own and its class's, found once per exchange. */
function methodNames(observer: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = observer; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (observer as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}

export function guardObserver<T extends object>(observer: T | undefined, what: string, log: (line: Record<string, unknown>) => void): T | undefined {
  if (!observer) return undefined;
  let broken = false;
  // A plain object of wrapped methods, built once: each chunk on the hot path is one call, no lookup.
  const guarded: Record<string, (...args: unknown[]) => void> = {};
  for (const name of methodNames(observer)) {
    const method = (observer as Record<string, (...a: unknown[]) => void>)[name]!;
    guarded[name] = (...args) => {
      if (broken) return;
      try {
        method.apply(observer, args);
      } catch (err) {
        broken = true;
        log({ level: 'error', msg: `capture observer failed; ${what} continues uncaptured`, error: (err as Error).message });
      }
    };
  }
  return guarded as unknown as T;
}
