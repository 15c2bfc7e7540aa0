// One EventSource to GET /api/events for the whole page; views subscribe and unsubscribe as they come and go.
// The browser reconnects on its own when kx restarts.

import { parseJson } from '../../../src/protocol/json-guards.js';
import { liveEvent, type LiveEvent } from './schemas.js';

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;
/** Every event type the contract names: a new one is listened to without a second list to keep. */
const TYPES = liveEvent.options.map((o) => o.shape.type.value);

function open(): void {
  source = new EventSource('/api/events');
  for (const type of TYPES) {
    source.addEventListener(type, (m) => {
      const data = parseJson((m as MessageEvent<string>).data);
      if (data === undefined) return;
      const parsed = liveEvent.safeParse(data);
      if (!parsed.success) return;
      for (const l of [...listeners]) l(parsed.data);
    });
  }
}

export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) open();
  return () => {
    listeners.delete(listener);
  };
}
