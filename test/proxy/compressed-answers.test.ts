import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import type { FakeEncoding } from '../../harness/fake-upstream/compression.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

const KEY = ['sk-test-', 'compressed0123456789abcdefghijk'].join('');
/** What opencode sends (every encoding kx decodes), and the old name of gzip. */
const ACCEPT_ALL = 'gzip, deflate, br, zstd, x-gzip';

interface Shape {
  name: string;
  path: string;
  body: (text: string) => string;
  answer: string;
}

const SHAPES: Shape[] = [
  { name: 'streamed Responses', path: '/responses', body: (t) => responsesBody(t), answer: 'You said: ' },
  { name: 'JSON Responses', path: '/responses', body: (t) => responsesBody(t, { stream: false }), answer: 'You said: ' },
  {
    name: 'streamed Chat Completions',
    path: '/chat/completions',
    body: (t) => JSON.stringify({ model: 'gpt-5', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: t }] }),
    answer: 'You said: ',
  },
  { name: 'JSON Chat Completions', path: '/chat/completions', body: (t) => JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: t }] }), answer: 'You said: ' },
];

const ENCODINGS: FakeEncoding[] = ['gzip', 'x-gzip', 'deflate', 'deflate-raw', 'br', 'zstd', 'gzip, br'];

describe('compressed answers through kx', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  let n = 0;
  for (const encoding of ENCODINGS) {
    for (const shape of SHAPES) {
      it(`passes a ${encoding} ${shape.name} answer through byte for byte and records its answer and usage`, async () => {
        h.fake.setCompression([encoding]);
        const session = `compressed-${(n += 1)}`;
        const text = `hello number ${n}`;
        const res = await rawRequest(`${h.proxyBase}${shape.path}`, {
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'accept-encoding': ACCEPT_ALL, 'session-id': session },
          body: shape.body(text),
        });
        const sent = h.fake.compressedAnswers.at(-1)!;
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(sent.contentEncoding);
        expect(res.body.equals(Buffer.concat(sent.chunks))).toBe(true);
        expect(decodeBody(res.body, sent.contentEncoding).toString('utf8')).toContain(shape.answer);
        await h.kx.settle();
        const s = h.kx.reader.getSession(session)!;
        expect(s.requests[0]).toMatchObject({ outcome: 'completed', statusCode: 200 });
        expect(s.requests[0]!.usage.inputTokens).toBeGreaterThan(0);
        expect(s.turns[0]!.items.map((i) => [i.kind, i.text])).toEqual([
          ['human_message', text],
          ['assistant_message', `${shape.answer}${text}`],
        ]);
      });
    }
  }

  it('answers uncompressed a client that accepts no encoding the fake offers', async () => {
    h.fake.setCompression(['br']);
    const before = h.fake.compressedAnswers.length;
    const res = await rawRequest(`${h.proxyBase}/responses`, {
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'accept-encoding': 'gzip;q=1, br;q=0' },
      body: responsesBody('plain please'),
    });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(h.fake.compressedAnswers.length).toBe(before);
    expect(res.events.at(-1)?.type).toBe('response.completed');
  });

  it('records an answer in an encoding kx cannot decode as undecodable, and the client still gets it', async () => {
    h.fake.setCompression(null);
    h.fake.enqueue({ kind: 'http-error', status: 200, body: { note: 'ignored' }, headers: { 'content-encoding': 'compress' } });
    const res = await rawRequest(`${h.proxyBase}/responses`, {
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'session-id': 'compressed-unknown' },
      body: responsesBody('an odd encoding', { stream: false }),
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"note":"ignored"}');
    await h.kx.settle();
    const [q] = h.kx.reader.getSession('compressed-unknown')!.requests;
    expect(q).toMatchObject({ outcome: 'undecodable', error: { code: 'undecodable' } });
    expect((q!.error as { message: string }).message).toMatch(/unsupported content-encoding: compress/);
    const api = await fetch(`${h.kx.url}/api/sessions/compressed-unknown`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const detail = (await api.json()) as { requests: Array<{ outcome: string; error: { message: string } }> };
    expect(detail.requests[0]).toMatchObject({ outcome: 'undecodable', error: { message: expect.stringMatching(/unsupported content-encoding: compress/) } });
  });
});
