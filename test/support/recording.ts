// A real store in a temp folder with a Recorder in front of it: capture tests feed traffic
// copies straight into the observer interface, no sockets.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Recorder } from '../../src/capture/recorder.js';
import type { ExchangeEnd, ExchangeInfo } from '../../src/proxy/traffic-observer.js';
import type { HeaderBag } from '../../src/protocol/request-meta.js';
import { SessionReader } from '../../src/store/session-reader.js';
import { SessionStore } from '../../src/store/session-store.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';

export { tempDir };

export interface Recording {
  dir: string;
  store: SessionStore;
  reader: SessionReader;
  recorder: Recorder;
  settle(): Promise<void>;
  close(): void;
}

export function openRecording(dir = tempDir()): Recording {
  const store = new SessionStore({ documentsDir: dir });
  const reader = new SessionReader(store.db);
  const recorder = new Recorder({
    enqueue: (op) => store.enqueue(op), settled: (ticket) => store.settled(ticket),
    resumeState: (id) => reader.resumeState(id),
    sessionOfResponse: (id) => reader.sessionOfResponse(id),
  });
  return {
    dir,
    store,
    reader,
    recorder,
    settle: async () => {
      await recorder.drained();
      store.flush();
    },
    close: () => store.close(),
  };
}

export function info(pathname: string, headers: HeaderBag, transport: 'http' | 'ws' = 'http'): ExchangeInfo {
  return { transport, method: transport === 'ws' ? 'GET' : 'POST', path: pathname, headers, startedAt: performance.now(), startedAtIso: new Date().toISOString() };
}

/**
 * Plays one HTTP exchange through the recorder. The answer goes as `chunks` when given (exactly as a
 * server flushed them), else cut every `chunkSize` bytes; `end` is how the exchange ended.
 */
export function playHttp(
  rec: Recorder,
  pathname: string,
  headers: HeaderBag,
  body: Buffer,
  response: { status: number; contentType: string; body: Buffer; chunkSize?: number; headers?: HeaderBag; chunks?: readonly Buffer[]; end?: ExchangeEnd },
): void {
  const obs = rec.http(info(pathname, headers));
  if (!obs) throw new Error(`not a captured path: ${pathname}`);
  obs.requestBody(body, typeof headers['content-encoding'] === 'string' ? headers['content-encoding'] : undefined);
  obs.responseStart(response.status, { 'content-type': response.contentType, ...response.headers });
  const size = response.chunkSize ?? 1024;
  if (response.chunks) for (const c of response.chunks) obs.responseChunk(c);
  else for (let i = 0; i < response.body.length; i += size) obs.responseChunk(response.body.subarray(i, i + size));
  obs.responseEnd(response.end ?? { kind: 'complete' });
}

/** The folder kx recorded for a session (`sessions.folder`), for tests that read the session's files. */
export function sessionFolder(documentsDir: string, sessionId: string): string {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true, fileMustExist: true });
  try {
    const folder = db.prepare('SELECT folder FROM sessions WHERE id = ?').pluck().get(sessionId) as string | null | undefined;
    return path.join(documentsDir, folder ?? sessionId);
  } finally {
    db.close();
  }
}
