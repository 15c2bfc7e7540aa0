// What the insight calls are told of a message learn mode sent rewritten: the human's message is what they
// typed, and the rewrite is named as what kx sent in its place, so a note's "Asked" is what was asked.

import { afterEach, describe, expect, it } from 'vitest';
import { sessionCall, turnCall, type CallBuilderDeps } from '../../src/insight/calls.js';
import { InsightReader } from '../../src/insight/insight-reader.js';
import { loadPrompts } from '../../src/insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../../src/insight/schemas.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { defaultTurnInsight } from '../../harness/fake-upstream/insight.js';
import { openRecording, type Recording } from '../support/recording.js';

const TYPED = 'how do I test the webhook locally?';
const SENT = `REWRITE-4 ${TYPED} Past sessions used the stripe CLI.`;

describe('a message learn mode sent rewritten, in the insight calls', () => {
  let r: Recording | undefined;
  afterEach(() => r?.close());

  function rewrittenTurn(): CallBuilderDeps {
    r = openRecording();
    const db = r.store.db;
    seedSessions(db, { sessions: 1, turnsPerSession: 1, humanText: () => SENT });
    db.prepare(`UPDATE items SET detail = ? WHERE kind = 'human_message'`).run(JSON.stringify({ originalText: TYPED, approvalId: 'ap_1' }));
    return { db, reader: new InsightReader(db), prompts: loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA }), settings: { maxInputTokens: 20_000 } };
  }

  it('the turn call gives what the human typed as their message, then the rewrite as what kx sent', () => {
    const { input } = turnCall(rewrittenTurn(), 't_seed-000000_1');
    expect(input).toContain(`<human label="human, as typed">\n${TYPED}\n</human>`);
    expect(input).toMatch(/<sent_rewritten label="[^"]*learn mode[^"]*">\nREWRITE-4 how do I test/);
    expect(input.indexOf('<human label')).toBeLessThan(input.indexOf('<sent_rewritten label'));
    expect(input).not.toMatch(/<human[^>]*>\nREWRITE-4/);
  });

  it("the fake upstream's notetaker, reading the turn call as a model would, writes 'Asked:' with what was typed", () => {
    const { input } = turnCall(rewrittenTurn(), 't_seed-000000_1');
    expect(defaultTurnInsight(input)).toMatchObject({ summary: `Asked: ${TYPED}` });
  });

  it('the summary call, for a turn with no notes, says what the human typed and what kx sent', () => {
    const { input } = sessionCall(rewrittenTurn(), 'seed-000000');
    expect(input).toContain(`human: ${TYPED}\n`);
    expect(input).toContain(`sent rewritten by kx's learn mode: ${SENT}\n`);
  });

  /** The same turn, where the person edited the rewrite learn mode proposed before it was sent. */
  function editedTurn(): CallBuilderDeps {
    const d = rewrittenTurn();
    d.db.prepare(`INSERT INTO approvals (id, session_id, turn_key, ordinal, original_hash, transport, original, rewrite, final_text, decision, created_at)
      VALUES ('ap_1', 'seed-000000', 'k', 1, 'h', 'http', ?, 'REWRITE-3', ?, 'edited', '2026-01-01T00:00:00Z')`).run(TYPED, SENT);
    return d;
  }

  it("the turn call names a message the person edited before it was sent as the person's edit, not kx's rewrite", () => {
    const { input } = turnCall(editedTurn(), 't_seed-000000_1');
    expect(input).toContain(`<human label="human, as typed">\n${TYPED}\n</human>`);
    expect(input).toMatch(/<sent_rewritten label="[^"]*the human's own edit[^"]*">\nREWRITE-4 how do I test/);
    expect(input).not.toMatch(/<sent_rewritten label="[^"]*by kx's learn mode, with the human's approval/);
  });

  it('the summary call says what the human typed and that they edited what was sent', () => {
    const { input } = sessionCall(editedTurn(), 'seed-000000');
    expect(input).toContain(`sent as the human edited kx's proposed rewrite: ${SENT}\n`);
    expect(input).not.toContain("sent rewritten by kx's learn mode");
  });

  it('a message sent as typed is the human block alone', () => {
    const d = rewrittenTurn();
    d.db.prepare(`UPDATE items SET detail = NULL WHERE kind = 'human_message'`).run();
    const { input } = turnCall(d, 't_seed-000000_1');
    expect(input).toContain(`<human label="human">\n${SENT}\n</human>`);
    expect(input).not.toContain('<sent_rewritten');
  });
});
