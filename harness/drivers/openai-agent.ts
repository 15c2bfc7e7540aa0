// An agent loop as OpenAI SDK users write it: stream, collect the tool calls, answer them, stream
// again. Used by the SDK end-to-end test and the demo.

import OpenAI from 'openai';

export interface ToolCall {
  id: string;
  name: string;
  args: string;
}

const tools: OpenAI.Chat.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
];

export async function weatherAgent(baseURL: string, opts: { apiKey: string; city: string; weather: string }): Promise<{ calls: ToolCall[]; answer: string }> {
  const client = new OpenAI({ baseURL, apiKey: opts.apiKey, maxRetries: 0 });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: `What is the weather in ${opts.city}?` }];
  const ask = () => client.chat.completions.create({ model: 'gpt-5', stream: true, stream_options: { include_usage: true }, messages, tools });
  const calls: ToolCall[] = [];
  for await (const chunk of await ask()) {
    for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
      const c = (calls[tc.index] ??= { id: '', name: '', args: '' });
      c.id += tc.id ?? '';
      c.name += tc.function?.name ?? '';
      c.args += tc.function?.arguments ?? '';
    }
  }
  messages.push({ role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) });
  for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: opts.weather });
  let answer = '';
  for await (const chunk of await ask()) answer += chunk.choices[0]?.delta.content ?? '';
  return { calls, answer };
}
