// One loop sends a stream of events over any transport and plays the scenario's faults on it: a cut
// half-way, a stall, a close, garbage among the events. A sink says what each means on its wire.

import type http from 'node:http';
import type { WebSocket } from 'ws';
import { sseFrame } from './script.js';
import type { Scenario } from './state.js';
import type { Json } from '../../src/protocol/json-guards.js';

export interface EventSink {
  /** The peer is gone: stop quietly. */
  gone(): boolean;
  send(event: Json): Promise<void> | void;
  /** The connection breaks where `event` would have gone. */
  cut(event: Json): Promise<void> | void;
  /** A close in the middle of the stream (WebSocket only). */
  close?(code: number, reason: string): void;
  /** Text that is not a valid event (SSE only). */
  garbage?(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const stallFor = (s: { ms: number; release?: Promise<unknown> }): Promise<unknown> => s.release ?? sleep(s.ms);

/** Sends `events`; false when the scenario or the peer ended the stream early. */
export async function sendEvents(sink: EventSink, events: Iterable<Json>, scenario: Scenario | undefined, paceMs = 0): Promise<boolean> {
  let sent = 0;
  for (const event of events) {
    if (sink.gone()) return false;
    if (scenario?.kind === 'cut' && sent === scenario.afterEvents) {
      await sink.cut(event);
      return false;
    }
    if (scenario?.kind === 'ws-close' && sent === scenario.afterEvents && sink.close) {
      sink.close(scenario.code, scenario.reason);
      return false;
    }
    if (scenario?.kind === 'stall' && sent === scenario.afterEvents) await stallFor(scenario);
    if (scenario?.kind === 'malformed-sse' && sent === 1) await sink.garbage?.();
    await sink.send(event);
    sent += 1;
    if (paceMs > 0) await sleep(paceMs);
  }
  return true;
}

/** Writes and waits for the socket to drain when its buffer is full, as a real server would. */
export function write(res: http.ServerResponse, chunk: string): Promise<void> | void {
  if (res.write(chunk)) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Server-sent events on an HTTP response; a cut sends half of the event's frame, then drops the connection. */
export function sseSink(res: http.ServerResponse, frame: (event: Json) => string = sseFrame): EventSink {
  return {
    gone: () => res.destroyed,
    send: (event) => write(res, frame(event)),
    cut: async (event) => {
      const text = frame(event);
      await new Promise<void>((resolve) => res.write(text.slice(0, Math.floor(text.length / 2)), () => resolve()));
      res.socket?.destroy();
    },
    garbage: async () => {
      await write(res, 'data: {"type":"response.output_text.delta", this is not json\n\n');
      await write(res, 'event: fake.unknown\ndata: not-json-at-all\n\n');
    },
  };
}

/** One text frame per event; a cut terminates the socket without a close frame. */
export function wsSink(ws: WebSocket, paced: boolean): EventSink {
  return {
    gone: () => ws.readyState !== ws.OPEN,
    send: async (event) => {
      ws.send(JSON.stringify(event));
      // Unpaced streams wait for the socket to drain, as the HTTP path does.
      if (!paced && ws.bufferedAmount > 1 << 20) while (ws.bufferedAmount > 1 << 18 && ws.readyState === ws.OPEN) await sleep(1);
    },
    cut: () => ws.terminate(),
    close: (code, reason) => (code === 1005 ? ws.close() : ws.close(code, reason)),
  };
}
