// GET /api/events: the store's live events as server-sent events, so open pages update without
// polling. A comment line every 15 s keeps idle proxies and browsers from closing the stream.

import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent } from '../contracts/live-events.js';
import type { LiveEvents } from '../store/live-events.js';

const KEEPALIVE_MS = 15_000;
/** A page that stops reading must not make kx hold its events forever. */
const MAX_QUEUED = 1000;

export function eventsRoute(live: LiveEvents) {
  return (c: Context) =>
    streamSSE(c, async (stream) => {
      const queue: LiveEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = live.subscribe((e) => {
        if (queue.length >= MAX_QUEUED) queue.shift();
        queue.push(e);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted && !stream.closed) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE({ event: next.type, data: JSON.stringify(next) });
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, KEEPALIVE_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (queue.length === 0 && !stream.aborted) await stream.write(': keepalive\n\n');
      }
      unsubscribe();
    });
}
