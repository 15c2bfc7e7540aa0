// Any OpenAI SDK agent: Chat Completions through kx, streaming with a tool call, and not streaming.

import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { weatherAgent } from '../../harness/drivers/openai-agent.js';

const KEY = ['sk-', 'sdkTestKey0123456789abcdefghijklmn'].join('');
const weather = (baseURL: string) => weatherAgent(baseURL, { apiKey: KEY, city: 'Lisbon', weather: '21°C, clear sky' });

describe('OpenAI SDK Chat Completions through kx', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('streams a tool call and the final answer exactly as a direct connection does', async () => {
    h = await startHarness();
    const viaKx = await weather(h.proxyBase);
    const direct = await weather(h.fake.baseUrl);
    expect(viaKx.calls).toEqual([{ id: expect.any(String), name: 'get_weather', args: '{"city":"Lisbon"}' }]);
    expect(viaKx.answer).toBe('Based on the tool: 21°C, clear sky');
    expect({ ...viaKx, calls: viaKx.calls.map((c) => ({ ...c, id: '' })) }).toEqual({ ...direct, calls: direct.calls.map((c) => ({ ...c, id: '' })) });
  });

  it('records the question, the tool call, its output and the answer as one turn, with usage', async () => {
    h = await startHarness();
    await weather(h.proxyBase);
    await h.kx.settle();
    const [summary] = h.kx.reader.listSessions(10);
    expect(summary).toBeDefined();
    const session = h.kx.reader.getSession(summary!.id)!;
    expect(session.turns).toHaveLength(1);
    const items = session.turns[0]!.items;
    expect(items.map((i) => i.kind)).toEqual(['human_message', 'tool_call', 'tool_output', 'assistant_message']);
    expect(items[1]).toMatchObject({ toolName: 'get_weather', arguments: '{"city":"Lisbon"}', callId: items[2]!.callId });
    expect(items[2]!.output).toBe('21°C, clear sky');
    expect(items[3]!.text).toBe('Based on the tool: 21°C, clear sky');
    expect(session.requests.map((r) => [r.api, r.outcome])).toEqual([
      ['chat', 'completed'],
      ['chat', 'completed'],
    ]);
    expect(summary!.usage.totalTokens).toBeGreaterThan(0);
  });

  it('records a non-streaming completion too', async () => {
    h = await startHarness();
    const client = new OpenAI({ baseURL: h.proxyBase, apiKey: KEY, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'say hi' }] });
    expect(res.choices[0]!.message.content).toBe('You said: say hi');
    await h.kx.settle();
    const session = h.kx.reader.getSession(h.kx.reader.listSessions(1)[0]!.id)!;
    expect(session.turns[0]!.items.map((i) => [i.kind, i.text])).toEqual([
      ['human_message', 'say hi'],
      ['assistant_message', 'You said: say hi'],
    ]);
  });
});
