import { describe, expect, it } from 'vitest';
import { ResponsesEventFolder } from '../../src/protocol/responses-events.js';
import { createSseDecoder } from '../../src/protocol/sse-decoder.js';
import { fixtureBytes, fixtureFrames } from '../support/fixtures.js';

function foldSse(chunks: Buffer[]) {
  const folder = new ResponsesEventFolder();
  const sse = createSseDecoder((data, event) => folder.feedData(data, event));
  for (const c of chunks) sse.feed(c);
  sse.end();
  return folder.result();
}

describe('Responses stream folder', () => {
  const toolCallStream = fixtureBytes('http-sse', '01-response.sse');

  it('turns the tool-call stream into reasoning, a tool call, usage and the response id', () => {
    const s = foldSse([toolCallStream]);
    expect(s.status).toBe('completed');
    expect(s.responseId).toBe('resp_fake_01');
    expect(s.output.map((i) => i.kind)).toEqual(['reasoning', 'tool_call']);
    expect(s.output[1]).toMatchObject({ toolName: 'exec', callId: 'call_fake_01' });
    expect(s.usage?.inputTokens).toBeGreaterThan(0);
    expect(s.parseErrors).toBe(0);
  });

  it('counts the events it does not read — deltas and the .done events that repeat an item’s text — without parsing them', () => {
    // Broken JSON under those names would count as parse errors if they were parsed.
    const unread = ['response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.reasoning_summary_text.done'];
    const sse = unread.map((name) => `event: ${name}\ndata: {"type":"${name}","text":"broken\n\n`).join('');
    const ws = new ResponsesEventFolder();
    for (const name of unread) ws.feedData(`{"type":"${name}","text":"broken`);
    for (const s of [foldSse([Buffer.from(sse)]), ws.result()]) {
      expect(s.events).toBe(unread.length);
      expect(s.parseErrors).toBe(0);
    }
  });

  it('reads a WebSocket frame from its bytes as from its text, and counts an unread frame without decoding it', () => {
    const done = '{"type":"response.output_item.done","output_index":0,"item":{"type":"message","role":"assistant","id":"m1","content":[{"type":"output_text","text":"héllo ✓ — 日本"}]}}';
    const frames = ['{"type":"response.output_text.delta","delta":"broken', done, '{"type":"response.completed","response":{"id":"r1"}}'];
    const fromText = new ResponsesEventFolder();
    const fromBytes = new ResponsesEventFolder();
    for (const f of frames) {
      fromText.feedData(f);
      fromBytes.feedFrame(Buffer.from(f));
    }
    expect(fromBytes.result()).toEqual(fromText.result());
    expect(fromBytes.result()).toMatchObject({ events: 3, parseErrors: 0, responseId: 'r1' });
    expect(fromBytes.result().output[0]).toMatchObject({ kind: 'assistant_message', text: 'héllo ✓ — 日本' });
  });

  it('still reads every event that changes what is recorded, with or without an SSE event name', () => {
    const folder = new ResponsesEventFolder();
    folder.feedData('{"type":"response.completed","response":{"id":"r9","usage":{"input_tokens":3,"output_tokens":4}}}');
    folder.feedData('{"type":"error","message":"boom"}');
    const s = folder.result();
    expect(s.responseId).toBe('r9');
    expect(s.usage?.outputTokens).toBe(4);
    expect(s.status).toBe('error');
  });

  it('gives the same result however the bytes are split', () => {
    const whole = foldSse([toolCallStream]);
    for (let cut = 1; cut < toolCallStream.length; cut += 7) {
      expect(foldSse([toolCallStream.subarray(0, cut), toolCallStream.subarray(cut)])).toEqual(whole);
    }
  });

  it('keeps multi-byte characters intact when a chunk splits them', () => {
    const text = 'réponse — ✓';
    const event = `data: ${JSON.stringify({ type: 'response.output_item.done', output_index: 0, item: { type: 'message', role: 'assistant', id: 'm', content: [{ type: 'output_text', text }] } })}\n\n`;
    const bytes = Buffer.from(event);
    const at = bytes.indexOf(Buffer.from('é')) + 1; // inside the two-byte é
    const s = foldSse([bytes.subarray(0, at), bytes.subarray(at)]);
    expect(s.output[0]?.text).toBe(text);
  });

  it('folds WebSocket frames the same way as SSE events', () => {
    const folder = new ResponsesEventFolder();
    const frames = fixtureFrames('websocket', '01').filter((f) => f.dir === 'server->client' && f.kind === 'text');
    // frames 1-2 answer the prewarm; a new folder per response, as the recorder does
    for (const f of frames.slice(2, 17)) folder.feedEvent(f.data);
    const s = folder.result();
    expect(s.status).toBe('completed');
    expect(s.output.map((i) => i.kind)).toEqual(['reasoning', 'tool_call']);
  });

  it('counts malformed events and keeps going', () => {
    const s = foldSse([Buffer.from('data: {not json\n\ndata: {"type":"response.completed","response":{"id":"r1","output":[]}}\n\n')]);
    expect(s.parseErrors).toBe(1);
    expect(s.status).toBe('completed');
  });

  it('records a failed response with its error code', () => {
    const folder = new ResponsesEventFolder();
    folder.feedEvent({ type: 'response.failed', response: { id: 'r', error: { code: 'server_error', message: 'boom' } } });
    expect(folder.result()).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'boom' } });
  });

  it('reads a WebSocket error frame with its status', () => {
    const folder = new ResponsesEventFolder();
    folder.feedEvent({ type: 'error', status: 429, error: { type: 'usage_limit_reached', code: 'rate', message: 'slow down' } });
    expect(folder.result().error).toEqual({ status: 429, code: 'rate', type: 'usage_limit_reached', message: 'slow down' });
  });

  it('marks a stream that ends without a terminal event as cut', () => {
    const half = toolCallStream.subarray(0, Math.floor(toolCallStream.length / 2));
    const folder = new ResponsesEventFolder();
    const sse = createSseDecoder((d, e) => folder.feedData(d, e));
    sse.feed(half);
    folder.markCut('socket closed');
    expect(folder.result()).toMatchObject({ status: 'cut', error: { message: 'socket closed' } });
  });
});
