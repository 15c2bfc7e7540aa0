// A local model server gone wrong answers 200 MB: kx reads up to its cap, stops, and the call fails
// with an error saying so. Reading it whole once took the process down with every agent's traffic.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callStructured, ModelCallError, type Dialect } from '../../src/insight/model-access.js';

const OFFERED = 200 * 1024 * 1024;
const CAP = 1024 * 1024;

/** A server that streams an endless answer, as fast as the client reads, and counts what it sent. */
async function runawayServer(dialect: Dialect): Promise<{ url: string; sent: () => number; close: () => Promise<void> }> {
  let sent = 0;
  const chunk = dialect === 'chatgpt' ? `data: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'a'.repeat(65_000) })}\n\n` : 'a'.repeat(65_536);
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': dialect === 'chatgpt' ? 'text/event-stream' : 'application/json' });
    if (dialect === 'platform') res.write('{"id":"resp_1","status":"completed","output_text":"');
    const pump = (): void => {
      while (sent < OFFERED && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => res.destroy());
    pump();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    sent: () => sent,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

describe('the cap on a model answer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  for (const dialect of ['platform', 'chatgpt'] as const) {
    it(`stops reading a runaway ${dialect} answer at the cap and fails the call saying so`, async () => {
      const server = await runawayServer(dialect);
      close = server.close;
      const call = callStructured({
        access: { baseURL: server.url, apiKey: 'sk-test-cap', defaultHeaders: {}, dialect },
        model: 'gpt-5',
        instructions: 'note',
        input: 'turn',
        schema: z.object({ summary: z.string() }),
        schemaName: 'turn_insight',
        maxAnswerBytes: CAP,
      });
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ModelCallError);
      expect((err as ModelCallError).failure).toBe('too_large');
      expect((err as ModelCallError).message).toMatch(/ran past 1048576 bytes/);
      // What was sent is what the socket buffers took past the cap, not the 200 MB offered.
      expect(server.sent()).toBeLessThan(OFFERED / 10);
    });
  }
});
