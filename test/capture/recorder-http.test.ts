import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureRequest, wireBody } from '../support/fixtures.js';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

const SESSION = '01a20e12-d5d8-7e50-b51e-36f21fde77a3';

function playHttpSseFixture(r: Recording, n: string): void {
  const req = fixtureRequest('http-sse', n);
  playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), {
    status: 200,
    contentType: 'text/event-stream',
    body: fixtureBytes('http-sse', `${n}-response.sse`),
  });
}

describe('Recorder over HTTP+SSE', () => {
  let r: Recording;
  afterEach(() => r?.close());

  it('stores a two-turn Codex session with a tool call, each item once and in order', async () => {
    r = openRecording();
    for (const n of ['01', '02', '03']) playHttpSseFixture(r, n);
    await r.settle();
    const s = r.reader.getSession(SESSION)!;
    expect(s.identifiedBy).toBe('header');
    expect(s.turns).toHaveLength(2);
    expect(s.requestCount).toBe(3);
    const kinds = s.turns.map((t) => t.items.map((i) => `${i.direction}:${i.kind}`));
    expect(kinds[0]).toEqual([
      'input:human_message',
      'output:reasoning',
      'output:tool_call',
      'input:tool_output',
      'output:assistant_message',
    ]);
    expect(kinds[1]).toEqual(['input:human_message', 'output:assistant_message']);
    expect(s.turns.map((t) => t.items[0]!.text)).toEqual(['list the files here', 'which of those is the Python file?']);
    expect(s.preamble.map((i) => i.kind)).toEqual(['instructions', 'instructions', 'instructions', 'instructions', 'instructions', 'injected_context']);
    const seqs = [...s.preamble, ...s.turns.flatMap((t) => t.items)].map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('stores only the new items of each resent history and counts the rest as skipped', async () => {
    r = openRecording();
    for (const n of ['01', '02', '03']) playHttpSseFixture(r, n);
    await r.settle();
    const reqs = r.reader.getSession(SESSION)!.requests;
    expect(reqs.map((q) => q.skippedItems)).toEqual([0, 9, 11]);
    expect(reqs.map((q) => q.newItems)).toEqual([7, 1, 1]);
  });

  it('records usage, status, latency and the response id of each request', async () => {
    r = openRecording();
    playHttpSseFixture(r, '01');
    await r.settle();
    const [q] = r.reader.getSession(SESSION)!.requests;
    expect(q).toMatchObject({ outcome: 'completed', statusCode: 200, responseId: 'resp_fake_01', transport: 'http', api: 'responses', model: 'gpt-6.1-sol' });
    expect(q!.usage.inputTokens).toBeGreaterThan(0);
    expect(q!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('writes human messages and agent actions to the session jsonl files', async () => {
    r = openRecording();
    for (const n of ['01', '02']) playHttpSseFixture(r, n);
    await r.settle();
    const dir = r.store.sessionDir(SESSION);
    const user = fs.readFileSync(path.join(dir, 'user_actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const agent = fs.readFileSync(path.join(dir, 'agent_actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(user).toHaveLength(1);
    expect(user[0]).toMatchObject({ kind: 'human_message', text: 'list the files here', session_id: SESSION });
    for (const line of [...user, ...agent]) expect(Object.keys(line)).toEqual(expect.arrayContaining(['ts', 'session_id', 'turn_id', 'request_id', 'kind']));
    expect(agent.map((l) => l.kind)).toEqual(['reasoning', 'tool_call', 'usage', 'tool_output', 'assistant_message', 'usage']);
  });

  it('does not store history again when kx restarts mid-session', async () => {
    r = openRecording();
    playHttpSseFixture(r, '01');
    playHttpSseFixture(r, '02');
    await r.settle();
    r.close();
    r = openRecording(r.dir);
    playHttpSseFixture(r, '03');
    await r.settle();
    const s = r.reader.getSession(SESSION)!;
    expect(s.turns).toHaveLength(2);
    expect(s.turns[1]!.items.map((i) => i.kind)).toEqual(['human_message', 'assistant_message']);
    expect(r.reader.getSession(SESSION)!.requests.at(-1)!.newItems).toBe(1);
  });

  it('treats remote compaction as part of the same turn, not a new human message', async () => {
    r = openRecording();
    for (const n of ['02', '03', '04']) {
      const req = fixtureRequest('remote-compaction-v2-http', n);
      playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), {
        status: 200,
        contentType: 'text/event-stream',
        body: fixtureBytes('remote-compaction-v2-http', `${n}-response.sse`),
      });
    }
    await r.settle();
    const [s] = r.reader.listSessions();
    const detail = r.reader.getSession(s!.id)!;
    expect(detail.turns).toHaveLength(1);
    expect(detail.turns[0]!.items.filter((i) => i.kind === 'human_message')).toHaveLength(1);
    expect(detail.turns[0]!.items.some((i) => i.kind === 'compaction')).toBe(true);
    // the rebuilt preamble has fresh ids but the same text: not stored again
    expect(detail.preamble.filter((i) => i.kind === 'instructions')).toHaveLength(5);
  });

  it('decodes zstd request bodies for capture', async () => {
    r = openRecording();
    const req = fixtureRequest('chatgpt-auth-http-zstd', '18');
    playHttp(r.recorder, '/v1/responses', req.headers, fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst'), {
      status: 200,
      contentType: 'text/event-stream',
      body: fixtureBytes('chatgpt-auth-http-zstd', '18-response.sse'),
    });
    await r.settle();
    const [s] = r.reader.listSessions();
    expect(r.reader.getSession(s!.id)!.turns[0]!.items[0]).toMatchObject({ kind: 'human_message' });
  });

  it('records an upstream error body and a capture parse failure without losing the session', async () => {
    r = openRecording();
    const req = fixtureRequest('http-sse', '01');
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), {
      status: 429,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } })),
    });
    playHttp(r.recorder, '/v1/responses', req.headers, Buffer.from('{"input": [ not json'), { status: 400, contentType: 'application/json', body: Buffer.from('{}') });
    await r.settle();
    const [q] = r.reader.getSession(SESSION)!.requests;
    expect(q).toMatchObject({ outcome: 'error', statusCode: 429, error: { status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached' } });
    const errors = r.store.db.prepare('SELECT stage, message FROM capture_errors').all() as Array<{ stage: string; message: string }>;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.stage).toBe('request');
  });
});

describe('Recorder and secrets', () => {
  it('stores a tool output that printed .env with its secrets redacted, in the database and the jsonl', async () => {
    const r = openRecording();
    try {
      const secret = ['sk-proj-', 'Zz9yXx8wWv7uUt6sSr5qQp4oOn3mMl2kKj1'].join('');
      const body = {
        model: 'gpt-5',
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'show me .env' }] },
          { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{"cmd":"cat .env"}' },
          { type: 'function_call_output', call_id: 'c1', output: `OPENAI_API_KEY=${secret}\nPORT=3000` },
        ],
      };
      playHttp(r.recorder, '/v1/responses', { 'session-id': 'sess-secret' }, Buffer.from(JSON.stringify(body)), {
        status: 200,
        contentType: 'text/event-stream',
        body: Buffer.from('data: {"type":"response.completed","response":{"id":"r1","output":[]}}\n\n'),
      });
      await r.settle();
      const out = r.reader.getSession('sess-secret')!.turns[0]!.items.find((i) => i.kind === 'tool_output')!;
      expect(out.output).toBe('OPENAI_API_KEY=[REDACTED:api-key]\nPORT=3000');
      const files = [path.join(r.dir, 'sessions.db'), path.join(r.dir, 'sessions.db-wal'), path.join(r.store.sessionDir('sess-secret'), 'agent_actions.jsonl')].filter((f) => fs.existsSync(f));
      for (const f of files) expect(fs.readFileSync(f).includes(secret)).toBe(false);
    } finally {
      r.close();
    }
  });
});
