// The console's search quotes what the person typed as the human's words, for a message learn mode sent
// rewritten; where the match is in the rewrite, it is given apart as what kx sent (docs/console.md#search).

import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { SearchHitView, SearchResponseView } from '../../src/contracts/console.js';
import { LiveEvents } from '../../src/store/live-events.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { SessionList } from '../../src/store/session-list.js';
import { openRecording, type Recording } from '../support/recording.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { migrateAnswer, startLearnHarness } from '../support/learn-harness.js';
import { TEST_TOKEN } from '../support/kx-harness.js';

const TOKEN = 'test-token-0123456789abcdef';
const TYPED = 'how do I test the webhook locally on my laptop?';
const SENT = 'REWRITE-4: test the stripe webhook locally with the stripe CLI, as past sessions did';
const PLAIN = 'the webhook secret rotates on Mondays';

/** Marks out; the pieces between the ellipses snippets put where the text goes on. */
const pieces = (quote: string) => quote.replace(/[\u0001\u0002]/g, '').split('…').map((p) => p.trim()).filter(Boolean);

describe('console search over a message learn mode sent rewritten', () => {
  let r: Recording;
  afterEach(() => r?.close());

  function app() {
    r = openRecording();
    seedSessions(r.store.db, { sessions: 2, turnsPerSession: 2, humanText: (s, t) => (s === 0 && t === 2 ? SENT : s === 1 && t === 1 ? PLAIN : `step ${t} of the deploy`) });
    r.store.db.prepare(`UPDATE items SET detail = ? WHERE turn_id = 't_seed-000000_2' AND kind = 'human_message'`).run(JSON.stringify({ originalText: TYPED, approvalId: 'ap_1' }));
    const search = new SearchIndex(r.store.db);
    search.catchUp();
    return createApp({ reader: r.reader, sessionList: new SessionList(r.store.db, r.reader), search, live: new LiveEvents(), token: TOKEN, boundHost: '127.0.0.1', version: '9.9.9', health: () => ({}) });
  }
  async function search(a: ReturnType<typeof app>, q: string): Promise<SearchHitView[]> {
    const res = await a.request(`http://127.0.0.1:8787/api/search?q=${encodeURIComponent(q)}`, { headers: { host: '127.0.0.1:8787', authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as SearchResponseView).hits;
  }
  const rewrittenHits = (hits: SearchHitView[]) => hits.filter((h) => h.docKind === 'human' && h.turnId === 't_seed-000000_2');

  it('quotes what the person typed for a match in the rewrite, and gives the rewrite apart as what kx sent', async () => {
    const hits = rewrittenHits(await search(app(), 'REWRITE'));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.snippet).toBe(TYPED);
    expect(hits[0]!.rewritten?.sent).toContain('\u0001REWRITE\u0002-4');
  });

  it('finds the message by a word only the person typed, marked in what they typed', async () => {
    const hits = rewrittenHits(await search(app(), 'laptop'));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.snippet).toContain('\u0001laptop\u0002');
    expect(hits[0]).toHaveProperty('rewritten');
    expect(hits[0]!.rewritten!.sent).toBeUndefined();
  });

  it('shows a message matched in both what was typed and what was sent once, marked in each, with the words of both', async () => {
    const a = app();
    const hits = rewrittenHits(await search(a, 'webhook'));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.snippet).toContain('\u0001webhook\u0002 locally on my laptop');
    expect(hits[0]!.rewritten?.sent).toContain('stripe \u0001webhook\u0002');
    expect(rewrittenHits(await search(a, 'laptop CLI'))[0]!.words?.sort()).toEqual(['CLI', 'laptop']);
  });

  it('quotes only stored text: the human words from what was typed, the rewrite from what was sent', async () => {
    const a = app();
    for (const q of ['REWRITE', 'laptop', 'webhook', 'stripe locally', 'deploy']) {
      for (const h of await search(a, q)) {
        if (h.docKind !== 'human') continue;
        // What the person said: what they typed where learn mode sent a rewrite, else the message.
        const said = r.store.db.prepare(`SELECT COALESCE(json_extract(detail, '$.originalText'), text) FROM items WHERE turn_id = ? AND kind = 'human_message'`).pluck().get(h.turnId) as string;
        for (const p of pieces(h.snippet)) expect(said, q).toContain(p);
        for (const p of pieces(h.rewritten?.sent ?? '')) expect(SENT, q).toContain(p);
      }
    }
  });

  it('leaves a message sent as typed as it was', async () => {
    const hits = (await search(app(), 'webhook')).filter((h) => h.sessionId === 'seed-000001' && h.docKind === 'human');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.snippet).toBe('the \u0001webhook\u0002 secret rotates on Mondays');
    expect(hits[0]).not.toHaveProperty('rewritten');
  });

  it('end to end: a turn learn mode rewrote through kx is found by what the person typed, and quoted as typed', async () => {
    const h = await startLearnHarness(['s-learned']);
    try {
      const typed = 'run the integration tests and tell me what breaks';
      const sent = 'Run the integration suite once the database is migrated, and report each failure.';
      h.fake.enqueue({ kind: 'rewrite', answer: { ...migrateAnswer(typed), rewritten: sent } });
      const pending = h.nextPending();
      const answer = rawRequest(`${h.proxyBase}/responses`, {
        headers: { 'session-id': 's-learned', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(typed)], prompt_cache_key: 'x' }),
      });
      await h.decide((await pending).id, { decision: 'accept' });
      await answer;
      await h.kx.settle();
      const find = async (q: string) => {
        const res = await fetch(`${h.kx.url}/api/search?q=${q}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
        return ((await res.json()) as SearchResponseView).hits.filter((x) => x.sessionId === 's-learned' && x.docKind === 'human');
      };
      const byTyped = await find('breaks');
      expect(byTyped).toHaveLength(1);
      expect(byTyped[0]).toMatchObject({ snippet: typed.replace('breaks', '\u0001breaks\u0002'), rewritten: {} });
      const byRewrite = await find('database');
      expect(byRewrite).toHaveLength(1);
      expect(byRewrite[0]!.snippet).toBe(typed);
      expect(byRewrite[0]!.rewritten?.sent).toBe(sent.replace('database', '\u0001database\u0002'));
    } finally {
      await h.close();
    }
  });

  it('end to end: a rewrite the person edited before it went is said to be their edit, not kx\'s rewrite', async () => {
    const h = await startLearnHarness(['s-edited']);
    try {
      const typed = 'run the integration tests and tell me what breaks';
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(typed) });
      const pending = h.nextPending();
      const answer = rawRequest(`${h.proxyBase}/responses`, {
        headers: { 'session-id': 's-edited', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(typed)], prompt_cache_key: 'x' }),
      });
      await h.decide((await pending).id, { decision: 'edit', text: 'run the integration suite against staging' });
      await answer;
      await h.kx.settle();
      const res = await fetch(`${h.kx.url}/api/search?q=staging`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      const hits = ((await res.json()) as SearchResponseView).hits.filter((x) => x.sessionId === 's-edited' && x.docKind === 'human');
      expect(hits).toHaveLength(1);
      expect(hits[0]!.snippet).toBe(typed);
      expect(hits[0]!.rewritten).toEqual({ sent: 'run the integration suite against \u0001staging\u0002', edited: true });
    } finally {
      await h.close();
    }
  });
});
