// The capture pipeline's own ceiling, with no network in the way: kx runs in this process
// (startKx) and its recorder is fed the exact bytes the proxy would hand it — request bodies and
// SSE chunks of many interleaved streams — as fast as it takes them, until all is in SQLite.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKx } from '../src/kx.js';
import type { HttpExchangeObserver } from '../src/proxy/traffic-observer.js';
import { shapedEvents, sseFrame } from '../harness/fake-upstream/script.js';
import { responsesBody, userMessage } from './clients.js';
import { UI_TOKEN } from './processes.js';
import { median } from './stats.js';
import { storedCounts } from './store-check.js';
import type { Json } from '../src/protocol/json-guards.js';

export interface StoreBenchRun {
  events: {
    streams: number;
    eventsPerStream: number;
    eventBytes: number;
    /** Stream events parsed, folded and committed per second (one event per chunk, as paced streams arrive). */
    eventsPerSec: number;
    seconds: number;
    /** Capture queue length at its peak while feeding (jobs, one per chunk). */
    maxCaptureBacklog: number;
    storedEvents: number;
    expectedEvents: number;
  };
  /** One large stream handed to capture the way a fast upstream delivers it: what capture alone costs per MB. */
  bulk: {
    streamMb: number;
    events: number;
    rounds: number;
    /** SSE bytes in 64 KB chunks (HTTP); median over rounds. */
    sseMbPerSec: number;
    /** One WebSocket frame per event. */
    wsMbPerSec: number;
    storedEvents: { sse: number; ws: number };
    expectedEvents: number;
  };
  items: {
    requests: number;
    itemsPerRequest: number;
    /** Item rows committed to SQLite (and jsonl) per second. */
    rowsPerSec: number;
    seconds: number;
    storedItems: number;
    expectedItems: number;
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function exchange(kx: Awaited<ReturnType<typeof startKx>>, session: string): HttpExchangeObserver {
  const obs = kx.recorder.http({
    transport: 'http',
    method: 'POST',
    path: '/v1/responses',
    headers: { 'content-type': 'application/json', 'session-id': session, originator: 'kx_bench' },
    startedAt: performance.now(),
    startedAtIso: new Date().toISOString(),
  });
  if (!obs) throw new Error('kx does not capture /v1/responses');
  return obs;
}

function framesOf(body: Json, events: number, eventBytes: number, n: number): Buffer[] {
  const ctx = { responseId: `resp_storebench_${n}`, n: `sb${n}`, createdAt: 1795530000 + n };
  return [...shapedEvents(body, { events, eventBytes, paceMs: 0 }, ctx)].map((e) => Buffer.from(sseFrame(e)));
}

export interface StoreBenchOptions {
  streams: number;
  eventsPerStream: number;
  eventBytes: number;
  bulkEvents: number;
  bulkEventBytes: number;
  bulkRounds: number;
  itemRequests: number;
  itemsPerRequest: number;
}

export async function runStoreBench(opts: StoreBenchOptions): Promise<StoreBenchRun> {
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-store-'));
  const kx = await startKx({
    host: '127.0.0.1',
    port: 0,
    upstreamBaseUrl: new URL('http://127.0.0.1:9/v1'),
    chatgptBaseUrl: new URL('http://127.0.0.1:9/backend-api/codex'),
    documentsDir,
    uiToken: UI_TOKEN,
    uiTokenSource: 'env',
    allowRemote: false,
    logLevel: 'error',
  });
  try {
    // Events: many streams interleaved one event at a time, yielding between waves like sockets would.
    const { streams, eventsPerStream, eventBytes } = opts;
    const observers: HttpExchangeObserver[] = [];
    const frames: Buffer[][] = [];
    for (let s = 0; s < streams; s++) {
      const body = responsesBody([userMessage(`store bench stream ${s}`)]);
      frames.push(framesOf(JSON.parse(body.toString('utf8')) as Json, eventsPerStream, eventBytes, s));
    }
    let maxCaptureBacklog = 0;
    const t0 = performance.now();
    for (let s = 0; s < streams; s++) {
      const obs = exchange(kx, `bench-store-ev-${s}`);
      obs.requestBody(responsesBody([userMessage(`store bench stream ${s}`)]), undefined);
      obs.responseStart(200, { 'content-type': 'text/event-stream' });
      observers.push(obs);
    }
    const perStream = frames[0]!.length;
    for (let e = 0; e < perStream; e++) {
      for (let s = 0; s < streams; s++) observers[s]!.responseChunk(frames[s]![e]!);
      maxCaptureBacklog = Math.max(maxCaptureBacklog, kx.recorder.backlog);
      await tick();
    }
    for (const obs of observers) obs.responseEnd({ kind: 'complete' });
    await kx.settle();
    const evSeconds = (performance.now() - t0) / 1000;
    const ev = storedCounts(documentsDir, 'bench-store-ev-');

    // Bulk: capture's cost per MB with nothing else on the thread, to read the throughput figures against.
    // A 20 MB stream takes capture only tens of ms, so each transport runs `bulkRounds` times, alternating, and the median counts.
    const bulkBody = responsesBody([userMessage('store bench bulk')]);
    const bulkFrames = framesOf(JSON.parse(bulkBody.toString('utf8')) as Json, opts.bulkEvents, opts.bulkEventBytes, 1_000_000);
    const sse = Buffer.concat(bulkFrames);
    const wsFrames = bulkFrames.map((f) => Buffer.from(f.toString('utf8').split('\ndata: ')[1]!.trimEnd()));
    const wsBytes = wsFrames.reduce((a, f) => a + f.length, 0);
    const sseRates: number[] = [];
    const wsRates: number[] = [];
    for (let round = 0; round < opts.bulkRounds; round++) {
      const tSse = performance.now();
      const bulk = exchange(kx, `bench-store-bulk-sse-${round}`);
      bulk.requestBody(bulkBody, undefined);
      bulk.responseStart(200, { 'content-type': 'text/event-stream' });
      for (let off = 0; off < sse.length; off += 65536) {
        bulk.responseChunk(sse.subarray(off, off + 65536));
        if ((off / 65536) % 16 === 15) await tick();
      }
      bulk.responseEnd({ kind: 'complete' });
      await kx.settle();
      sseRates.push(sse.length / 1e6 / ((performance.now() - tSse) / 1000));

      const tWs = performance.now();
      const ws = kx.recorder.ws({ transport: 'ws', method: 'GET', path: '/v1/responses', headers: { 'session-id': `bench-store-bulk-ws-${round}` }, startedAt: tWs, startedAtIso: new Date().toISOString() });
      if (!ws) throw new Error('kx does not capture WebSockets');
      ws.opened();
      ws.clientFrame(JSON.stringify({ type: 'response.create', model: 'gpt-6.1-sol', input: [userMessage('store bench bulk')] }));
      for (let i = 0; i < wsFrames.length; i++) {
        ws.serverFrame(wsFrames[i]!, false);
        if (i % 1024 === 1023) await tick();
      }
      ws.closed(1000, '', 'client');
      await kx.settle();
      wsRates.push(wsBytes / 1e6 / ((performance.now() - tWs) / 1000));
    }
    const bulkSse = storedCounts(documentsDir, 'bench-store-bulk-sse-');
    const bulkWs = storedCounts(documentsDir, 'bench-store-bulk-ws-');

    // Items: requests that each carry many new input items, so SQLite rows and jsonl lines dominate;
    // spread over 200 sessions (created first, unmeasured), as 200 agents would send them.
    const { itemRequests, itemsPerRequest } = opts;
    const sessions = Math.min(200, itemRequests);
    const answer = Buffer.concat(framesOf({ model: 'gpt-6.1-sol' }, 1, 16, 0));
    for (let r = 0; r < sessions; r++) {
      const obs = exchange(kx, `bench-store-it-${r}`);
      obs.requestBody(responsesBody([userMessage(`store bench session ${r}`)]), undefined);
      obs.responseStart(200, { 'content-type': 'text/event-stream' });
      obs.responseChunk(answer);
      obs.responseEnd({ kind: 'complete' });
    }
    await kx.settle();
    const itemsBefore = storedCounts(documentsDir, 'bench-store-it-').items;
    const t1 = performance.now();
    for (let r = 0; r < itemRequests; r++) {
      // One human message, then tool outputs: what a Codex request carries after a few tool calls.
      const input: unknown[] = [userMessage(`store bench request ${r}`)];
      for (let i = 1; i < itemsPerRequest; i++) input.push({ type: 'function_call_output', call_id: `call_${r}_${i}`, output: `result ${i}: ${'lorem ipsum '.repeat(16)}` });
      const obs = exchange(kx, `bench-store-it-${r % sessions}`);
      obs.requestBody(responsesBody(input), undefined);
      obs.responseStart(200, { 'content-type': 'text/event-stream' });
      // Each answer has its own item id; one id for all would be stored once per session.
      obs.responseChunk(Buffer.concat(framesOf({ model: 'gpt-6.1-sol' }, 1, 16, 10_000 + r)));
      obs.responseEnd({ kind: 'complete' });
      if (r % 50 === 49) await tick();
    }
    await kx.settle();
    const itSeconds = (performance.now() - t1) / 1000;
    const it = storedCounts(documentsDir, 'bench-store-it-');
    const itemsStored = it.items - itemsBefore;
    return {
      events: {
        streams,
        eventsPerStream: perStream,
        eventBytes,
        eventsPerSec: (streams * perStream) / evSeconds,
        seconds: evSeconds,
        maxCaptureBacklog,
        storedEvents: ev.events,
        expectedEvents: streams * perStream,
      },
      bulk: {
        streamMb: sse.length / 1e6,
        events: bulkFrames.length,
        rounds: opts.bulkRounds,
        sseMbPerSec: median(sseRates),
        wsMbPerSec: median(wsRates),
        storedEvents: { sse: bulkSse.events, ws: bulkWs.events },
        expectedEvents: bulkFrames.length * opts.bulkRounds,
      },
      items: {
        requests: itemRequests,
        itemsPerRequest,
        rowsPerSec: itemsStored / itSeconds,
        seconds: itSeconds,
        storedItems: itemsStored,
        // The answer's output message is one more item per request.
        expectedItems: itemRequests * (itemsPerRequest + 1),
      },
    };
  } finally {
    await kx.close();
    fs.rmSync(documentsDir, { recursive: true, force: true });
  }
}
