// Seeded, bounded fuzzing (fast-check) of everything that reads untrusted bytes: the SSE
// decoder and event folders, request parsers, the input-delta fast path, body decoding,
// redaction, the Recorder, and finally a real kx in front of the fake upstream.
// Parsers may reject input only in the ways their design allows; nothing may hang; traffic
// through kx must reach the upstream byte for byte however odd it is.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/capture/redact.js';
import { termLine, termText } from '../../src/cli/terminal-text.js';
import { lineBatches } from '../../src/import/line-reader.js';
import { rolloutTime } from '../../src/import/rollout-replay.js';
import { mdLine } from '../../src/store/markdown-text.js';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { ChatCompletionFolder, parseChatRequest } from '../../src/protocol/chat-completions.js';
import { splitRequestBody } from '../../src/protocol/input-delta.js';
import type { ResponseSummary } from '../../src/protocol/items.js';
import { ResponsesEventFolder } from '../../src/protocol/responses-events.js';
import { parseResponsesRequest, ProtocolError } from '../../src/protocol/responses-request.js';
import { createSseDecoder } from '../../src/protocol/sse-decoder.js';
import type { ExchangeEnd } from '../../src/proxy/traffic-observer.js';
import { chatChunks } from '../../harness/fake-upstream/chat.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { FIXTURES, type WsFrame } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { info, openRecording } from '../support/recording.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';
import { isLoopbackHost, type Config } from '../../src/config/config.js';
import { startKx, type Kx } from '../../src/kx.js';
import { sessionFolderName } from '../../src/store/session-folder.js';
import { testConfig } from '../support/kx-harness.js';
import { userMessage } from '../../harness/drivers/http-client.js';
import { codexHeaders, readJsonl, wsHeaders } from './support.js';

const completedId = (events: Array<{ type?: string; data: string }>): string =>
  (JSON.parse(events.find((e) => e.type === 'response.completed')!.data) as { response: { id: string } }).response.id;

const SEED = 20261125;
const params = (numRuns: number) => ({ seed: SEED, numRuns });

// ---- corpus: the real Codex captures -------------------------------------------------------

const fixtureFiles = (suffix: string): string[] =>
  fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .flatMap((dir) => fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith(suffix)).map((f) => path.join(FIXTURES, dir, f)))
    .sort();

const SSE_STREAMS = fixtureFiles('-response.sse').map((f) => fs.readFileSync(f));
const REQUEST_BODIES = fixtureFiles('-request.json').map((f) => Buffer.from(JSON.stringify((JSON.parse(fs.readFileSync(f, 'utf8')) as { body: unknown }).body)));
const WS_FRAMES = fixtureFiles('-ws-frames.json').flatMap((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as WsFrame[]).filter((fr) => fr.kind === 'text'));
const WS_CLIENT_FRAMES = WS_FRAMES.filter((f) => f.dir === 'client->server').map((f) => JSON.stringify(f.data));
const WS_SERVER_FRAMES = WS_FRAMES.filter((f) => f.dir === 'server->client').map((f) => JSON.stringify(f.data));
const CHAT_STREAMS = ['hello there', 'what is the weather in Paris?', 'list the files'].map((text, i) => {
  const body = { model: 'gpt-5', stream: true, tools: [{ type: 'function', function: { name: 'get_weather' } }], messages: [{ role: 'user', content: text }] };
  const chunks = [...chatChunks(body, String(i).padStart(2, '0'), 1795530000 + i)];
  return Buffer.from(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n');
});

// ---- arbitraries ---------------------------------------------------------------------------

/** Fragments that matter to SSE, JSON and UTF-8, so mutations hit the interesting places. */
const TOKENS = ['\n', '\n\n', '\r\n', '\r', 'data: ', 'event: ', ': keep-alive\n', 'data: [DONE]\n\n', 'id: 7\n', 'retry: 0\n', '{', '}', '[', ']', '"', '\\', ',', 'é', '😀', '"type":"error"', 'response.completed'];

type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; len: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom(...TOKENS).map((t) => Buffer.from(t))) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }),
);

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let b = input;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.op) {
      case 'flip':
        if (b.length) b = Buffer.concat([b.subarray(0, at % b.length), Buffer.from([m.byte]), b.subarray((at % b.length) + 1)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at)]);
        break;
    }
  }
  return b;
}

const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 6 });
const cutsArb = fc.array(fc.nat(), { maxLength: 24 });

/** Splits bytes at arbitrary points, as TCP may deliver them. */
function split(b: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(b.subarray(last, p));
    last = p;
  }
  out.push(b.subarray(last));
  return out;
}

function foldResponses(chunks: Buffer[]): ResponseSummary {
  const folder = new ResponsesEventFolder();
  const sse = createSseDecoder((data, event) => folder.feedData(data, event));
  for (const c of chunks) sse.feed(c);
  sse.end();
  return folder.result();
}

function foldChat(chunks: Buffer[]): ResponseSummary {
  const folder = new ChatCompletionFolder();
  const sse = createSseDecoder((data) => folder.feedData(data));
  for (const c of chunks) sse.feed(c);
  sse.end();
  return folder.result();
}

const STATUSES = new Set(['completed', 'failed', 'incomplete', 'in_progress', 'error', 'cut']);
function expectSaneSummary(s: ResponseSummary, fromStream = true): void {
  expect(STATUSES.has(s.status)).toBe(true);
  expect(Array.isArray(s.output)).toBe(true);
  for (const item of s.output) expect(typeof item.kind).toBe('string');
  // Fed event by event, each event counts once and fails to parse at most once.
  if (fromStream) expect(s.parseErrors).toBeLessThanOrEqual(s.events);
}

/**
 * Runs `fn`, interrupting it if it has not returned within `limitMs`. A hang detector (the work
 * takes milliseconds; a quadratic blow-up takes minutes), not a speed threshold: synchronous
 * code cannot otherwise be stopped by the test runner's timeout.
 */
function withoutHanging<T>(fn: () => T, limitMs = 10_000): T {
  return vm.runInNewContext('run()', { run: fn }, { timeout: limitMs }) as T;
}

// ---- the parsers -------------------------------------------------------------------------

describe('SSE decoding and event folding, fuzzed', () => {
  it('folds every captured stream to the same summary however its bytes are split', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SSE_STREAMS), cutsArb, (stream, cuts) => {
        expect(foldResponses(split(stream, cuts))).toEqual(foldResponses([stream]));
      }),
      params(300),
    );
  });

  it('folds a mutated stream to the same summary however its bytes are split', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SSE_STREAMS), mutationsArb, cutsArb, (stream, mutations, cuts) => {
        const mutated = mutate(stream, mutations);
        expect(foldResponses(split(mutated, cuts))).toEqual(foldResponses([mutated]));
      }),
      params(300),
    );
  });

  it('never throws on mutated or random Responses streams and always yields a usable summary', () => {
    const streams = fc.oneof(
      fc.tuple(fc.constantFrom(...SSE_STREAMS), mutationsArb).map(([s, m]) => mutate(s, m)),
      fc.uint8Array({ maxLength: 4096 }).map((u) => Buffer.from(u)),
      fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => Buffer.from(t.join(''))),
    );
    fc.assert(
      fc.property(streams, cutsArb, (stream, cuts) => expectSaneSummary(withoutHanging(() => foldResponses(split(stream, cuts))))),
      params(400),
    );
  });

  it('never throws on mutated Chat Completions streams, and splits do not change a clean one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHAT_STREAMS), mutationsArb, cutsArb, (stream, mutations, cuts) => {
        expect(foldChat(split(stream, cuts))).toEqual(foldChat([stream]));
        expectSaneSummary(withoutHanging(() => foldChat(split(mutate(stream, mutations), cuts))));
      }),
      params(300),
    );
  });

  it('never throws on arbitrary WebSocket event frames or JSON values', () => {
    const frames = fc.oneof(
      fc.tuple(fc.constantFrom(...WS_SERVER_FRAMES), mutationsArb).map(([f, m]) => mutate(Buffer.from(f), m).toString('utf8')),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.array(frames, { maxLength: 30 }), fc.array(fc.jsonValue(), { maxLength: 5 }), (texts, values) => {
        const folder = new ResponsesEventFolder();
        for (const t of texts) folder.feedData(t);
        for (const v of values) folder.feedEvent(v);
        const chat = new ChatCompletionFolder();
        for (const t of texts) chat.feedData(t);
        for (const v of values) chat.feedBody(v);
        expectSaneSummary(folder.result(), values.length === 0);
        expectSaneSummary(chat.result(), values.length === 0);
      }),
      params(300),
    );
  });
});

describe('request parsing, fuzzed', () => {
  /** Values shaped like request bodies, with anything at all where items go. */
  const bodies = fc.oneof(
    fc.jsonValue(),
    fc.record({ model: fc.jsonValue(), input: fc.oneof(fc.string(), fc.array(fc.jsonValue(), { maxLength: 8 }), fc.jsonValue()), instructions: fc.jsonValue(), client_metadata: fc.jsonValue() }, { requiredKeys: [] }),
    fc.record({ model: fc.string(), messages: fc.array(fc.jsonValue(), { maxLength: 8 }), stream: fc.jsonValue() }, { requiredKeys: ['messages'] }),
    fc.tuple(fc.constantFrom(...REQUEST_BODIES), mutationsArb).map(([b, m]) => {
      try {
        return JSON.parse(mutate(b, m).toString('utf8')) as unknown;
      } catch {
        return null;
      }
    }),
  );

  it('rejects a body only with a ProtocolError, never a crash', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        for (const parse of [parseResponsesRequest, parseChatRequest]) {
          try {
            parse(body);
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
          }
        }
      }),
      params(500),
    );
  });

  /** A conversation as Codex resends it: the same history, then new items appended. */
  const conversation = fc.record({
    top: fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'input' && k !== '__proto__'), fc.jsonValue(), { maxKeys: 4 }),
    history: fc.array(fc.jsonValue(), { maxLength: 6 }),
    added: fc.array(fc.jsonValue(), { maxLength: 4 }),
  });

  it('the input-delta fast path agrees with a full JSON.parse of every resent history', () => {
    fc.assert(
      fc.property(conversation, ({ top, history, added }) => {
        const first = splitRequestBody(Buffer.from(JSON.stringify({ ...top, input: history })), undefined);
        const body = Buffer.from(JSON.stringify({ ...top, input: [...history, ...added] }));
        const next = splitRequestBody(body, first.cursor);
        const parsed = JSON.parse(body.toString()) as { input: unknown[] };
        expect([...parsed.input.slice(0, next.skipped), ...next.newItems]).toEqual(parsed.input);
        expect(next.newItems).toEqual(parsed.input.slice(next.skipped));
        expect(next.top).toEqual({ ...parsed, input: [] });
      }),
      params(400),
    );
  });

  it('the input-delta fast path never accepts bytes JSON.parse rejects, nor disagrees with it, on mutated resends', () => {
    fc.assert(
      fc.property(conversation, mutationsArb, ({ top, history, added }, mutations) => {
        const first = splitRequestBody(Buffer.from(JSON.stringify({ ...top, input: history })), undefined);
        const body = mutate(Buffer.from(JSON.stringify({ ...top, input: [...history, ...added] })), mutations);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        let result: ReturnType<typeof splitRequestBody> | undefined;
        let error: unknown;
        try {
          result = splitRequestBody(body, first.cursor);
        } catch (err) {
          error = err;
        }
        if (error !== undefined) {
          expect(error).toBeInstanceOf(SyntaxError);
          return;
        }
        expect(parsed).toBeDefined(); // accepted only what is JSON
        const obj = parsed as Record<string, unknown>;
        if (!Array.isArray(obj.input)) {
          expect(result!.newItems).toEqual([]);
          return;
        }
        if (result!.fromCursor) expect(obj.input.slice(0, result!.skipped)).toEqual(history);
        expect(result!.newItems).toEqual(obj.input.slice(result!.skipped));
        expect(result!.top).toEqual({ ...obj, input: [] });
      }),
      params(600),
    );
  });

  it('decodes a body or throws an Error, for any bytes and any content-encoding', () => {
    const encodings = fc.constantFrom(undefined, '', 'identity', 'gzip', 'x-gzip', 'GZIP', 'deflate', 'br', ' br ', 'zstd', 'gzip, br', 'compress');
    // Node can make these; a body sent with one of them, unmutated, must decode to what was compressed.
    const compressors: Record<string, ((b: Buffer) => Buffer) | undefined> = {
      '': (b) => b,
      identity: (b) => b,
      gzip: zlib.gzipSync,
      'x-gzip': zlib.gzipSync,
      deflate: zlib.deflateSync,
      br: zlib.brotliCompressSync,
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), encodings, fc.option(mutationsArb), (bytes, enc, mutations) => {
        const plain = Buffer.from(bytes);
        const compress = compressors[(enc ?? '').trim().toLowerCase()];
        const encoded = compress ? compress(plain) : plain;
        const sent = mutations ? mutate(encoded, mutations) : encoded;
        let out: Buffer;
        try {
          out = withoutHanging(() => decodeBody(sent, enc));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect(compress && !mutations).toBeFalsy(); // a valid body must not be refused
          return;
        }
        expect(Buffer.isBuffer(out)).toBe(true);
        if (compress && !mutations) expect(out.equals(plain)).toBe(true);
      }),
      params(400),
    );
  });
});

describe('redaction, fuzzed', () => {
  /** Pieces that secret patterns look for; repeated, they are the worst case for backtracking. */
  const PIECES = ['a', 'Z', '0', '-', '.', '+', '_', ':', '/', '@', ' ', '\n', '\t', '=', '"', "'", '#', 'SECRET', 'token', 'export ', 'sk-', 'Bearer ', 'eyJ', 'AKIA', 'ghp_', 'xoxb-', 'AIza', '://', 'u:p@', '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----'];
  const ONE_MB = 1 << 20;

  it('finishes on a megabyte of any repeated pattern (no catastrophic backtracking)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }), (unit) => {
        const u = unit.join('');
        const text = u.repeat(Math.ceil(ONE_MB / u.length));
        expect(typeof withoutHanging(() => redact(text))).toBe('string');
      }),
      // A failure costs the hang limit; shrinking would pay it again and again.
      { ...params(40), endOnFailure: true },
    );
  });

  it('finishes on the text shapes that made it quadratic before', () => {
    for (const text of ['a-'.repeat(ONE_MB / 2), 'a.'.repeat(ONE_MB / 2), '\n'.repeat(ONE_MB), 'SECRET'.repeat(ONE_MB / 6), '-----BEGIN PRIVATE KEY-----\n'.repeat(ONE_MB / 28)]) {
      expect(typeof withoutHanging(() => redact(text))).toBe('string');
    }
  });
});

// ---- the Recorder --------------------------------------------------------------------------

describe('hostile text and unlucky files, fuzzed', () => {
  // Text with the characters that make markup, escape sequences and line breaks likely.
  const hostile = fc.string({ unit: fc.constantFrom('<', '>', '[', ']', '(', ')', '!', '`', '|', '*', '#', '\n', '\r', '\u001b', '\u0000', '\u009b', 'a', ' ', 'https://x/', 'javascript:', 'é') , maxLength: 80 });

  it('a markdown line of model text stays one line and forms no HTML, link or image', () => {
    fc.assert(
      fc.property(hostile, (t) => {
        const md = mdLine(t);
        expect(md).not.toMatch(/[\n\r]/);
        // Outside code spans, every markup character is escaped.
        const plain = md.replace(/(`+)(?!`).+?(?<!`)\1(?!`)/g, '');
        expect(plain).not.toMatch(/(?<!\\)[<>[\]!]/);
      }),
      params(500),
    );
  });

  it('text printed on a terminal carries no control character but newline and tab', () => {
    fc.assert(
      fc.property(hostile, (t) => {
        expect(termLine(t)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(termText(t)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      params(500),
    );
  });

  it('a rollout time is a date kx can sort by, or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('last tuesday', '', '2026-13-45T99:99:99Z', 'Tue, 24 Nov 2026 10:00:00 GMT')), (t) => {
        const at = rolloutTime(t);
        if (at !== undefined) expect(Number.isNaN(Date.parse(at))).toBe(false);
        if (at !== undefined) expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      }),
      params(500),
    );
  });

  it('the line reader returns the lines of any bytes, whatever the chunk size, and drops only lines over the cap', async () => {
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'kx-fuzz-lines-'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\r', '{', '"'), maxLength: 40 }), { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), async (lines, chunkBytes) => {
        const file = path.join(dir, 'f.jsonl');
        fs.writeFileSync(file, lines.join('\n'));
        const max = 20;
        const got: string[] = [];
        for await (const batch of lineBatches(file, { chunkBytes, maxLineBytes: max })) got.push(...batch.map((b) => b.toString('utf8')));
        const all = lines.join('\n').split('\n');
        if (all.at(-1) === '') all.pop();
        const expected = all.filter((l) => Buffer.byteLength(l) <= max).map((l) => l.replace(/\r$/, ''));
        expect(got).toEqual(expected);
      }),
      params(200),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the Recorder, fuzzed', () => {
  const requestBodies = fc.oneof(
    fc.constantFrom(...REQUEST_BODIES),
    fc.tuple(fc.constantFrom(...REQUEST_BODIES), mutationsArb).map(([b, m]) => mutate(b, m)),
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((u) => Buffer.from(u)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  );
  const responseBodies = fc.oneof(
    fc.tuple(fc.constantFrom(...SSE_STREAMS, ...CHAT_STREAMS), fc.option(mutationsArb)).map(([s, m]) => (m ? mutate(s, m) : s)),
    fc.uint8Array({ maxLength: 1024 }).map((u) => Buffer.from(u)),
  );
  const exchange = fc.record({
    path: fc.constantFrom('/v1/responses', '/v1/chat/completions', '/v1/responses?x=1'),
    body: requestBodies,
    encoding: fc.constantFrom(undefined, 'gzip', 'zstd', 'br', 'identity', 'bogus'),
    status: fc.constantFrom(200, 400, 429, 500, 503),
    contentType: fc.constantFrom('text/event-stream', 'application/json', 'text/plain', ''),
    response: responseBodies,
    cuts: cutsArb,
    end: fc.constantFrom<ExchangeEnd>(
      { kind: 'complete' },
      { kind: 'aborted', message: 'client disconnected' },
      { kind: 'error', message: 'upstream closed the stream mid-response' },
    ),
  });

  it('records every HTTP exchange or its capture error, whatever the bytes, and never throws into the proxy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exchange, { minLength: 1, maxLength: 4 }), async (exchanges) => {
        const r = openRecording();
        try {
          for (const x of exchanges) {
            const obs = r.recorder.http(info(x.path, codexHeaders('fuzz-http')))!;
            obs.requestBody(x.body, x.encoding);
            obs.responseStart(x.status, { 'content-type': x.contentType });
            for (const c of split(x.response, x.cuts)) obs.responseChunk(c);
            obs.responseEnd(x.end);
          }
          await r.settle();
          const requests = r.store.db.prepare('SELECT outcome FROM requests').pluck().all() as Array<string | null>;
          const refused = r.store.db.prepare(`SELECT COUNT(*) FROM capture_errors WHERE stage = 'request'`).pluck().get() as number;
          expect(requests.length + refused).toBe(exchanges.length); // each is recorded, or its failure is
          expect(requests).not.toContain(null); // and every recorded one is closed
          expect(r.store.getHealth().ok).toBe(true);
        } finally {
          r.close();
        }
      }),
      params(80),
    );
  });

  const wsEvent = fc.oneof(
    fc.tuple(fc.constantFrom(...WS_CLIENT_FRAMES), fc.option(mutationsArb)).map(([f, m]) => ({ client: m ? mutate(Buffer.from(f), m).toString('utf8') : f })),
    fc.string({ unit: 'binary', maxLength: 64 }).map((s) => ({ client: s })),
    fc.tuple(fc.constantFrom(...WS_SERVER_FRAMES), fc.option(mutationsArb)).map(([f, m]) => ({ server: m ? mutate(Buffer.from(f), m) : Buffer.from(f), binary: false })),
    fc.uint8Array({ maxLength: 64 }).map((u) => ({ server: Buffer.from(u), binary: true })),
  );

  it('closes every WebSocket request it opened and never throws into the bridge, whatever the frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wsEvent, { maxLength: 25 }), fc.constantFrom('client', 'upstream'), async (events, by) => {
        const r = openRecording();
        try {
          const obs = r.recorder.ws(info('/v1/responses', wsHeaders('fuzz-ws'), 'ws'))!;
          obs.opened();
          for (const e of events) {
            if ('client' in e) obs.clientFrame(e.client);
            else obs.serverFrame(e.server, e.binary);
          }
          obs.closed(by === 'client' ? 1005 : 1006, '', by as 'client' | 'upstream');
          await r.settle();
          expect(r.store.db.prepare('SELECT outcome FROM requests').pluck().all()).not.toContain(null);
          expect(r.store.getHealth().ok).toBe(true);
        } finally {
          r.close();
        }
      }),
      params(80),
    );
  });
});

// ---- a real kx ---------------------------------------------------------------------------

describe('fuzzed traffic through a real kx', () => {
  let h: Harness;
  let twin: FakeUpstream;
  beforeAll(async () => {
    h = await startHarness();
    twin = await startFakeUpstream(); // gets the same calls in the same order: a direct call's answers
  });
  afterAll(async () => {
    await h?.close();
    await twin?.close();
  });

  const httpCall = fc.record({
    method: fc.constantFrom('POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    path: fc.constantFrom('/v1/responses', '/v1/chat/completions', '/v1/files', '/v1/responses?stream=true'),
    body: fc.oneof(
      fc.constantFrom(...REQUEST_BODIES),
      fc.tuple(fc.constantFrom(...REQUEST_BODIES), mutationsArb).map(([b, m]) => mutate(b, m)),
      fc.uint8Array({ maxLength: 16 * 1024 }).map((u) => Buffer.from(u)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
    ),
    encoding: fc.constantFrom(undefined, undefined, 'gzip', 'zstd', 'br', 'bogus'),
    chunked: fc.boolean(),
  });

  it('delivers every fuzzed HTTP body to the upstream byte for byte and returns what a direct call returns', async () => {
    await fc.assert(
      fc.asyncProperty(httpCall, async (call) => {
        const headers: Record<string, string> = { ...codexHeaders('fuzz-kx'), ...(call.encoding ? { 'content-encoding': call.encoding } : {}) };
        if (call.chunked) headers['transfer-encoding'] = 'chunked';
        else headers['content-length'] = String(call.body.length);
        const before = h.fake.requests.length;
        const viaKx = await rawRequest(`${h.proxyBase}${call.path.slice(3)}`, { method: call.method, headers, body: call.body });
        const direct = await rawRequest(`${twin.baseUrl}${call.path.slice(3)}`, { method: call.method, headers, body: call.body });
        expect(h.fake.requests.length).toBe(before + 1);
        const seen = h.fake.requests.at(-1)!;
        expect(seen.method).toBe(call.method);
        expect(seen.rawBody.equals(call.body)).toBe(true);
        expect(viaKx.status).toBe(direct.status);
        expect(viaKx.body.equals(direct.body)).toBe(true);
      }),
      params(60),
    );
    await h.kx.settle();
    expect(h.kx.store.getHealth().ok).toBe(true);
  });

  const wsFrame = fc.oneof(
    fc.tuple(fc.constantFrom(...WS_CLIENT_FRAMES), mutationsArb).map(([f, m]) => ({ data: mutate(Buffer.from(f), m).toString('utf8'), binary: false })),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => ({ data: s, binary: false })),
    fc.uint8Array({ maxLength: 300 }).map((u) => ({ data: Buffer.from(u), binary: true })),
  );

  it('delivers every fuzzed WebSocket frame to the upstream byte for byte, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wsFrame, { minLength: 1, maxLength: 6 }), async (frames) => {
        const before = h.fake.requests.filter((r) => r.transport === 'ws').length;
        const s = await openWs(`${h.proxyBase}/responses`, wsHeaders('fuzz-ws'));
        for (const f of frames) s.ws.send(f.data, { binary: f.binary });
        await new Promise<void>((resolve) => {
          const check = () => (h.fake.requests.filter((r) => r.transport === 'ws').length >= before + frames.length ? resolve() : setTimeout(check, 5));
          check();
        });
        s.ws.close();
        await s.closed;
        const seen = h.fake.requests.filter((r) => r.transport === 'ws').slice(before);
        expect(seen.map((r) => r.rawBody.toString('hex'))).toEqual(frames.map((f) => Buffer.from(f.data).toString('hex')));
      }),
      params(30),
    );
  });

  it('still serves and records an ordinary request after all that', async () => {
    const res = await rawRequest(`${h.proxyBase}/responses`, { headers: codexHeaders('fuzz-after'), body: responsesBody('still fine?') });
    expect(res.events.at(-1)!.type).toBe('response.completed');
    await h.kx.settle();
    expect(h.kx.reader.getSession('fuzz-after')!.requests[0]!.outcome).toBe('completed');
  });
});

// ---- hostile identities, shapes and callers ---------------------------------------------------

const RESERVED_IDS = ['sessions.db', 'sessions.db-journal', 'sessions.db-wal', 'sessions.db-shm', 'ui-token', 'UI-Token', 'projects', 'README.md', '.', '..', '.git', 'kx-state', 'con', 'a/b', 'a_b', 'a?b', '../../x', 'a\\b'];
const sessionIdArb = fc.oneof(
  fc.constantFrom(...RESERVED_IDS),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.stringMatching(/^[a-z0-9_-]{1,64}$/),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => 'x/'.repeat(n).slice(0, n)),
);

describe('session ids, fuzzed', () => {
  it('gives every id a folder of its own that is short, plain and none of kx\'s names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(sessionIdArb, { minLength: 2, maxLength: 30 }), (ids) => {
        const names = ids.map(sessionFolderName);
        expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(ids.length);
        for (const n of names) {
          expect(n.length).toBeLessThanOrEqual(64);
          expect(n).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
          expect(n).not.toMatch(/^(?:sessions\.db|ui-token$|projects$|readme\.md$|kx-)/i);
        }
        expect(ids.map(sessionFolderName)).toEqual(names);
      }),
      params(200),
    );
  });
});

describe('hostile identities and shapes through a real kx', () => {
  let fake: FakeUpstream;
  let kx: Kx;
  let config: Config;
  beforeAll(async () => {
    fake = await startFakeUpstream();
    config = testConfig(fake.baseUrl);
    kx = await startKx(config);
  });
  afterAll(async () => {
    await kx?.close();
    await fake?.close();
  });

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}, pathname = '/v1/responses') =>
    rawRequest(`${kx.url}${pathname}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'gpt-5', stream: true, ...body }) });
  const humanTexts = (session: string) => kx.reader.getSession(session)?.turns.flatMap((t) => t.items.filter((i) => i.kind === 'human_message').map((i) => i.text)) ?? [];
  let n = 0;

  it('records fuzzed session ids each in its own folder, and kx starts again afterwards', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(sessionIdArb, async (id) => {
        seen.add(id);
        const res = await post({ client_metadata: { session_id: id }, input: [userMessage(`message for ${id.slice(0, 20)}`)] });
        expect(res.status).toBe(200);
      }),
      params(40),
    );
    await kx.settle();
    for (const id of seen) {
      const folder = kx.store.db.prepare('SELECT folder FROM sessions WHERE id = ?').pluck().get(id) as string;
      const lines = readJsonl(path.join(config.documentsDir, folder, 'user_actions.jsonl'));
      expect(new Set(lines.map((l) => l.session_id))).toEqual(new Set([id]));
    }
    for (const entry of fs.readdirSync(config.documentsDir)) expect(['ui-token', 'projects', 'README.md'].includes(entry)).toBe(false);
    await kx.close();
    kx = await startKx(config);
    expect(kx.reader.listSessions(100).length).toBe(seen.size);
  });

  it('records a fuzzed plain-string input as the human message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200 }), async (text) => {
        const session = `string-input-${n++}`;
        await post({ input: text }, { 'session-id': session });
        await kx.settle();
        expect(humanTexts(session)).toEqual([redact(text)]);
      }),
      params(30),
    );
  });

  it('records every repeat of a fuzzed id-less message sent after previous_response_id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), async (text, repeats) => {
        const session = `repeat-${n++}`;
        let prev = completedId((await post({ input: [userMessage(text)] }, { 'session-id': session })).events);
        for (let i = 0; i < repeats; i++) prev = completedId((await post({ previous_response_id: prev, input: [userMessage(text)] }, { 'session-id': session })).events);
        await kx.settle();
        expect(humanTexts(session)).toHaveLength(repeats + 1);
      }),
      params(12),
    );
  });

  it('forwards a fuzzed credential query parameter untouched and stores it redacted', async () => {
    const names = ['key', 'api_key', 'apikey', 'API-KEY', 'token', 'access_token', 'sig', 'signature', 'secret', 'password', 'auth', 'x-amz-signature'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/), async (name, value) => {
        const session = `query-${n++}`;
        const pathname = `/v1/responses?${name}=${value}&stream=1`;
        await post({ input: [userMessage('hi')] }, { 'session-id': session }, pathname);
        expect(fake.requests.at(-1)!.path).toBe(pathname);
        await kx.settle();
        const stored = kx.reader.getSession(session)!.requests[0]!.path;
        expect(stored).not.toContain(value);
        expect(stored).toBe(`/v1/responses?${name}=[REDACTED]&stream=1`);
      }),
      params(30),
    );
  });

  it('refuses fuzzed cross-site callers before forwarding or recording anything', async () => {
    const crossSite: fc.Arbitrary<Record<string, string>> = fc.oneof(
      fc.webUrl().filter((u) => !isLoopbackHost(new URL(u).hostname.replace(/^\[|\]$/g, ''))).map((origin) => ({ origin })),
      fc.constantFrom<Record<string, string>>({ origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'cross-site' }),
    );
    await fc.assert(
      fc.asyncProperty(crossSite, async (headers) => {
        const before = fake.requests.length;
        const res = await post({ input: [userMessage('planted')] }, { 'session-id': 'planted', 'content-type': 'text/plain', ...headers });
        expect(res.status).toBe(403);
        expect(fake.requests.length).toBe(before);
      }),
      params(40),
    );
    await kx.settle();
    expect(kx.reader.getSession('planted')).toBeUndefined();
  });
});
