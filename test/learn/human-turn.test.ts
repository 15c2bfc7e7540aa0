import { describe, expect, it } from 'vitest';
import { humanMessagesOf, newHumanMessage, type HumanMessageRef } from '../../src/learn/human-turn.js';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { bodyMeta, headerMeta, mergeMeta } from '../../src/protocol/request-meta.js';
import { fixtureBytes, fixtureFrames, fixtureRequest } from '../support/fixtures.js';
import type { Json } from '../../src/protocol/json-guards.js';

function httpFixture(dir: string, n: string): { json: Json; meta: ReturnType<typeof bodyMeta> } {
  const req = fixtureRequest(dir, n);
  return { json: req.body, meta: mergeMeta(headerMeta(req.headers), bodyMeta(req.body)) };
}

const found = (r: HumanMessageRef | string): HumanMessageRef => {
  if (typeof r === 'string') throw new Error(`expected a new human message, got ${r}`);
  return r;
};

describe('finding the human message to rewrite', () => {
  it('finds the new human message at the end of a first-turn HTTP body, past the injected context', () => {
    const { json, meta } = httpFixture('http-sse', '01');
    const { refs } = humanMessagesOf(json, 0);
    const m = found(newHumanMessage(json, meta, refs));
    expect(m).toMatchObject({ ordinal: 0, itemIndex: 6, text: 'list the files here', path: ['input', 6, 'content', 0, 'text'] });
  });

  it('finds it in a zstd body once decoded (ChatGPT login), by provenance metadata', () => {
    const raw = fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst');
    const json = JSON.parse(decodeBody(raw, 'zstd').toString('utf8')) as Json;
    const headers = fixtureRequest('chatgpt-auth-http-zstd', '18').headers;
    const m = found(newHumanMessage(json, mergeMeta(headerMeta(headers), bodyMeta(json)), humanMessagesOf(json, 0).refs));
    expect(m.text).toBe('list the files here');
    expect(m.itemIndex).toBe(6);
  });

  it('sees no new human message in a tool-output follow-up, plain or zstd', () => {
    const plain = httpFixture('http-sse', '02');
    expect(newHumanMessage(plain.json, plain.meta, humanMessagesOf(plain.json, 0).refs)).toBe('tool_output_follow_up');
    const json = JSON.parse(decodeBody(fixtureBytes('chatgpt-auth-http-zstd', '20-request.body.zst'), 'zstd').toString('utf8')) as Json;
    expect(newHumanMessage(json, bodyMeta(json), humanMessagesOf(json, 0).refs)).toBe('tool_output_follow_up');
  });

  it('numbers the second turn of a resent history as the second human message', () => {
    const { json, meta } = httpFixture('http-sse', '03');
    const { refs, count } = humanMessagesOf(json, 0);
    expect(count).toBe(2);
    expect(refs.map((r) => r.text)).toEqual(['list the files here', expect.any(String)]);
    expect(found(newHumanMessage(json, meta, refs)).ordinal).toBe(1);
  });

  it('never holds the request after a remote compaction, which ends with the compaction item', () => {
    const { json, meta } = httpFixture('remote-compaction-v2-http', '04');
    expect(newHumanMessage(json, meta, humanMessagesOf(json, 0).refs)).toBe('no_human_message');
  });

  it('never holds a request Codex marks as compaction', () => {
    const body = { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] };
    expect(newHumanMessage(body, { requestKind: 'compaction' }, humanMessagesOf(body, 0).refs)).toBe('compaction');
  });

  it('never holds a prewarm, a background call or a non-request frame', () => {
    const body = { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] };
    const refs = humanMessagesOf(body, 0).refs;
    expect(newHumanMessage({ ...body, generate: false }, {}, refs)).toBe('prewarm');
    expect(newHumanMessage(body, { subagent: 'memory_consolidation' }, refs)).toBe('background');
    expect(newHumanMessage({ ...body, type: 'response.cancel' }, {}, refs)).toBe('not_a_request');
    expect(found(newHumanMessage(body, {}, refs)).text).toBe('hi');
  });

  it('holds the instructions of `codex exec review` (x-openai-subagent: review): a sub-agent the human typed for', () => {
    const body = { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'review the diff for security issues' }] }] };
    const refs = humanMessagesOf(body, 0).refs;
    expect(found(newHumanMessage(body, { subagent: 'review' }, refs)).text).toBe('review the diff for security issues');
    expect(newHumanMessage(body, { subagent: 'compact' }, refs)).toBe('background');
    expect(newHumanMessage(body, {}, refs, true)).toBe('background');
  });

  it('finds the human message in the WebSocket turn frame, and none in the prewarm or the tool-output frame', () => {
    const frames = fixtureFrames('websocket', '01').filter((f) => f.dir === 'client->server' && f.kind === 'text').map((f) => f.data as Json);
    const [prewarm, turn, followUp] = frames;
    expect(newHumanMessage(prewarm!, bodyMeta(prewarm!), humanMessagesOf(prewarm!, 0).refs)).toBe('prewarm');
    expect(found(newHumanMessage(turn!, bodyMeta(turn!), humanMessagesOf(turn!, 0).refs)).text).toBe('list the files here');
    expect(newHumanMessage(followUp!, bodyMeta(followUp!), humanMessagesOf(followUp!, 1).refs)).toBe('tool_output_follow_up');
  });

  it('numbers a delta frame from the human messages the conversation already had', () => {
    const frame = { type: 'response.create', previous_response_id: 'resp_1', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next' }] }] };
    expect(found(newHumanMessage(frame, {}, humanMessagesOf(frame, 3).refs)).ordinal).toBe(3);
  });

  it('takes a plain string input as the human message', () => {
    const body = { model: 'gpt-5', input: 'explain this' };
    expect(found(newHumanMessage(body, {}, humanMessagesOf(body, 0).refs))).toMatchObject({ path: ['input'], text: 'explain this' });
  });
});
