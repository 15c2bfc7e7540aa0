// A tiny Responses client for tests, the bench and the demo: sends a request, reads the SSE answer as raw bytes and events.

import http from 'node:http';
import { createSseDecoder } from '../../src/protocol/sse-decoder.js';
import { isObject, parseJson, str } from '../../src/protocol/json-guards.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  events: Array<{ type?: string; data: string }>;
  /** Set when the connection broke before the response ended. */
  error?: string;
}

export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      const events: RawResponse['events'] = [];
      const sse = createSseDecoder((data) => {
        const event = parseJson(data);
        const type = isObject(event) ? str(event.type) : undefined;
        events.push({ type, data });
      });
      const done = (error?: string) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), events, ...(error ? { error } : {}) });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        sse.feed(c);
      });
      res.on('end', () => done());
      res.on('aborted', () => done('aborted'));
      res.on('error', (e) => done(e.message));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A human message as Codex sends it in `input`. */
export const userMessage = (text: string): Record<string, unknown> => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

export function responsesBody(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    model: 'gpt-6.1-sol',
    stream: true,
    input: [userMessage(text)],
    ...extra,
  });
}
