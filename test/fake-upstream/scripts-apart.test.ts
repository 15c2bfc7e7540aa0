// The fake upstream keeps the agent's script and the insight engine's apart: tests enqueue for one while the
// other's calls arrive in any order (the insight worker calls whenever a turn ends).

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';

const post = (fake: FakeUpstream, body: unknown) =>
  fetch(`${fake.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the fake upstream’s two scripts', () => {
  let fake: FakeUpstream;
  afterEach(async () => fake?.close());

  it('leaves an error scripted for the agent to the agent when an insight call comes first', async () => {
    fake = await startFakeUpstream();
    fake.enqueue({ kind: 'http-error', status: 503, body: { error: { message: 'overloaded' } } });
    const insight = await post(fake, { model: 'gpt-5', input: 'a turn', text: { format: { type: 'json_schema', name: 'turn_insight', schema: {} } } });
    expect(insight.status).toBe(200);
    const agent = await post(fake, { model: 'gpt-5', input: 'hello' });
    expect(agent.status).toBe(503);
  });
});
