// Which message of a Chat Completions request learn mode may hold (src/learn/human-turn.ts), on the
// bodies the real clients sent (test/fixtures/<client>-<version>/).

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isClientContext, ruleFor } from '../../src/capture/client-rules.js';
import { jsonSpan } from '../../src/protocol/json-span.js';
import { isInjectedText } from '../../src/protocol/human-text.js';
import { chatHumanMessagesOf, newChatHumanMessage } from '../../src/learn/human-turn.js';
import type { Json } from '../../src/protocol/json-guards.js';

const load = (f: string) => JSON.parse(fs.readFileSync(`test/fixtures/${f}`, 'utf8')) as { headers: Record<string, string>; body: Json };
const contextOf = (headers: Record<string, string>) => (text: string) => isInjectedText(text) || isClientContext(ruleFor(headers), text);

describe('the human message of a Chat Completions request', () => {
  it("finds the typed prompt among Qwen Code's <system-reminder> parts, and points at its bytes", () => {
    const { headers, body } = load('qwen-code-0.24.4/03-request.json');
    const { refs } = chatHumanMessagesOf(body, contextOf(headers));
    expect(refs.map((r) => [r.ordinal, r.text])).toEqual([
      [0, 'list the files in this folder'],
      [1, 'thanks, which one is the python script?'],
    ]);
    const raw = Buffer.from(JSON.stringify(body));
    const span = jsonSpan(raw, refs[1]!.path)!;
    expect(JSON.parse(raw.subarray(span.start, span.end).toString())).toBe('thanks, which one is the python script?');
    expect(newChatHumanMessage(body, false, refs)).toBe(refs[1]);
  });

  it('is none for a tool-output follow-up or a background call', () => {
    const followUp = load('pi-0.73.1/02-request.json');
    const refs = chatHumanMessagesOf(followUp.body, contextOf(followUp.headers)).refs;
    expect(newChatHumanMessage(followUp.body, false, refs)).toBe('tool_output_follow_up');
    const title = load('opencode-1.18.33/01-request.json');
    expect(newChatHumanMessage(title.body, true, chatHumanMessagesOf(title.body, contextOf(title.headers)).refs)).toBe('background');
  });
});
