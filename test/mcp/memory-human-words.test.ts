// What kx's memory quotes as said by the human is what the human wrote: not the index's split form of an
// identifier, not learn mode's rewrite (which it may name as what was sent). And the `turn` tool takes a
// session as the CLI does, by a unique start of its id.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Memory } from '../../src/mcp/memory.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { seedMcpStore } from '../support/mcp-seed.js';

const STRIPE = 'what is the StripeSignatureVerificationError in the webhook handler?';
const TYPED = 'how do I test the webhook locally?';
const SENT = `REWRITE-4 ${TYPED} (past sessions used the stripe CLI)`;
const EDITED = 'the webhook handler still throws on exportInvoices: use express.raw for the route, as last time';
const SAID = [STRIPE, SENT, EDITED];

describe('MCP memory quotes what the human said', () => {
  let h: Harness;
  let memory: Memory;

  beforeAll(async () => {
    h = await startHarness();
    seedMcpStore(h.kx);
    const db = h.kx.store.db;
    seedSessions(db, { sessions: 1, turnsPerSession: 3, idPrefix: 'stripe', humanText: (_s, t) => SAID[t - 1]!, start: new Date('2026-01-03T00:00:00Z') });
    // Turn 2 went upstream as learn mode's rewrite, accepted; what was typed is kept beside it.
    db.prepare(`UPDATE items SET detail = ? WHERE turn_id = 't_stripe-000000_2' AND kind = 'human_message'`).run(JSON.stringify({ originalText: TYPED, approvalId: 'ap_1' }));
    // Turn 3 went upstream as the person's own edit of the rewrite learn mode proposed.
    db.prepare(`INSERT INTO approvals (id, session_id, turn_key, ordinal, original_hash, transport, original, rewrite, final_text, decision, created_at, decided_at)
      VALUES ('ap_2', 'stripe-000000', 'k3', 3, 'h3', 'http', 'the webhook handler still throws', 'REWRITE-5 the webhook handler still throws', ?, 'edited', '2026-01-03T00:00:03Z', '2026-01-03T00:00:04Z')`).run(EDITED);
    db.prepare(`UPDATE items SET detail = ? WHERE turn_id = 't_stripe-000000_3' AND kind = 'human_message'`).run(JSON.stringify({ originalText: 'the webhook handler still throws', approvalId: 'ap_2' }));
    h.kx.search.catchUp();
    memory = new Memory({ db, search: h.kx.search, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
  });
  afterAll(async () => h?.close());

  it('search quotes the words written, the identifier marked, when only its split form matched', async () => {
    const text = await memory.search({ query: 'stripe signature', project: 'all' }, {});
    expect(text).toContain('[human said] <quote>what is the **StripeSignatureVerificationError** in the webhook handler?</quote>');
    expect(text).not.toContain('signature verification error');
  });

  it('search quotes what the human typed for a message kx sent rewritten, and says it was sent rewritten', async () => {
    const text = await memory.search({ query: 'REWRITE', project: 'all' }, {});
    expect(text).toContain(`[human said] <quote>${TYPED}</quote>`);
    expect(text).not.toMatch(/\[human said\] <quote>[^<]*REWRITE/);
    expect(text).toMatch(/\[sent rewritten by kx's learn mode\] <quote>\*\*REWRITE\*\*-4 how do I test/);
    expect(text).toMatch(/matched "REWRITE" in the human's message as sent rewritten/);
  });

  it("search quotes the agent's answer of the turn it found, where the fix is, though the query's words are only in the question", async () => {
    h.kx.store.db.prepare(`UPDATE items SET text = ? WHERE turn_id = 't_stripe-000000_3' AND kind = 'assistant_message'`).run('Use express.raw() for that route so the signed bytes reach constructEvent.');
    const text = await memory.search({ query: 'handler throws', project: 'all' }, {});
    expect(text).toContain("[agent's answer in that turn] <quote>Use express.raw() for that route so the signed bytes reach constructEvent.</quote>");
  });

  it("search names a message the person edited before it was sent as theirs, not kx's rewrite", async () => {
    const text = await memory.search({ query: 'exportInvoices', project: 'all' }, {});
    expect(text).toMatch(/\[sent as edited by the person\] <quote>[^<]*\*\*exportInvoices\*\*/);
    expect(text).not.toContain("[sent rewritten by kx's learn mode]");
    expect(text).toMatch(/matched "exportinvoices" in the human's message as they edited it/i);
    expect(text).toContain('[human said] <quote>the webhook handler still throws</quote>');
  });

  it("turn names a message the person edited before it was sent as the person's edit", () => {
    const text = memory.turn({ session: 'stripe-000000', turn: 3 });
    expect(text).toContain('<human>\nthe webhook handler still throws\n</human>');
    expect(text).toMatch(/<sent_edited note="[^"]*the person edited[^"]*">\n/);
    expect(text).toContain(`\n${EDITED}\n</sent_edited>`);
    expect(text).not.toContain('<sent_rewritten');
  });

  it('quotes what the human typed once when the query matched both what was typed and what was sent', async () => {
    const text = await memory.search({ query: 'locally', project: 'all' }, {});
    const said = text.split('\n').filter((l) => l.includes('[human said]') && l.includes('test the webhook'));
    expect(said).toHaveLength(1);
    expect(text).toMatch(/\[sent rewritten by kx's learn mode\] <quote>[^<]*\*\*locally\*\*/);
  });

  it('names each field once in the matched line, however many of its documents matched', async () => {
    const text = await memory.search({ query: 'webhook handler', project: 'all' }, {});
    const matched = text.split('\n').find((l) => l.trim().startsWith('matched'))!;
    expect(matched.match(/in human said/g)).toHaveLength(1);
  });

  it('turn shows what the human typed, and what kx sent in its place', () => {
    const text = memory.turn({ session: 'stripe-000000', turn: 2 });
    expect(text).toContain(`<human>\n${TYPED}\n</human>`);
    expect(text).toMatch(/<sent_rewritten note="what kx's learn mode sent upstream in place of the human's message above[^"]*">\n/);
    expect(text).toContain(`\n${SENT}\n</sent_rewritten>`);
  });

  it('turn takes a unique start of a session id, as the CLI does', () => {
    expect(memory.turn({ session: 'stripe-0', turn: 1 })).toContain('Turn 1 of session stripe-000000, ');
  });

  it('turn lists the sessions an ambiguous start matches, and picks none', () => {
    const text = memory.turn({ session: 'shop-', turn: 1 });
    expect(text).toMatch(/ambiguous/);
    expect(text).toContain('shop-past-000000');
    expect(text).toContain('shop-now-000000');
    expect(text).not.toContain('Turn 1 of');
  });
});
