// kx sessions, end, gaps, summary and notes against a running kx: what each prints, and its errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSessions } from '../../src/cli/insight-commands.js';
import { closestIds } from '../../src/cli/names.js';
import { CliError, kxClient, type KxClient } from '../../src/cli/kx-client.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { commandRunner } from '../support/run-command.js';

const SHOP = '/home/ana/shop';
const BLOG = '/home/ana/blog';

describe('kx sessions, end, gaps and notes', () => {
  let h: InsightHarness;
  let api: KxClient;
  /** A kx command as typed, run against the harness's kx from folder `cwd`. */
  const run = commandRunner(() => api);

  beforeAll(async () => {
    h = await startInsightHarness();
    await h.turn('shop-session-1', 'what is useEffect?', { cwd: SHOP });
    await h.turn('blog-session-1', 'what is a deploy key?', { cwd: BLOG });
    await h.waitFor('two gaps', () => h.kx.insight.engine.reader.gaps().length === 2);
    const token = h.config.uiToken;
    api = kxClient(h.kx.url, token);
  }, 60_000);

  afterAll(async () => h?.close());

  it('lists recent sessions with id, title, project, turns and open gaps', async () => {
    const text = await run(['sessions']);
    const [head, ...rows] = text.split('\n');
    expect(head).toMatch(/^ID\s+TITLE\s+PROJECT\s+LAST ACTIVITY\s+TURNS\s+OPEN GAPS\s+STATUS$/);
    expect(rows.find((r) => r.startsWith('shop-session-1'))).toMatch(/what is useEffect\?\s+shop-\w+\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1\s+1\s+live$/);
  });

  it('filters sessions by project, and refuses a project it does not know', async () => {
    const text = await run(['sessions', '--project', BLOG]);
    expect(text).toContain('blog-session-1');
    expect(text).not.toContain('shop-session-1');
    await expect(run(['sessions', '--project', 'nope'])).rejects.toThrow(/no project "nope": .*known: /);
  });

  it('refuses an unknown option, naming it', async () => {
    await expect(run(['sessions', '--bogus'])).rejects.toThrow(/unknown option --bogus/);
  });

  it('shows the gaps of the project of the current folder, with a project column', async () => {
    const text = await run(['gaps'], `${SHOP}/src`);
    expect(text.split('\n')[0]).toMatch(/^open gaps of project shop-\w+ \(this folder/);
    expect(text).toMatch(/shop-\w+\s+open/);
    expect(text).not.toContain('blog-');
  });

  it('shows every project’s gaps outside a known project, and says so', async () => {
    const text = await run(['gaps'], '/tmp');
    expect(text).toContain('this folder is not a project kx has seen');
    expect(text).toContain('shop-');
    expect(text).toContain('blog-');
  });

  it('resolves a gap with a note and reopens it', async () => {
    const gap = h.kx.insight.engine.reader.gaps()[0]!;
    expect(await run(['gaps', 'resolve', gap.id, '--note', 'read the docs'])).toMatch(new RegExp(`^${gap.id} is resolved`));
    expect(h.kx.insight.engine.reader.gap(gap.id)).toMatchObject({ status: 'resolved', resolved: { note: 'read the docs' } });
    expect(await run(['gaps', 'reopen', gap.id])).toMatch(/is open/);
  });

  it('refuses to guess a project for kx notes outside any known project', async () => {
    await expect(run(['notes'], '/tmp/elsewhere')).rejects.toThrow(/is not a project kx has seen; name one: kx notes PROJECT/);
    expect(await run(['notes'], SHOP)).toContain('read before your next session');
  });

  it('suggests the closest sessions for an id it does not know', async () => {
    const err = await run(['end', 'shop-sesion-1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/^no such session shop-sesion-1; closest: shop-session-1/);
  });

  it('shows a project’s notes named by the start of its name, without the hash suffix', async () => {
    expect(await run(['notes', 'sho'], '/tmp')).toContain('read before your next session');
    expect(await run(['notes', 'shop'], '/tmp')).toContain('read before your next session');
  });

  it('says a bad --limit in plain words, a negative one included', async () => {
    await expect(run(['sessions', '--limit', '-3'])).rejects.toThrow(/^--limit must be a whole number from 1 to 100, got "-3"\nUsage: kx sessions/);
    await expect(run(['sessions', '--limit', 'lots'])).rejects.toThrow(/^--limit must be a whole number from 1 to 100, got "lots"/);
  });

  it('ends a session named by a unique prefix, and says so when it already ended', async () => {
    expect(await run(['end', 'blog-sess'])).toMatch(/^ended blog-session-1 at \d{4}-\d\d-\d\d \d\d:\d\d;/);
    expect(await run(['end', 'blog-session-1'])).toMatch(/^session blog-session-1 already ended at .*; its summary: kx summary blog-session-1$/);
  });

  it('ends a session again after turns came since it ended, writing a new summary version', async () => {
    expect(await run(['end', 'shop-session-1'])).toMatch(/^ended shop-session-1 at .*summary job \S+ queued/);
    await h.waitFor('summary 1', () => h.kx.insight.engine.reader.summaryVersions('shop-session-1').length === 1);
    await new Promise((r) => setTimeout(r, 5));
    await h.turn('shop-session-1', 'and what is useMemo?', { cwd: SHOP });
    expect((await run(['sessions'])).split('\n').find((r) => r.startsWith('shop-session-1'))).toMatch(/\s2\s+\d+\s+live$/);
    expect(await run(['end', 'shop-session-1'])).toMatch(/^ended shop-session-1 at .*summary job \S+ queued/);
    await h.waitFor('summary 2', () => h.kx.insight.engine.reader.summaryVersions('shop-session-1').length === 2);
    expect(await run(['end', 'shop-session-1'])).toMatch(/already ended/);
  });

  it('prints the summary with its title, as kx notes shows it', async () => {
    await h.waitFor('the blog summary', () => h.kx.insight.engine.reader.summary('blog-session-1') !== null);
    const title = h.kx.insight.engine.reader.summary('blog-session-1')!.title;
    expect(title).not.toBe('');
    expect((await run(['summary', 'blog-session-1'])).split('\n')[0]).toContain(title);
  });
});

describe('kx names and next steps in errors', () => {
  let h: InsightHarness;
  const run = commandRunner(() => kxClient(h.kx.url, h.config.uiToken));

  beforeAll(async () => {
    h = await startInsightHarness();
    await h.turn('shop-session-1', 'what is useEffect?', { cwd: SHOP });
    await h.turn('shop-session-2', 'what is a hook?', { cwd: '/srv/b/shop' });
  }, 60_000);

  afterAll(async () => h?.close());

  it.each([
    [['end', ''], /^a session id is needed/],
    [['summary', ''], /^a session id is needed/],
    [['notes', ''], /^a project name is needed/],
    [['sessions', '--project', ''], /^a project name is needed/],
    [['gaps', '--project', ''], /^a project name is needed/],
    [['mode', '--session', ''], /^a session id is needed/],
    [['mode', 'learn', '--session', ''], /^a session id is needed/],
    [['mode', 'learn', '--project', ''], /^a project name is needed/],
  ])('never takes an empty name as a start that matches everything: kx %j', async (words, message) => {
    await expect(run(words as string[])).rejects.toThrow(message);
  });

  it('lists each match of an ambiguous project name with its folder', async () => {
    const err = (await run(['notes', 'shop']).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toMatch(/^project shop is ambiguous: 2 match/);
    expect(err.message).toMatch(/\n {2}shop-\w+ {2}\/home\/ana\/shop(\n|$)/);
    expect(err.message).toMatch(/\n {2}shop-\w+ {2}\/srv\/b\/shop(\n|$)/);
  });

  it('lists each match of an ambiguous session prefix with what tells them apart', async () => {
    const err = (await run(['end', 'shop-sess']).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^session shop-sess is ambiguous: 2 match/);
    expect(err.message).toMatch(/\n {2}shop-session-1 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}shop-\w+ {2}what is useEffect\?/);
  });

  it('names the closest sessions for kx mode --session, as kx end does', async () => {
    await expect(run(['mode', 'learn', '--session', 'shop-sesion-1'])).rejects.toThrow(/^no such session shop-sesion-1; closest: .*shop-session-1.* \(kx sessions lists them\)$/);
    expect(await run(['mode', 'learn', '--session', 'shop-session-2'])).toContain('session shop-session-2: learn');
  });

  it('says how to list gap ids when a gap is unknown', async () => {
    await expect(run(['gaps', 'resolve', 'g_nope'])).rejects.toThrow(/^no gap g_nope.*kx gaps --all lists/);
  });

  it('names the argument of kx team join, not a setting, when it is not a URL', async () => {
    const err = (await run(['team', 'join', 'notaurl']).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/must be a URL like postgres:\/\//);
    expect(err.message).not.toContain('KX_TEAM_DATABASE_URL');
  });
});

describe('kx sessions status column', () => {
  const row = { title: 't', project: 'p', lastActivityAt: '2026-11-27T11:00:00.000Z', turnCount: 1, openGaps: 0 };
  it('says idle for an open session gone quiet, and ended only for one that ended', () => {
    const text = formatSessions(
      [
        { ...row, id: 'quiet-one', endedAt: null, status: 'idle' },
        { ...row, id: 'done-one', endedAt: '2026-11-27T11:05:00.000Z', status: 'ended' },
      ],
      'UTC',
    );
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('quiet-one'))).toMatch(/\sidle$/);
    expect(lines.find((l) => l.startsWith('done-one'))).toMatch(/\sended$/);
  });
});

describe('closest ids', () => {
  it('puts ids that start with what was typed first, then the nearest', () => {
    expect(closestIds('abcd', ['zzzzzz', 'abcdef', 'abxd00'])).toEqual(['abcdef', 'abxd00']);
  });

  it('offers no id that is not close to what was typed', () => {
    const ids = ['019b2c7e-aaaa-7000-8000-000000000001', 'shop-session-1', 'blog-session-1'];
    expect(closestIds('zzz', ids)).toEqual([]);
    expect(closestIds('shop-sesion-1', ids)).toEqual(['shop-session-1']);
  });
});
