import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { chatChunks, chatCompletion } from '../../harness/fake-upstream/chat.js';
import { compressedBody, compressedEvents } from '../support/compressed.js';
import { fixtureBytes, fixtureRequest, wireBody } from '../support/fixtures.js';
import { openRecording, playHttp, type Recording } from '../support/recording.js';

const SESSION = '01a20e12-d5d8-7e50-b51e-36f21fde77a3';
const ENCODINGS = ['gzip', 'x-gzip', 'deflate', 'deflate-raw', 'br', 'zstd', 'gzip, br'];

const sseEvents = (sse: Buffer): string[] => sse.toString('utf8').split('\n\n').filter(Boolean).map((e) => `${e}\n\n`);
const SSE = fixtureBytes('http-sse', '01-response.sse');
/** The fixture's answer as a stream:false request gets it: the response of its response.completed event. */
const RESPONSE_JSON = Buffer.from(
  JSON.stringify(
    (JSON.parse(sseEvents(SSE).find((e) => e.includes('"response.completed"'))!.split('data: ')[1]!) as { response: unknown }).response,
  ),
);

/** zstd as the CLI compresses it (test/fixtures/compressed): the fake's zstd stores blocks, whose events a text parser finds even undecoded. */
function realZstdStream(): { header: string; chunks: Buffer[] } {
  const frame = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'compressed', '01-response.sse.blocks.zst'));
  return { header: 'zstd', chunks: [frame.subarray(0, 200), frame.subarray(200, 400), frame.subarray(400)] };
}

const chatHeaders = { 'user-agent': 'OpenAI/JS 5.0.0', 'content-type': 'application/json' };
const chatBody = (stream: boolean) => ({ model: 'gpt-5', stream, stream_options: stream ? { include_usage: true } : undefined, messages: [{ role: 'user', content: 'hello there' }] });

function onlyRequest(r: Recording) {
  const [s] = r.reader.listSessions();
  const detail = r.reader.getSession(s!.id)!;
  expect(detail.requests).toHaveLength(1);
  return { detail, request: detail.requests[0]! };
}

describe('Recorder, compressed answers', () => {
  let r: Recording;
  afterEach(() => r?.close());

  for (const encoding of ENCODINGS) {
    it(`records a ${encoding} streamed Responses answer and its usage`, async () => {
      r = openRecording();
      const req = fixtureRequest('http-sse', '01');
      const { header, chunks } = encoding === 'zstd' ? realZstdStream() : await compressedEvents(encoding, sseEvents(SSE));
      playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), { status: 200, contentType: 'text/event-stream', body: SSE, headers: { 'content-encoding': header }, chunks });
      await r.settle();
      const s = r.reader.getSession(SESSION)!;
      expect(s.requests[0]).toMatchObject({ outcome: 'completed', responseId: 'resp_fake_01', usage: { inputTokens: 1201, outputTokens: 42 } });
      expect(s.turns[0]!.items.map((i) => `${i.direction}:${i.kind}`)).toEqual(['input:human_message', 'output:reasoning', 'output:tool_call']);
    });

    it(`records a ${encoding} JSON Responses answer and its usage`, async () => {
      r = openRecording();
      const req = fixtureRequest('http-sse', '01');
      const { header, body } = await compressedBody(encoding, RESPONSE_JSON);
      playHttp(r.recorder, '/v1/responses', req.headers, Buffer.from(JSON.stringify({ ...req.body, stream: false })), {
        status: 200,
        contentType: 'application/json',
        body,
        headers: { 'content-encoding': header },
        chunkSize: 64,
      });
      await r.settle();
      const s = r.reader.getSession(SESSION)!;
      expect(s.requests[0]).toMatchObject({ outcome: 'completed', usage: { inputTokens: 1201, outputTokens: 42 } });
      expect(s.turns[0]!.items.map((i) => i.kind)).toEqual(['human_message', 'reasoning', 'tool_call']);
    });

    it(`records a ${encoding} Chat Completions answer, whole and streamed`, async () => {
      r = openRecording();
      const whole = await compressedBody(encoding, Buffer.from(JSON.stringify(chatCompletion(chatBody(false), '01', 1795530001))));
      playHttp(r.recorder, '/v1/chat/completions', chatHeaders, Buffer.from(JSON.stringify(chatBody(false))), {
        status: 200,
        contentType: 'application/json',
        body: whole.body,
        headers: { 'content-encoding': whole.header },
      });
      await r.settle();
      let { detail, request } = onlyRequest(r);
      expect(request.outcome).toBe('completed');
      expect(request.usage.inputTokens).toBeGreaterThan(0);
      expect(detail.turns[0]!.items.map((i) => i.text)).toEqual(['hello there', 'You said: hello there']);
      r.close();

      r = openRecording();
      const events = [...chatChunks(chatBody(true), '02', 1795530002).map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
      const streamed = await compressedEvents(encoding, events);
      playHttp(r.recorder, '/v1/chat/completions', chatHeaders, Buffer.from(JSON.stringify(chatBody(true))), {
        status: 200,
        contentType: 'text/event-stream',
        body: Buffer.alloc(0),
        headers: { 'content-encoding': streamed.header },
        chunks: streamed.chunks,
      });
      await r.settle();
      ({ detail, request } = onlyRequest(r));
      expect(request.outcome).toBe('completed');
      expect(request.usage.inputTokens).toBeGreaterThan(0);
      expect(detail.turns[0]!.items.map((i) => i.text)).toEqual(['hello there', 'You said: hello there']);
    });
  }

  it('records a compressed error answer with its message', async () => {
    r = openRecording();
    const req = fixtureRequest('http-sse', '01');
    const body = zlib.brotliCompressSync(Buffer.from(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } })));
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), { status: 429, contentType: 'application/json', body, headers: { 'content-encoding': 'br' } });
    await r.settle();
    expect(r.reader.getSession(SESSION)!.requests[0]).toMatchObject({ outcome: 'error', statusCode: 429, error: { code: 'rate_limit_exceeded', message: 'Rate limit reached' } });
  });

  it('records an answer in an encoding kx does not know as undecodable, with the reason', async () => {
    r = openRecording();
    const req = fixtureRequest('http-sse', '01');
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), { status: 200, contentType: 'text/event-stream', body: SSE, headers: { 'content-encoding': 'compress' } });
    await r.settle();
    const q = r.reader.getSession(SESSION)!.requests[0]!;
    expect(q).toMatchObject({ outcome: 'undecodable', statusCode: 200 });
    expect((q.error as { message: string }).message).toMatch(/unsupported content-encoding: compress/);
  });

  it('records a corrupt compressed stream as undecodable, not cut', async () => {
    r = openRecording();
    const req = fixtureRequest('http-sse', '01');
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), { status: 200, contentType: 'text/event-stream', body: SSE, headers: { 'content-encoding': 'gzip' } });
    await r.settle();
    const q = r.reader.getSession(SESSION)!.requests[0]!;
    expect(q.outcome).toBe('undecodable');
    expect((q.error as { message: string }).message).toMatch(/content-encoding gzip: incorrect header check/);
  });

  it('records a compressed stream the upstream cut as cut, with the same events as the plain stream cut there', async () => {
    const cutAfter = sseEvents(SSE).slice(0, 8);
    const play = (rec: Recording, headers: Record<string, string>, chunks: readonly Buffer[]): void => {
      const req = fixtureRequest('http-sse', '01');
      playHttp(rec.recorder, '/v1/responses', req.headers, wireBody(req), {
        status: 200,
        contentType: 'text/event-stream',
        body: SSE,
        headers,
        chunks,
        end: { kind: 'error', message: 'upstream closed the stream mid-response' },
      });
    };
    r = openRecording();
    play(r, {}, cutAfter.map((e) => Buffer.from(e)));
    await r.settle();
    const plain = r.reader.getSession(SESSION)!.requests[0]!;
    r.close();
    r = openRecording();
    const { header, chunks } = await compressedEvents('gzip', cutAfter);
    play(r, { 'content-encoding': header }, chunks.slice(0, -1));
    await r.settle();
    const compressed = r.reader.getSession(SESSION)!.requests[0]!;
    expect(plain.outcome).toBe('cut');
    expect(compressed).toMatchObject({ outcome: 'cut', events: plain.events, error: plain.error });
  });

  it('keeps an answer completed when the client hangs up after its last event, before the compressed stream ends', async () => {
    r = openRecording();
    const req = fixtureRequest('http-sse', '01');
    const { header, chunks } = await compressedEvents('gzip', sseEvents(SSE));
    playHttp(r.recorder, '/v1/responses', req.headers, wireBody(req), {
      status: 200,
      contentType: 'text/event-stream',
      body: SSE,
      headers: { 'content-encoding': header },
      // Codex reads response.completed and closes: gzip's trailer never reaches it.
      chunks: chunks.slice(0, -1),
      end: { kind: 'aborted', message: 'client disconnected' },
    });
    await r.settle();
    const s = r.reader.getSession(SESSION)!;
    expect(s.requests[0]).toMatchObject({ outcome: 'completed', usage: { inputTokens: 1201 } });
    expect(s.turns[0]!.status).not.toBe('interrupted');
  });
});
