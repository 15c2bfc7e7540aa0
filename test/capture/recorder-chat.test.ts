import { afterEach, describe, expect, it } from 'vitest';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

const headers = { 'user-agent': 'OpenAI/JS 5.0.0', 'content-type': 'application/json' };
const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

function sse(chunks: unknown[]): Buffer {
  return Buffer.from(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n');
}

const toolCallStream = sse([
  { id: 'chatcmpl-1', model: 'gpt-5', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '' } }] } }] },
  { id: 'chatcmpl-1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } }] },
  { id: 'chatcmpl-1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish_reason: 'tool_calls' }] },
  { id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } },
]);

const answerStream = sse([
  { id: 'chatcmpl-2', model: 'gpt-5', choices: [{ index: 0, delta: { role: 'assistant', content: 'It is ' } }] },
  { id: 'chatcmpl-2', choices: [{ index: 0, delta: { content: 'sunny.' }, finish_reason: 'stop' }] },
]);

describe('Recorder over Chat Completions', () => {
  let r: Recording;
  afterEach(() => r?.close());

  it('stores a streamed tool call, its output and the answer once, in one turn', async () => {
    r = openRecording();
    const first = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ];
    playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'gpt-5', stream: true, tools, messages: first })), {
      status: 200,
      contentType: 'text/event-stream',
      body: toolCallStream,
      chunkSize: 17,
    });
    const second = [
      ...first,
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_w', content: '18C and sunny' },
    ];
    playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'gpt-5', stream: true, tools, messages: second })), {
      status: 200,
      contentType: 'text/event-stream',
      body: answerStream,
    });
    await r.settle();
    expect(r.reader.listSessions()).toHaveLength(1);
    const [summary] = r.reader.listSessions();
    expect(summary!.identifiedBy).toBe('fingerprint');
    const s = r.reader.getSession(summary!.id)!;
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]!.items.map((i) => `${i.direction}:${i.kind}`)).toEqual([
      'input:human_message',
      'output:tool_call',
      'input:tool_output',
      'output:assistant_message',
    ]);
    expect(s.turns[0]!.items[1]).toMatchObject({ toolName: 'get_weather', arguments: '{"city":"Paris"}', callId: 'call_w' });
    expect(s.turns[0]!.items[3]!.text).toBe('It is sunny.');
    expect(s.requests[0]!.usage).toMatchObject({ inputTokens: 50, outputTokens: 10, totalTokens: 60 });
  });

  it('stores a repeated human message as a new turn', async () => {
    r = openRecording();
    const base = [{ role: 'user', content: 'continue' }];
    const answer = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }] };
    playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'm', messages: base })), {
      status: 200,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(answer)),
    });
    const again = [...base, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'continue' }];
    playHttp(r.recorder, '/v1/chat/completions', headers, Buffer.from(JSON.stringify({ model: 'm', messages: again })), {
      status: 200,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(answer)),
    });
    await r.settle();
    const s = r.reader.getSession(r.reader.listSessions()[0]!.id)!;
    expect(s.turns.map((t) => t.items.map((i) => i.kind))).toEqual([
      ['human_message', 'assistant_message'],
      ['human_message', 'assistant_message'],
    ]);
  });
});
