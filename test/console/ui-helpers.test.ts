import { describe, expect, it } from 'vitest';
import { emphasisParts, headOf, jsonToolOutput, shellCommandLine, snippetParts, toolOutcome } from '../../ui/src/text.js';
import { href, parseRoute } from '../../ui/src/route.js';
import { gapsOverTime } from '../../ui/src/gaps-over-time.js';
import { formatTime, formatTimeParts } from '../../ui/src/format.js';

describe('search snippet parts', () => {
  it('splits a snippet into plain text and marked matches', () => {
    expect(snippetParts('why does \u0001webpack\u0002 fail on \u0001webpack\u0002.config')).toEqual([
      { text: 'why does ', match: false },
      { text: 'webpack', match: true },
      { text: ' fail on ', match: false },
      { text: 'webpack', match: true },
      { text: '.config', match: false },
    ]);
  });

  it('keeps markup in a snippet as plain text', () => {
    expect(snippetParts('<img src=x onerror=alert(1)> \u0001<script>\u0002')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<script>', match: true },
    ]);
  });
});

describe('long text head', () => {
  it('shows short text whole', () => {
    expect(headOf('one\ntwo')).toBeUndefined();
    expect(headOf('x'.repeat(1200))).toBeUndefined();
  });

  it('cuts after 16 lines or 1,200 characters, whichever comes first', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(headOf(lines)!.split('\n')).toHaveLength(16);
    expect(headOf('y'.repeat(5000))).toHaveLength(1200);
  });
});

describe('tool outcome', () => {
  it("reads Codex's exit code and wall time", () => {
    expect(toolOutcome('Exit code: 2\nWall time: 1.5 seconds\nOutput:\nnope')).toEqual({ exitCode: 2, seconds: 1.5 });
    expect(toolOutcome('Process exited with code 0')).toEqual({ exitCode: 0, seconds: null });
    expect(toolOutcome('just text')).toEqual({ exitCode: null, seconds: null });
  });
});

describe('console routes', () => {
  it('round-trips a deep link to a turn, with an id that needs encoding', () => {
    const id = 'xss-<img src=x>/..';
    expect(parseRoute(href.turn(id, 7))).toEqual({ view: 'session', sessionId: id, turnSeq: 7, tab: 'timeline' });
    expect(parseRoute(href.session(id, 'chart'))).toMatchObject({ view: 'session', sessionId: id, tab: 'chart' });
  });

  it('keeps a search query and falls back to the sessions for anything unknown', () => {
    expect(parseRoute(href.search('a b&c'))).toEqual({ view: 'search', q: 'a b&c' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'sessions' });
    expect(parseRoute('#/sessions/x?tab=evil')).toMatchObject({ tab: 'timeline' });
  });

  it('only ever builds in-page links', () => {
    for (const link of [href.session('javascript:alert(1)'), href.turn('javascript:x', 1), href.search('javascript:'), href.project('javascript:')]) {
      expect(link.startsWith('#/')).toBe(true);
    }
  });
});

describe("a project's gaps over time", () => {
  const gap = (first: string, resolvedAt: string | null) =>
    ({ firstSeen: { at: first }, resolved: resolvedAt ? { at: resolvedAt } : null }) as Parameters<typeof gapsOverTime>[0][number];

  it('counts gaps opened and resolved per day, cumulatively, from zero on the day before the first', () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
    expect(gapsOverTime([gap('2026-11-02T10:00:00Z', '2026-11-04T09:00:00Z'), gap('2026-11-02T18:00:00Z', null), gap('2026-11-04T12:00:00Z', null)])).toEqual({
      days: [day('2026-11-01'), day('2026-11-02'), day('2026-11-04')],
      opened: [0, 2, 3],
      resolved: [0, 0, 1],
    });
  });

  it('has no points when there are no gaps', () => {
    expect(gapsOverTime([])).toEqual({ days: [], opened: [], resolved: [] });
  });
});

describe('older Codex tool shapes', () => {
  it('shows a shell command array as the line a person would type, with its folder', () => {
    expect(shellCommandLine('{"command":["bash","-lc","ls -la | head"],"workdir":"/home/ana/shop","timeout_ms":10000}')).toEqual({ line: 'ls -la | head', workdir: '/home/ana/shop' });
    expect(shellCommandLine('{"command":["rg","-n","two words","src/"]}')).toEqual({ line: "rg -n 'two words' src/", workdir: null });
    expect(shellCommandLine('{"cmd":"ls"}')).toBeUndefined();
    expect(shellCommandLine('not json')).toBeUndefined();
  });

  it('reads a JSON tool output as its text with real newlines, and its exit code and time', () => {
    expect(jsonToolOutput('{"output":"line 1\\nline 2\\n","metadata":{"exit_code":1,"duration_seconds":0.43}}')).toEqual({ text: 'line 1\nline 2\n', exitCode: 1, seconds: 0.4 });
    expect(jsonToolOutput('Exit code: 0\nWall time: 1 s')).toBeUndefined();
    expect(jsonToolOutput('{"something":"else"}')).toBeUndefined();
  });

  it("splits a reasoning summary's markdown emphasis into parts bound as text", () => {
    expect(emphasisParts('**Checking the tests** then *quickly* look at <b>_this_</b> file_name')).toEqual([
      { text: 'Checking the tests', strong: true },
      { text: ' then ' },
      { text: 'quickly', em: true },
      { text: ' look at <b>' },
      { text: 'this', em: true },
      { text: '</b> file_name' },
    ]);
  });
});

describe('a time split for a narrow cell', () => {
  it('gives the date and the clock apart, reading as the whole time when joined', () => {
    const iso = '2026-11-28T22:58:00Z';
    const [date, time] = formatTimeParts(iso);
    const whole = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    expect(`${date} ${time}`).toBe(whole);
    expect(time).toMatch(/58/);
    expect(date).not.toMatch(/58/);
    expect(formatTime(iso)).toBe(whole);
  });

  it('keeps what is not a time as it is', () => {
    expect(formatTimeParts('not a time')).toEqual(['not a time', '']);
  });
});
