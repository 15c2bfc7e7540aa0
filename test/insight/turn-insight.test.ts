import { afterEach, describe, expect, it } from 'vitest';
import { loadPrompts } from '../../src/insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../../src/insight/schemas.js';
import { SESSION_KEY, startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

type InsightBody = { model: string; instructions: string; store: boolean; stream?: boolean; text: { format: { type: string; name: string; strict: boolean; schema: { properties: Record<string, unknown> } } }; input: Array<{ content: Array<{ text: string }> }> };
const inputOf = (body: unknown): string => (body as InsightBody).input[0]!.content[0]!.text;

describe('turn insight', () => {
  let h: InsightHarness;
  afterEach(async () => h?.close());

  it('sends the ended turn to the model with the schema, the prompt and the session’s own key, once', async () => {
    h = await startInsightHarness();
    await h.turn('ins-1', 'what is useEffect? my component renders twice');
    await h.waitFor('the turn insight', () => h.kx.insight.engine.reader.turnInsights('ins-1')[0]?.state === 'done');
    const calls = h.insightCalls();
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    const body = call.body as InsightBody;
    expect(call.path).toBe('/v1/responses');
    expect(call.headers.authorization).toBe(`Bearer ${SESSION_KEY}`);
    expect(body.model).toBe('gpt-5');
    expect(body.store).toBe(false);
    expect(body.stream).toBeUndefined();
    expect(body.text.format).toMatchObject({ type: 'json_schema', name: 'turn_insight', strict: true });
    expect(Object.keys(body.text.format.schema.properties)).toContain('resolved_gaps');
    expect(body.instructions).toBe(loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA }).turn.instructions);
    const input = inputOf(body);
    expect(input).toContain('<human label="human">\nwhat is useEffect? my component renders twice\n</human>');
    expect(input).toContain('<assistant label="agent">\nYou said: what is useEffect?');
    expect(input).toContain('<open_gaps>\n(none)\n</open_gaps>');
  });

  it('stores the insight and opens the gap it names, with the human’s words as evidence', async () => {
    h = await startInsightHarness();
    await h.turn('ins-2', 'what is useEffect? my component renders twice');
    await h.waitFor('the turn insight', () => h.kx.insight.engine.reader.turnInsights('ins-2')[0]?.state === 'done');
    const [insight] = h.kx.insight.engine.reader.turnInsights('ins-2');
    expect(insight).toMatchObject({ state: 'done', outcome: 'succeeded', summary: 'Asked: what is useEffect? my component renders twice' });
    const gaps = h.kx.insight.engine.reader.gaps({ status: 'open' });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ topic: 'useEffect', question: 'what is useEffect?', evidence: 'what is useEffect? my component renders twice', timesSeen: 1 });
    expect(insight!.gaps[0]!.gapId).toBe(gaps[0]!.id);
    expect(insight!.tokens.input).toBeGreaterThan(0);
  });

  it('writes the turn’s entry into learnings.md', async () => {
    h = await startInsightHarness();
    await h.turn('ins-3', 'what is useEffect?');
    await h.waitFor('learnings.md', () => {
      try {
        return h.learnings('ins-3').includes('**Action:**');
      } catch {
        return false;
      }
    });
    const md = h.learnings('ins-3');
    expect(md).toContain('| Insight | up to date |');
    expect(md).toMatch(/### Turn 1 · .* UTC\n\n\*\*You typed:\*\* “what is useEffect\?”/);
    expect(md).toMatch(/- \*\*Gap:\*\* what is useEffect\? \(useEffect, `g_\w+`, asked outright\)\. You said: “what is useEffect\?”/);
    expect(md).toContain('- **Outcome:** succeeded');
  });
});
