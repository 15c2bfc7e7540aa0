import { describe, expect, it } from 'vitest';
import { parseResponsesRequest } from '../../src/protocol/responses-request.js';
import { fixtureRequest } from '../support/fixtures.js';

describe('Responses request parser', () => {
  it('finds the one human message among Codex-injected user messages', () => {
    const req = parseResponsesRequest(fixtureRequest('http-sse', '01').body);
    const humans = req.input.filter((i) => i.kind === 'human_message');
    expect(humans.map((h) => h.text)).toEqual(['list the files here']);
    expect(req.input.filter((i) => i.kind === 'injected_context')).toHaveLength(1);
    expect(req.input.filter((i) => i.kind === 'instructions')).toHaveLength(5);
  });

  it('reads session, turn and request kind from client_metadata', () => {
    const req = parseResponsesRequest(fixtureRequest('http-sse', '01').body);
    expect(req.meta.sessionId).toBe('01a20e12-d5d8-7e50-b51e-36f21fde77a3');
    expect(req.meta.turnId).toMatch(/^01a20e12-/);
    expect(req.meta.requestKind).toBe('turn');
    expect(req.meta.promptCacheKey).toBe('01a20e12-d5d8-7e50-b51e-36f21fde77a3');
  });

  it('treats an AGENTS.md block and environment context as injected, and keeps the image turn human', () => {
    const req = parseResponsesRequest(fixtureRequest('agents-md-and-image-http', '02').body);
    const users = req.input.filter((i) => i.role === 'user');
    expect(users.map((u) => u.kind)).toEqual(['injected_context', 'human_message']);
    expect(users[1]).toMatchObject({ text: 'what color is this image', detail: { images: 1 } });
  });

  it('keeps tool calls and their outputs with call ids', () => {
    const req = parseResponsesRequest(fixtureRequest('http-sse', '02').body);
    const call = req.input.find((i) => i.kind === 'tool_call');
    const out = req.input.find((i) => i.kind === 'tool_output');
    expect(call).toMatchObject({ itemType: 'custom_tool_call', toolName: 'exec', callId: 'call_fake_01' });
    expect(call?.arguments).toContain('tools.exec_command');
    expect(out).toMatchObject({ callId: 'call_fake_01', itemType: 'custom_tool_call_output' });
    expect(out?.output).toContain('Script completed');
  });

  it('keeps reasoning summaries and never the encrypted content', () => {
    const req = parseResponsesRequest(fixtureRequest('http-sse', '02').body);
    const reasoning = req.input.find((i) => i.kind === 'reasoning');
    expect(reasoning?.text).toBe('Listing the directory to answer the user.');
    expect(JSON.stringify(reasoning)).not.toContain('gAAAA');
  });

  it('reads function_call arguments of classic models', () => {
    const req = parseResponsesRequest(fixtureRequest('http-sse-function-call-gpt-5.4', '02').body);
    const call = req.input.find((i) => i.kind === 'tool_call');
    expect(call).toMatchObject({ itemType: 'function_call', toolName: 'exec_command', callId: 'call_fake_01' });
    expect(JSON.parse(call!.arguments!)).toMatchObject({ cmd: 'ls -la' });
  });

  it('marks compaction items and the compaction request kind', () => {
    const trigger = parseResponsesRequest(fixtureRequest('remote-compaction-v2-http', '03').body);
    expect(trigger.meta.requestKind).toBe('compaction');
    expect(trigger.input.at(-1)).toMatchObject({ kind: 'compaction', itemType: 'compaction_trigger' });
  });

  it('rejects a body that is not a Responses request with a clear error', () => {
    expect(() => parseResponsesRequest([1, 2])).toThrow(/not a Responses request body/);
  });

  it('records unknown item types as other instead of failing', () => {
    const req = parseResponsesRequest({ input: [{ type: 'hologram_call', id: 'h1' }] });
    expect(req.input).toEqual([{ kind: 'other', itemType: 'hologram_call', itemId: 'h1' }]);
  });
});
