// kx's log. On the terminal, one plain line per event (`kx: warning: upstream WebSocket error (error: …)`),
// so nobody reads raw JSON by accident; JSON lines on stderr only when asked (KX_LOG=json), and always
// in the log file when there is one (KX_LOG_FILE), for tools. Callers pass facts, never headers or bodies.

import fs from 'node:fs';

export type Log = ((line: Record<string, unknown>) => void) & { flush?: () => Promise<void> };

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;
export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  level: LogLevel;
  /** What stderr gets: plain lines (default) or JSON lines. */
  format?: LogFormat;
  write?: (s: string) => void;
  /** A file that gets every line as JSON too (mode 0600), whatever the format. */
  file?: string | undefined;
}

// Control characters shown escaped: a logged value cannot break the line or drive the terminal.
const plain = (s: string): string => (/[\u0000-\u001f\u007f-\u009f]/.test(s) ? JSON.stringify(s).slice(1, -1) : s);

/** As the other commands say theirs (`kx: warning: …`). */
const LABEL: Record<LogLevel, string> = { debug: 'debug', info: '', warn: 'warning', error: 'error' };

/** One plain line: `kx: warning: message (key: value, …)`; info lines carry no level. */
export function textLine(line: Record<string, unknown> & { level: LogLevel }): string {
  const { level, msg, ...facts } = line;
  const rest = Object.entries(facts).map(([k, v]) => `${plain(k)}: ${plain(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))}`);
  return `kx: ${level === 'info' ? '' : `${LABEL[level]}: `}${plain(String(msg ?? ''))}${rest.length ? ` (${rest.join(', ')})` : ''}\n`;
}

export function createLogger(opts: LoggerOptions): Log {
  const min = LEVELS[opts.level];
  const write = opts.write ?? ((s: string) => void process.stderr.write(s));
  let fileFailed = false;
  const toFile = (json: string): void => {
    if (!opts.file || fileFailed) return;
    try {
      fs.appendFileSync(opts.file, json, { mode: 0o600 });
    } catch (err) {
      // The log file cannot cost kx anything: said once on stderr, then left alone.
      fileFailed = true;
      write(textLine({ level: 'warn', msg: 'cannot write the log file; logging on stderr only', file: opts.file, error: (err as Error).message }));
    }
  };
  return (line) => {
    const level = (line.level as LogLevel | undefined) ?? 'info';
    if ((LEVELS[level] ?? 20) < min) return;
    const full = { ts: new Date().toISOString(), ...line, level };
    const json = JSON.stringify(full) + '\n';
    toFile(json);
    write(opts.format === 'json' ? json : textLine({ ...line, level }));
  };
}
