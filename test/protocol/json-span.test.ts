import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanMessagesOf } from '../../src/learn/human-turn.js';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { applyEdits, jsonSpan } from '../../src/protocol/json-span.js';
import { fixtureBytes, fixtureRequest, wireBody } from '../support/fixtures.js';

/** Replaces the human text at `path` and checks every byte outside the string is unchanged. */
function replaceAndCheck(body: Buffer, path: Array<string | number>, text: string): Buffer {
  const span = jsonSpan(body, path)!;
  const replacement = Buffer.from(JSON.stringify(text));
  const out = applyEdits(body, [{ ...span, bytes: replacement }]);
  expect(out.subarray(0, span.start).equals(body.subarray(0, span.start))).toBe(true);
  expect(out.subarray(span.start + replacement.length).equals(body.subarray(span.end))).toBe(true);
  return out;
}

describe('replacing the human text in a body', () => {
  it('finds the span of the human text in a plain HTTP body', () => {
    const body = wireBody(fixtureRequest('http-sse', '01'));
    const span = jsonSpan(body, ['input', 6, 'content', 0, 'text'])!;
    expect(body.toString('utf8', span.start, span.end)).toBe('"list the files here"');
  });

  it('leaves every other byte of a plain body identical, and the JSON reads the new text', () => {
    const body = wireBody(fixtureRequest('http-sse', '03'));
    const ref = humanMessagesOf(JSON.parse(body.toString()) as Record<string, unknown>, 0).refs.at(-1)!;
    const out = replaceAndCheck(body, [...ref.path], 'which one is Python? (use `file`)\n"quoted" é ✓');
    const parsed = JSON.parse(out.toString()) as { input: Array<{ content: Array<{ text: string }> }> };
    expect(parsed.input[ref.itemIndex]!.content[0]!.text).toBe('which one is Python? (use `file`)\n"quoted" é ✓');
  });

  it('does the same in a decoded zstd body', () => {
    const body = decodeBody(fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst'), 'zstd');
    const ref = humanMessagesOf(JSON.parse(body.toString()) as Record<string, unknown>, 0).refs.at(-1)!;
    replaceAndCheck(body, [...ref.path], 'list the files here, biggest first');
  });

  it('reads the value JSON.parse reads when a key is duplicated', () => {
    const body = Buffer.from('{"input":[{"text":"a"},{"text":"first","text":"second"}]}');
    const span = jsonSpan(body, ['input', 1, 'text'])!;
    expect(body.toString('utf8', span.start, span.end)).toBe('"second"');
  });

  it('finds any string in any JSON document, however it is spaced and escaped', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.string(), fc.boolean(), (rest, key, value, pretty) => {
        const doc = { ...rest, [key]: value };
        const text = Buffer.from(JSON.stringify(doc, null, pretty ? 2 : undefined));
        const span = jsonSpan(text, [key])!;
        expect(JSON.parse(text.toString('utf8', span.start, span.end))).toBe(value);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('inserts before an item without touching the rest', () => {
    const body = Buffer.from('{"input":[{"a":1}, {"b":2}]}');
    const span = jsonSpan(body, ['input', 1])!;
    const out = applyEdits(body, [{ start: span.start, end: span.start, bytes: Buffer.from('{"c":3},') }]);
    expect(out.toString()).toBe('{"input":[{"a":1}, {"c":3},{"b":2}]}');
  });
});
