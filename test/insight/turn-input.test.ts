import { afterEach, describe, expect, it } from 'vitest';
import { fitParts, renderParts, type TurnPart } from '../../src/insight/turn-input.js';
import { headAndTail } from '../../src/text/head-and-tail.js';
import { estimateTokens } from '../../src/text/tokens.js';
import { SESSION_KEY, startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { rawRequest } from '../../harness/drivers/http-client.js';

describe('what an insight call is sent', () => {
  it('keeps a long part’s head and tail around a marker', () => {
    const cut = headAndTail('a'.repeat(600) + 'b'.repeat(400), 100);
    expect(cut).toBe(`${'a'.repeat(60)}\n[kx: 900 characters cut here]\n${'b'.repeat(40)}`);
  });

  it('cuts tool output before the human’s words to fit the budget', () => {
    const parts: TurnPart[] = [
      { kind: 'human', label: 'human', text: 'h'.repeat(2000) },
      { kind: 'tool_output', label: 'tool output', text: 'o'.repeat(40_000) },
    ];
    const fitted = fitParts(parts, 1500);
    expect(estimateTokens(renderParts(fitted))).toBeLessThanOrEqual(1500);
    expect(fitted[0]!.text).toBe('h'.repeat(2000));
    expect(fitted[1]!.text).toContain('characters cut here');
  });

  describe('through kx', () => {
    let h: InsightHarness;
    afterEach(async () => h?.close());

    it('stays under KX_INSIGHT_MAX_INPUT_TOKENS with a huge tool output, and sends no secret', async () => {
      h = await startInsightHarness({ maxInputTokens: 4000 });
      const secret = ['sk-proj-', 'leakedKeyInToolOutput0123456789abcdef'].join('');
      const input = [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list the files' }] },
        { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"cat big.log"}' },
        { type: 'function_call_output', call_id: 'c1', output: `START ${secret} ` + 'x'.repeat(200_000) + ' END' },
      ];
      await rawRequest(`${h.proxyBase}/responses`, {
        headers: { 'content-type': 'application/json', 'session-id': 'cap-1', authorization: `Bearer ${SESSION_KEY}` },
        body: JSON.stringify({ model: 'gpt-5', stream: true, input }),
      });
      await h.kx.settle();
      await h.waitFor('the insight', () => h.kx.insight.engine.reader.turnInsights('cap-1')[0]?.state === 'done');
      const call = h.insightCalls()[0]!;
      const body = call.body as { instructions: string; input: Array<{ content: Array<{ text: string }> }> };
      const sent = body.instructions + body.input[0]!.content[0]!.text;
      expect(estimateTokens(sent)).toBeLessThanOrEqual(4000);
      expect(sent).toContain('START [REDACTED:api-key]');
      expect(sent).toContain(' END');
      expect(sent).toContain('characters cut here');
      expect(call.rawBody.toString()).not.toContain(secret);
      expect(call.rawBody.toString()).not.toContain(SESSION_KEY);
    });
  });
});
