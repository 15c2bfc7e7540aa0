// Who wrote what learn mode sent, as kx's memory tells it, end to end: a turn held for approval, decided on the
// card, then read back over MCP. An accepted rewrite is kx's; an edit is the person's own words.

import { afterEach, describe, expect, it } from 'vitest';
import { Memory } from '../../src/mcp/memory.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';

const TYPED = 'the nightly export cronjob died again with exit code 137';
const EDITED = 'The nightly export died with 137 again: stream exportInvoices to the CSV instead of building it in memory';

async function decidedTurn(h: LearnHarness, session: string, decision: Record<string, unknown>): Promise<Memory> {
  h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(TYPED) });
  const pending = h.nextPending();
  const res = rawRequest(`${h.proxyBase}/responses`, {
    headers: { 'session-id': session, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(TYPED)] }),
  });
  await h.decide((await pending).id, decision);
  expect((await res).status).toBe(200);
  await h.kx.settle();
  h.kx.search.catchUp();
  return new Memory({ db: h.kx.store.db, search: h.kx.search, engine: h.kx.insight.engine, baseUrl: () => h.kx.url });
}

describe('what learn mode sent, over MCP', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it("names the person's edit as theirs, in turn and in search", async () => {
    h = await startLearnHarness(['s-edited']);
    const memory = await decidedTurn(h, 's-edited', { decision: 'edit', text: EDITED });
    const turn = memory.turn({ session: 's-edited', turn: 1 });
    expect(turn).toContain(`<human>\n${TYPED}\n</human>`);
    expect(turn).toContain(`\n${EDITED}\n</sent_edited>`);
    expect(turn).not.toContain('<sent_rewritten');
    const hit = await memory.search({ query: 'exportInvoices', project: 'all' }, {});
    expect(hit).toMatch(/\[sent as edited by the person\] <quote>[^<]*\*\*exportInvoices\*\*/);
    expect(hit).not.toContain("[sent rewritten by kx's learn mode]");
  });

  it("names an accepted rewrite as kx's", async () => {
    h = await startLearnHarness(['s-accepted']);
    const memory = await decidedTurn(h, 's-accepted', { decision: 'accept' });
    const turn = memory.turn({ session: 's-accepted', turn: 1 });
    expect(turn).toContain(`<human>\n${TYPED}\n</human>`);
    expect(turn).toMatch(/<sent_rewritten note="what kx's learn mode sent upstream/);
    expect(turn).not.toContain('<sent_edited');
  });
});
