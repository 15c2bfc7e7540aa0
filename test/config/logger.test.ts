// What kx's log looks like: plain lines on the terminal by default, JSON lines when asked
// (KX_LOG=json) and always in a log file (KX_LOG_FILE), so a person never reads raw JSON by accident.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/config/logger.js';
import { tempDir } from '../support/recording.js';

function screen(): { write: (s: string) => void; text: () => string } {
  let text = '';
  return { write: (s) => void (text += s), text: () => text };
}

describe('the log', () => {
  it('prints a plain line by default: the level, the message, then the facts', () => {
    const s = screen();
    createLogger({ level: 'info', format: 'text', write: s.write })({ level: 'warn', msg: 'upstream WebSocket error', error: 'socket hang up', session: 's-1' });
    expect(s.text()).toBe('kx: warning: upstream WebSocket error (error: socket hang up, session: s-1)\n');
  });

  it('prints an info line without its level, and nothing below the level asked for', () => {
    const s = screen();
    const log = createLogger({ level: 'info', format: 'text', write: s.write });
    log({ level: 'debug', msg: 'not shown' });
    log({ msg: 'context injected at session start', tokens: 120 });
    expect(s.text()).toBe('kx: context injected at session start (tokens: 120)\n');
  });

  it('keeps a plain line on one line, control characters escaped', () => {
    const s = screen();
    createLogger({ level: 'info', format: 'text', write: s.write })({ level: 'error', msg: 'bad frame', error: 'line one\nline two\u001b[31m' });
    expect(s.text().split('\n')).toHaveLength(2);
    expect(s.text()).not.toContain('\u001b');
  });

  it('prints JSON lines when asked (KX_LOG=json)', () => {
    const s = screen();
    createLogger({ level: 'info', format: 'json', write: s.write })({ level: 'warn', msg: 'upstream WebSocket error' });
    expect(JSON.parse(s.text())).toMatchObject({ level: 'warn', msg: 'upstream WebSocket error', ts: expect.any(String) });
  });

  it('appends JSON lines to a log file (KX_LOG_FILE) beside the plain lines, readable only by its owner', async () => {
    const s = screen();
    const file = path.join(tempDir('kx-log-'), 'kx.log');
    const log = createLogger({ level: 'info', format: 'text', write: s.write, file });
    log({ level: 'warn', msg: 'one' });
    log({ level: 'info', msg: 'two' });
    await log.flush?.();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(['one', 'two']);
    expect(s.text()).toBe('kx: warning: one\nkx: two\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
