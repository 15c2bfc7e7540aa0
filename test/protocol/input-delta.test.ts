import { describe, expect, it } from 'vitest';
import { splitRequestBody, splitRequestChunks } from '../../src/protocol/input-delta.js';
import { fixtureRequest, wireBody } from '../support/fixtures.js';

describe('request body delta', () => {
  const b1 = wireBody(fixtureRequest('http-sse', '01'));
  const b2 = wireBody(fixtureRequest('http-sse', '02'));
  const b3 = wireBody(fixtureRequest('http-sse', '03'));

  it('parses everything the first time', () => {
    const s = splitRequestBody(b1, undefined);
    expect(s.newItems).toHaveLength(7);
    expect(s.fromCursor).toBe(false);
    expect(s.top.model).toBe('gpt-6.1-sol');
    expect(s.top.input).toEqual([]);
  });

  it('parses only the items after the history it has seen', () => {
    const first = splitRequestBody(b1, undefined);
    const second = splitRequestBody(b2, first.cursor);
    expect(second.fromCursor).toBe(true);
    expect(second.skipped).toBe(7);
    expect(second.newItems.map((i) => (i as { type: string }).type)).toEqual(['reasoning', 'custom_tool_call', 'custom_tool_call_output']);
    const third = splitRequestBody(b3, second.cursor);
    expect(third.skipped).toBe(10);
    expect(third.newItems.map((i) => (i as { type: string }).type)).toEqual(['message', 'message']);
  });

  it('reads the top-level fields after the input array on the fast path', () => {
    const first = splitRequestBody(b1, undefined);
    const second = splitRequestBody(b2, first.cursor);
    expect(second.top).toEqual({ ...fixtureRequest('http-sse', '02').body, input: [] });
  });

  it('falls back to a full parse when the history was rewritten', () => {
    const first = splitRequestBody(b3, undefined);
    const rewritten = splitRequestBody(b1, first.cursor);
    expect(rewritten.fromCursor).toBe(false);
    expect(rewritten.newItems).toHaveLength(7);
  });

  it('handles an empty history followed by a first item', () => {
    const empty = splitRequestBody(Buffer.from('{"model":"m","input":[],"x":1}'), undefined);
    const next = splitRequestBody(Buffer.from('{"model":"m","input":[{"type":"message","role":"user","content":"hi"}],"x":2}'), empty.cursor);
    expect(next.newItems).toEqual([{ type: 'message', role: 'user', content: 'hi' }]);
    expect(next.top).toEqual({ model: 'm', input: [], x: 2 });
  });

  it('reports malformed JSON as a syntax error', () => {
    expect(() => splitRequestBody(Buffer.from('{"input":[{"a":'), undefined)).toThrow(SyntaxError);
  });

  it('agrees with a full parse for items containing brackets and escaped quotes in strings', () => {
    const items = [{ type: 'message', role: 'user', content: 'a ] } [ { "q" \\" ,' }, { type: 'x', n: [1, [2]] }];
    const first = splitRequestBody(Buffer.from(JSON.stringify({ input: items.slice(0, 1) })), undefined);
    const second = splitRequestBody(Buffer.from(JSON.stringify({ input: items })), first.cursor);
    expect(second.fromCursor).toBe(true);
    expect(second.newItems).toEqual(items.slice(1));
  });

  /** The body cut at the given offsets, as it arrives from a socket. */
  const cut = (b: Buffer, sizes: number[]): Buffer[] => {
    const out: Buffer[] = [];
    let at = 0;
    for (const n of sizes) {
      if (at >= b.length) break;
      out.push(b.subarray(at, at + n));
      at += n;
    }
    if (at < b.length) out.push(b.subarray(at));
    return out;
  };

  it('matches the remembered history across any chunk boundaries, and gives what a whole body gives', () => {
    const first = splitRequestBody(b1, undefined);
    const whole = splitRequestBody(b2, first.cursor);
    for (const sizes of [[1], [7, 13, 4096], [65536], [b1.length - 3, 5], [b1.length, 1]]) {
      const chunked = splitRequestChunks(cut(b2, sizes), first.cursor);
      expect(chunked.fromCursor).toBe(true);
      expect(chunked.newItems).toEqual(whole.newItems);
      expect(chunked.top).toEqual(whole.top);
      expect(chunked.cursor!.prefixLength).toBe(whole.cursor!.prefixLength);
    }
  });

  it('keeps a long session history as a bounded number of segments that still match byte for byte', () => {
    const history: unknown[] = [];
    let cursor = splitRequestBody(Buffer.from(JSON.stringify({ model: 'm', input: history, tools: [] })), undefined).cursor;
    for (let n = 0; n < 200; n++) {
      history.push({ type: 'message', role: 'user', content: `turn ${n} ] } " \\ [` });
      const body = Buffer.from(JSON.stringify({ model: 'm', input: history, tools: [n] }));
      const split = splitRequestChunks(cut(body, [n + 1, 17]), cursor);
      expect(split.fromCursor).toBe(true);
      expect(split.newItems).toEqual([history[n]]);
      expect(split.top).toEqual({ model: 'm', input: [], tools: [n] });
      cursor = split.cursor;
      expect(cursor!.prefix.length).toBeLessThanOrEqual(65);
      expect(Buffer.concat(cursor!.prefix).equals(body.subarray(0, cursor!.prefixLength))).toBe(true);
    }
  });
});
