// The Responses API takes `input` as a list of items or as one plain string (a single user message).
// The fake upstream answers both the same way.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';

const post = (fake: FakeUpstream, body: unknown) =>
  fetch(`${fake.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface OutputItem {
  type: string;
  content?: Array<{ text?: string }>;
}

describe('the fake upstream reading a plain string input', () => {
  let fake: FakeUpstream;
  afterEach(async () => fake?.close());

  it('echoes a string input in a JSON answer, as it echoes a message item', async () => {
    fake = await startFakeUpstream();
    const res = await post(fake, { model: 'gpt-5', input: 'hello from a string' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { output: OutputItem[] };
    expect(body.output.map((o) => o.content?.[0]?.text)).toEqual(['You said: hello from a string']);
  });

  it('echoes a string input in a streamed answer', async () => {
    fake = await startFakeUpstream();
    const res = await post(fake, { model: 'gpt-5', stream: true, input: 'hello as a stream' });
    const sse = await res.text();
    expect(sse).toContain('"text":"You said: hello as a stream"');
  });

  it('takes the same script branch for a string as for a message: "list the files" asks for a tool call', async () => {
    fake = await startFakeUpstream();
    const res = await post(fake, { model: 'gpt-5', input: 'list the files here' });
    const body = (await res.json()) as { output: OutputItem[] };
    expect(body.output.map((o) => o.type)).toEqual(['reasoning', 'function_call']);
  });
});
