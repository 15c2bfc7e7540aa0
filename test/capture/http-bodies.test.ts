// Capture parses only what is new in a resent history (http-bodies.ts), and the remembered prefix
// names the conversation only when what follows it resends an answer that conversation received.

import { afterEach, describe, expect, it } from 'vitest';
import { info, openRecording, playHttp, type Recording } from '../support/recording.js';

const headers = { 'user-agent': 'OpenAI/JS 5.23.2', 'content-type': 'application/json' };
const sys = { role: 'system', content: 'You are a helpful coding agent.' };
const hi = { role: 'user', content: 'hi' };
const answer = (text: string) => Buffer.from(JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text } }] }));
const body = (messages: unknown[]) => Buffer.from(JSON.stringify({ model: 'gpt-5', messages }));

describe('the remembered prefix of an HTTP conversation', () => {
  let r: Recording;
  afterEach(() => r?.close());

  it('skips parsing the prefix of a follow-up that resends the answer, and names its conversation', async () => {
    r = openRecording();
    playHttp(r.recorder, '/v1/chat/completions', headers, body([sys, hi]), { status: 200, contentType: 'application/json', body: answer('hello!') });
    await r.settle();
    const next = r.recorder.parseHttpBody('chat', info('/v1/chat/completions', headers), body([sys, hi, { role: 'assistant', content: 'hello!' }, { role: 'user', content: 'fix it' }]), undefined);
    expect(next.skipped).toBe(2);
    expect(next.memory.session).toBe(r.reader.listSessions(1)[0]!.id);
  });

  it('parses a second opening that repeats the first in full, naming no conversation', async () => {
    r = openRecording();
    playHttp(r.recorder, '/v1/chat/completions', headers, body([sys, hi]), { status: 200, contentType: 'application/json', body: answer('hello!') });
    await r.settle();
    const again = r.recorder.parseHttpBody('chat', info('/v1/chat/completions', headers), body([sys, hi]), undefined);
    expect(again.skipped).toBe(0);
    expect(again.input.parsed.input.map((i) => i.kind)).toEqual(['instructions', 'human_message']);
    expect(again.memory.session).toBeUndefined();
  });
});
