// Every message the human sends becomes a turn, in whatever shape the client sends it.

import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, userMessage as user } from '../../harness/drivers/http-client.js';

const send = (h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'gpt-5', stream: true, ...body }) });
const responseId = (events: Array<{ type?: string; data: string }>) =>
  (JSON.parse(events.find((e) => e.type === 'response.completed')!.data) as { response: { id: string } }).response.id;
const humanTexts = (h: Harness, session: string) =>
  h.kx.reader.getSession(session)!.turns.map((t) => t.items.filter((i) => i.kind === 'human_message').map((i) => i.text));

describe('human messages', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('records a plain-string input as a human message that starts a turn', async () => {
    h = await startHarness();
    await send(h, { input: 'hello' }, { 'session-id': 's' });
    await h.kx.settle();
    expect(humanTexts(h, 's')).toEqual([['hello']]);
  });

  it('records each repeat of an id-less message sent after previous_response_id as its own turn', async () => {
    h = await startHarness();
    let prev = responseId((await send(h, { input: [user('start')] }, { 'session-id': 'chain' })).events);
    for (let i = 0; i < 3; i++) prev = responseId((await send(h, { previous_response_id: prev, input: [user('continue')] }, { 'session-id': 'chain' })).events);
    await h.kx.settle();
    expect(humanTexts(h, 'chain')).toEqual([['start'], ['continue'], ['continue'], ['continue']]);
  });

  it('records repeats after previous_response_id as new turns when the first one went without it', async () => {
    h = await startHarness();
    // No session header: the chain of response ids is what ties the requests together.
    let prev = responseId((await send(h, { input: [user('continue')] })).events);
    for (let i = 0; i < 2; i++) prev = responseId((await send(h, { previous_response_id: prev, input: [user('continue')] })).events);
    await h.kx.settle();
    const [session] = h.kx.reader.listSessions(10);
    expect(humanTexts(h, session!.id)).toEqual([['continue'], ['continue'], ['continue']]);
  });

  it('stores a retry of the same request after previous_response_id once', async () => {
    h = await startHarness();
    const prev = responseId((await send(h, { input: [user('start')] }, { 'session-id': 'retry' })).events);
    await send(h, { previous_response_id: prev, input: [user('continue')] }, { 'session-id': 'retry' });
    await send(h, { previous_response_id: prev, input: [user('continue')] }, { 'session-id': 'retry' });
    await h.kx.settle();
    expect(humanTexts(h, 'retry')).toEqual([['start'], ['continue']]);
  });

  it('still stores a history resent in full (no previous_response_id) once', async () => {
    h = await startHarness();
    const first = await send(h, { input: [user('continue')] }, { 'session-id': 'full' });
    const answer = JSON.parse(first.events.find((e) => e.type === 'response.completed')!.data).response.output as unknown[];
    await send(h, { input: [user('continue'), ...answer, user('continue')] }, { 'session-id': 'full' });
    await send(h, { input: [user('continue'), ...answer, user('continue')] }, { 'session-id': 'full' });
    await h.kx.settle();
    expect(humanTexts(h, 'full')).toEqual([['continue'], ['continue']]);
  });

  it('reads a session id sent as UTF-8 in a header as UTF-8', async () => {
    h = await startHarness();
    // Node's HTTP client writes the header as UTF-8 bytes, as Codex does.
    await send(h, { input: [user('hi')] }, { 'session-id': 'ééé' });
    await h.kx.settle();
    expect(h.kx.reader.listSessions(10).map((s) => s.id)).toEqual(['ééé']);
  });
});
