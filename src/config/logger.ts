// One JSON line per event on stderr. Callers pass facts, never headers or bodies.

export type Log = (line: Record<string, unknown>) => void;

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

export function createLogger(level: keyof typeof LEVELS, write: (s: string) => void = (s) => process.stderr.write(s)): Log {
  const min = LEVELS[level];
  return (line) => {
    const lvl = (line.level as keyof typeof LEVELS | undefined) ?? 'info';
    if ((LEVELS[lvl] ?? 20) < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), ...line, level: lvl }) + '\n');
  };
}
