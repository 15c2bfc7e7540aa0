import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, responsesBody } from '../../src/drivers/http-client.js';
import type { FakeEncoding } from '../../src/fake-upstream/compress.js';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { startHarness, type Harness } from '../support/kx-harness.js';

const KEY = ['sk-test-', 'compressedcompressedcompressed00'].join('');
const headers = (session: string, accept: string) => ({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'session-id': session, 'accept-encoding': accept });

const shapes = {
  'streamed Responses': { path: '/responses', body: (t: string) => responsesBody(t) },
  'JSON Responses': { path: '/responses', body: (t: string) => responsesBody(t, { stream: false }) },
  'JSON Chat Completions': { path: '/chat/completions', body: (t: string) => JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: t }] }) },
  'streamed Chat Completions': { path: '/chat/completions', body: (t: string) => JSON.stringify({ model: 'gpt-5', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: t }] }) },
} as const;

const encodings: Array<[FakeEncoding, string]> = [
  ['br', 'br'],
  ['gzip', 'gzip, deflate'],
  ['deflate', 'deflate'],
  ['deflate-raw', 'deflate'],
];

describe('answers the upstream compressed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  for (const [enc, accept] of encodings) {
    for (const [shape, s] of Object.entries(shapes)) {
      it(`records the ${shape} answer and its usage, ${enc}-compressed, and forwards it untouched`, async () => {
        h.fake.compressAnswers([enc]);
        const session = `s-${enc}-${shape.replace(/\W+/g, '-')}`;
        const res = await rawRequest(`${h.proxyBase}${s.path}`, { headers: headers(session, accept), body: s.body(`hello ${enc}`) });
        h.fake.compressAnswers([]);
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(enc === 'deflate-raw' ? 'deflate' : enc);
        const plain = decodeBody(res.body, res.headers['content-encoding']).toString('utf8');
        await h.kx.settle();
        const stored = h.kx.reader.getSession(session)!;
        const [request] = stored.requests;
        expect(request!.outcome).toBe('completed');
        expect(request!.usage.totalTokens).toBeGreaterThan(0);
        const answers = stored.turns.flatMap((t) => t.items).filter((i) => i.kind === 'assistant_message');
        expect(answers.length).toBe(1);
        expect(answers[0]!.text).toContain(`hello ${enc}`);
        expect(plain).toContain(stored.requests[0]!.responseId ?? 'no response id');
      });
    }
  }
});

describe('an answer kx cannot decode', () => {
  let upstream: http.Server;
  let h: Harness;
  let answer: { encoding: string; body: Buffer } = { encoding: 'gzip', body: Buffer.alloc(0) };
  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': answer.encoding });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const port = (upstream.address() as { port: number }).port;
    h = await startHarness({ upstreamBaseUrl: new URL(`http://127.0.0.1:${port}/v1`) } as never);
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => upstream.close(r));
  });

  const cases: Array<[string, () => { encoding: string; body: Buffer }, RegExp]> = [
    ['an encoding kx does not know', () => ({ encoding: 'compress', body: Buffer.from('x') }), /unsupported content-encoding: compress/],
    ['a corrupt gzip stream', () => ({ encoding: 'gzip', body: Buffer.concat([zlib.gzipSync(Buffer.from('data: {}\n\n')).subarray(0, 12), Buffer.from('garbage!garbage!')]) }), /could not decode the answer \(content-encoding: gzip\)/],
  ];
  for (const [name, make, reason] of cases) {
    it(`is recorded as undecodable with the reason, never as a cut stream: ${name}`, async () => {
      answer = make();
      const session = `s-undecodable-${name.replace(/\W+/g, '-')}`;
      const res = await rawRequest(`${h.proxyBase}/responses`, { headers: headers(session, 'gzip'), body: responsesBody('hi') });
      expect(res.body).toEqual(answer.body);
      await h.kx.settle();
      const [request] = h.kx.reader.getSession(session)!.requests;
      expect(request!.outcome).toBe('undecodable');
      expect(JSON.stringify(request!.error)).toMatch(reason);
    });
  }
});
