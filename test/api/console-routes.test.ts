import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { SearchResponseView, SessionPageView } from '../../src/contracts/console.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { SessionList } from '../../src/store/session-list.js';
import { openRecording, type Recording } from '../support/recording.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('console API', () => {
  let r: Recording;
  afterEach(() => r?.close());

  function appWith(seed: Parameters<typeof seedSessions>[1], then?: (db: Recording['store']['db']) => void) {
    r = openRecording();
    seedSessions(r.store.db, seed);
    then?.(r.store.db);
    const search = new SearchIndex(r.store.db);
    search.catchUp();
    return createApp({ reader: r.reader, sessionList: new SessionList(r.store.db, r.reader), search, live: new LiveEvents(), token: TOKEN, boundHost: '127.0.0.1', version: '9.9.9', health: () => ({}) });
  }
  const get = async <T>(app: ReturnType<typeof appWith>, path: string): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await app.request(`http://127.0.0.1:8787${path}`, { headers: { host: '127.0.0.1:8787', authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  };

  it('pages sessions newest first with a total and a cursor, and every session appears once', async () => {
    const app = appWith({ sessions: 23, turnsPerSession: 2 });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { body }: { body: SessionPageView } = await get<SessionPageView>(app, `/api/sessions?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.total).toBe(23);
      seen.push(...body.sessions.map((s) => s.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen[0]).toBe('seed-000022');
  });

  it('sends a number for every duration, even for a session whose stored times are not dates', async () => {
    const app = appWith({ sessions: 2, turnsPerSession: 1 });
    r.store.db.prepare(`UPDATE sessions SET started_at = 'last tuesday' WHERE id = 'seed-000001'`).run();
    r.store.db.prepare(`UPDATE requests SET started_at = '' WHERE session_id = 'seed-000001'`).run();
    const { status, body } = await get<SessionPageView>(app, '/api/sessions?limit=50');
    expect(status).toBe(200);
    expect(body.sessions).toHaveLength(2);
    for (const s of body.sessions) expect(typeof s.durationMs).toBe('number');
  });

  it('titles a session by its first human message and gives its duration, turns and tokens', async () => {
    const app = appWith({ sessions: 1, turnsPerSession: 3, humanText: (_s, t) => `step ${t} of the migration` });
    const { body } = await get<SessionPageView>(app, '/api/sessions');
    expect(body.sessions[0]).toMatchObject({ title: 'step 1 of the migration', turnCount: 3, status: 'idle', project: null });
    expect(body.sessions[0]!.durationMs).toBe(3000); // start to the last request (turn 3 starts 3 s in)
    expect(body.sessions[0]!.usage.totalTokens).toBeGreaterThan(0);
  });

  it("counts a session's open gaps: those still open whose latest sighting was in it", async () => {
    const app = appWith({ sessions: 2, turnsPerSession: 1 });
    const gap = r.store.db.prepare(
      `INSERT INTO gaps (id, project, topic, question, evidence, status, times_seen, first_seen_session_id, first_seen_turn_id, first_seen_at,
         last_seen_session_id, last_seen_turn_id, last_seen_at) VALUES (?, 'p', ?, 'q', 'e', ?, 1, ?, 't', '2026-01-01', ?, 't', '2026-01-01')`,
    );
    gap.run('g_1', 'one', 'open', 'seed-000000', 'seed-000001'); // first seen in 0, seen last in 1
    gap.run('g_2', 'two', 'open', 'seed-000001', 'seed-000001');
    gap.run('g_3', 'three', 'resolved', 'seed-000001', 'seed-000001');
    const { body } = await get<SessionPageView>(app, '/api/sessions');
    expect(Object.fromEntries(body.sessions.map((s) => [s.id, s.openGaps]))).toEqual({ 'seed-000000': 0, 'seed-000001': 2 });
  });

  it('filters by client and by start date, and lists the clients for the filter', async () => {
    const app = appWith({ sessions: 9, turnsPerSession: 1, start: new Date('2026-03-01T00:00:00Z') });
    const byClient = (await get<SessionPageView>(app, '/api/sessions?client=codex_exec')).body;
    expect(byClient.total).toBe(3);
    expect(byClient.sessions.every((s) => s.client === 'codex_exec')).toBe(true);
    expect(byClient.clients).toEqual(['codex_cli_rs', 'codex_exec']);
    const byDate = (await get<SessionPageView>(app, '/api/sessions?from=2026-03-01T00:05:00Z&to=2026-03-01T00:07:00Z')).body;
    expect(byDate.sessions.map((s) => s.id).sort()).toEqual(['seed-000005', 'seed-000006']);
    expect((await get(app, '/api/sessions?from=yesterday')).status).toBe(400);
  });

  it('answers a search with ranked hits whose snippets mark matches and jump to a turn', async () => {
    const app = appWith({ sessions: 3, turnsPerSession: 2, humanText: (s, t) => (s === 1 && t === 2 ? 'why does the webpack loader fail' : 'hello') });
    const { body } = await get<SearchResponseView>(app, '/api/search?q=webpack');
    expect(body.hits).toHaveLength(1);
    expect(body.hits[0]).toMatchObject({ docKind: 'human', sessionId: 'seed-000001', turnSeq: 2 });
    expect(body.hits[0]!.snippet).toBe('why does the \u0001webpack\u0002 loader fail');
  });

  it('says why each hit matched: the words found in it, another name as "excel (for spreadsheet)"', async () => {
    const app = appWith({ sessions: 2, turnsPerSession: 1, humanText: (s) => (s === 0 ? 'the excel import breaks the webpack build' : 'hello') });
    const { body } = await get<SearchResponseView>(app, '/api/search?q=spreadsheet%20webpack');
    expect(body.hits[0]!.words?.sort()).toEqual(['excel (for spreadsheet)', 'webpack']);
    expect(body.hits[0]!.similarity).toBeUndefined();
  });

  it('quotes what was written when only a split identifier matched, the identifier marked as written', async () => {
    const said = 'what is the StripeSignatureVerificationError in the webhook handler?';
    const app = appWith({ sessions: 1, turnsPerSession: 1, humanText: () => said });
    const { body } = await get<SearchResponseView>(app, '/api/search?q=stripe%20signature');
    expect(body.hits.find((h) => h.docKind === 'human')!.snippet).toBe('what is the \u0001StripeSignatureVerificationError\u0002 in the webhook handler?');
  });

  it('exports a session as markdown and as HTML, as downloads', async () => {
    const app = appWith({ sessions: 1, turnsPerSession: 2, humanText: () => 'Hello <b>there</b> ```js' });
    const md = await get<string>(app, '/api/sessions/seed-000000/export?format=md');
    expect(md.headers.get('content-disposition')).toMatch(/^attachment; filename="kx-session-seed-000000.md"$/);
    expect(md.body).toContain('````text\nHello <b>there</b> ```js\n````');
    const html = await get<string>(app, '/api/sessions/seed-000000/export?format=html');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.body).toContain('Hello &lt;b&gt;there&lt;/b&gt;');
    expect(html.body).not.toContain('<b>there');
    expect((await get(app, '/api/sessions/nope/export?format=md')).status).toBe(404);
    expect((await get(app, '/api/sessions/seed-000000/export?format=pdf')).status).toBe(400);
  });

  it("puts the session's title, project and dates at the top of an export", async () => {
    const app = appWith({ sessions: 1, turnsPerSession: 2, humanText: () => 'Fix the *flaky* <cart> test' }, (db) =>
      db.prepare(`UPDATE sessions SET cwd = '/home/ana/shop', project = 'shop-3f2a1b', ended_at = '2025-10-03T09:30:00.000Z'`).run(),
    );
    const md = (await get<string>(app, '/api/sessions/seed-000000/export?format=md')).body;
    expect(md.split('\n', 1)[0]).toMatch(/^# kx session of \d{4}-\d{2}-\d{2}$/);
    expect(md).toContain('```text\ntitle: Fix the *flaky* <cart> test\n');
    expect(md).toMatch(/^project: \/home\/ana\/shop$/m);
    expect(md).toMatch(/^started: \d{4}-\d{2}-\d{2}T/m);
    expect(md).toMatch(/^ended: 2025-10-03T09:30:00.000Z$/m);
    const html = (await get<string>(app, '/api/sessions/seed-000000/export?format=html')).body;
    expect(html).toContain('<h1>Fix the *flaky* &lt;cart&gt; test</h1>');
    expect(html).toContain('<th scope="row">Project</th><td>/home/ana/shop</td>');
    expect(html).toMatch(/<th scope="row">Started<\/th><td>\d{4}-/);
  });
});
