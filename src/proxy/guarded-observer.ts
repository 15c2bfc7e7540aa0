// Capture watches traffic through an observer; a bug there must never reach the bytes. The first
// throw from any of its methods is logged once and the observer is dropped for the rest of the
// exchange: traffic goes on uncaptured rather than half-captured.

export function guardObserver<T extends object>(observer: T | undefined, what: string, log: (line: Record<string, unknown>) => void): T | undefined {
  if (!observer) return undefined;
  let broken = false;
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(observer, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        fn = (...args: unknown[]): void => {
          if (broken) return;
          try {
            (value as (...a: unknown[]) => void).apply(target, args);
          } catch (err) {
            broken = true;
            log({ level: 'error', msg: `capture observer failed; ${what} continues uncaptured`, error: (err as Error).message });
          }
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  });
}
