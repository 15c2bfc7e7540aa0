// Which session a request belongs to, from the strongest signal it carries to the weakest.

import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, userMessage as user } from '../../harness/drivers/http-client.js';

const send = (h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'content-type': 'application/json', originator: 'test_agent', ...headers }, body: JSON.stringify({ model: 'gpt-5', stream: true, ...body }) });
const responseId = (events: Array<{ type?: string; data: string }>) =>
  (JSON.parse(events.find((e) => e.type === 'response.completed')!.data) as { response: { id: string } }).response.id;

describe('session identity', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('takes the session-id header over prompt_cache_key', async () => {
    h = await startHarness();
    await send(h, { input: [user('hi')], prompt_cache_key: 'pck-1' }, { 'session-id': 'hdr-1' });
    await h.kx.settle();
    expect(h.kx.reader.listSessions(10).map((s) => [s.id, s.identifiedBy])).toEqual([['hdr-1', 'header']]);
  });

  it('falls back to prompt_cache_key', async () => {
    h = await startHarness();
    await send(h, { input: [user('hi')], prompt_cache_key: 'pck-2' });
    await h.kx.settle();
    expect(h.kx.reader.listSessions(10).map((s) => [s.id, s.identifiedBy])).toEqual([['pck-2', 'prompt_cache_key']]);
  });

  it('follows the previous_response_id chain when a request carries nothing else', async () => {
    h = await startHarness();
    const first = await send(h, { input: [user('first question')] });
    await send(h, { previous_response_id: responseId(first.events), input: [user('second question')] });
    await h.kx.settle();
    const sessions = h.kx.reader.listSessions(10);
    expect(sessions).toHaveLength(1);
    const s = h.kx.reader.getSession(sessions[0]!.id)!;
    expect(s.turns.map((t) => t.items[0]!.text)).toEqual(['first question', 'second question']);
  });

  it('gives a resent conversation without ids the same stable fingerprint, and another conversation another', async () => {
    h = await startHarness();
    const first = await send(h, { input: [user('fingerprint me')] });
    const answer = JSON.parse(first.events.find((e) => e.type === 'response.completed')!.data).response.output as unknown[];
    await send(h, { input: [user('fingerprint me'), ...answer, user('and again')] });
    await send(h, { input: [user('something else entirely')] });
    await h.kx.settle();
    const sessions = h.kx.reader.listSessions(10);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.id.startsWith('fp-') && s.identifiedBy === 'fingerprint')).toBe(true);
    const resent = sessions.find((s) => s.turnCount === 2)!;
    expect(h.kx.reader.getSession(resent.id)!.turns.map((t) => t.items.map((i) => i.kind))).toEqual([
      ['human_message', 'assistant_message'],
      ['human_message', 'assistant_message'],
    ]);
  });
});
