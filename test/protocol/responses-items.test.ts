import { describe, expect, it } from 'vitest';
import { parseResponsesItem } from '../../src/protocol/responses-items.js';

describe('Responses items', () => {
  it('reads a function call with its name, call id and arguments', () => {
    expect(parseResponsesItem({ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' })).toMatchObject({
      kind: 'tool_call',
      itemType: 'function_call',
      toolName: 'exec_command',
      callId: 'call_1',
      arguments: '{"cmd":"ls"}',
    });
  });

  it('reads a custom tool call, whose arguments are free-form input', () => {
    expect(parseResponsesItem({ type: 'custom_tool_call', call_id: 'c', name: 'exec', input: 'text("hi")' })).toMatchObject({ kind: 'tool_call', toolName: 'exec', arguments: 'text("hi")' });
  });

  it('reads a local shell call from its action', () => {
    const item = parseResponsesItem({ type: 'local_shell_call', call_id: 'ls_1', action: { type: 'exec', command: ['ls', '-la'] }, status: 'completed' });
    expect(item).toMatchObject({ kind: 'tool_call', toolName: 'local_shell', callId: 'ls_1', detail: { action: { command: ['ls', '-la'] } } });
    expect(JSON.parse(item.arguments!)).toEqual({ type: 'exec', command: ['ls', '-la'] });
  });

  it('reads a web search call from its action', () => {
    expect(parseResponsesItem({ type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'vitest timeouts' } })).toMatchObject({
      kind: 'tool_call',
      toolName: 'web_search',
      arguments: '{"type":"search","query":"vitest timeouts"}',
    });
  });

  it('reads an MCP call with its server, tool, arguments and output', () => {
    expect(parseResponsesItem({ type: 'mcp_call', id: 'mcp_1', server_label: 'github', name: 'list_issues', arguments: '{"repo":"kx"}', output: '3 issues' })).toMatchObject({
      kind: 'tool_call',
      toolName: 'github.list_issues',
      arguments: '{"repo":"kx"}',
      output: '3 issues',
      detail: { server: 'github' },
    });
  });

  it('reads tool outputs given as a string or as text parts', () => {
    expect(parseResponsesItem({ type: 'function_call_output', call_id: 'call_1', output: 'README.md' })).toMatchObject({ kind: 'tool_output', callId: 'call_1', output: 'README.md' });
    expect(parseResponsesItem({ type: 'custom_tool_call_output', call_id: 'c', output: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] })).toMatchObject({
      kind: 'tool_output',
      output: 'ab',
    });
    expect(parseResponsesItem({ type: 'local_shell_call_output', call_id: 'ls_1', output: '{"output":"x"}' })).toMatchObject({ kind: 'tool_output', callId: 'ls_1' });
  });

  it('keeps the reasoning summary and never the encrypted content', () => {
    const item = parseResponsesItem({ type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'Thinking about files.' }], encrypted_content: 'gAAAA-secret' });
    expect(item).toMatchObject({ kind: 'reasoning', text: 'Thinking about files.' });
    expect(JSON.stringify(item)).not.toContain('gAAAA');
  });

  it('keeps an unknown item type as other instead of failing', () => {
    expect(parseResponsesItem({ type: 'brand_new_thing', id: 'x' })).toEqual({ kind: 'other', itemType: 'brand_new_thing', itemId: 'x' });
    expect(parseResponsesItem(42)).toEqual({ kind: 'other', itemType: 'number' });
  });
});
