// What /v1 refuses before anything is forwarded or recorded: requests from web pages (any page in
// the person's browser can POST a text/plain body to 127.0.0.1) and paths that climb above /v1.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';

/** A request whose path goes out exactly as written (no URL parsing on the client side). */
function rawPath(base: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/v1 and web pages', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const post = (headers: Record<string, string>) =>
    rawRequest(`${h.proxyBase}/responses`, { headers: { 'content-type': 'text/plain', 'session-id': 'planted', ...headers }, body: responsesBody('planted message') });

  it('refuses a POST from a cross-site web page with a 403 JSON error, forwarding and recording nothing', async () => {
    h = await startHarness();
    for (const headers of <Array<Record<string, string>>>[{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'http://127.0.0.1.evil.example:8787' }]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(res.body.toString()).error.type).toBe('forbidden_origin');
    }
    await h.kx.settle();
    expect(h.fake.requests).toHaveLength(0);
    expect(h.kx.reader.listSessions(10)).toHaveLength(0);
  });

  it('refuses a WebSocket upgrade from a cross-site web page', async () => {
    h = await startHarness();
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${h.proxyBase.replace(/^http/, 'ws')}/responses`, { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
    expect(h.fake.wsConnections).toBe(0);
  });

  it('serves agents (no Origin) and pages on loopback origins', async () => {
    h = await startHarness();
    for (const headers of <Array<Record<string, string>>>[{}, { origin: 'http://127.0.0.1:3000' }, { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' }, { origin: 'http://[::1]:8080' }]) {
      expect((await post(headers)).status, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('/v1 paths', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('forwards the path as the client sent it, dot-segments and escapes included', async () => {
    h = await startHarness();
    await rawPath(h.kx.url, '/v1/files/a%20b/%2e%2e/x');
    await rawPath(h.kx.url, '/v1/models/./gpt-5');
    expect(h.fake.requests.map((r) => r.path)).toEqual(['/v1/files/a%20b/%2e%2e/x', '/v1/models/./gpt-5']);
  });

  it('refuses with 400 JSON a path whose dot-segments climb above /v1, forwarding nothing', async () => {
    h = await startHarness();
    for (const path of ['/v1/../../etc/passwd', '/v1/..', '/v1/%2e%2e/x', '/v1/a/%2E%2E/..%2fb', '/v1/a/..\\..\\b']) {
      const res = await rawPath(h.kx.url, path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body).error.type).toBe('invalid_path');
    }
    expect(h.fake.requests).toHaveLength(0);
  });

  it('answers a 70 KB URL with 431, as the upstream does', async () => {
    h = await startHarness();
    const statusOf = (url: string) =>
      new Promise<string>((resolve, reject) => {
        const { hostname, port } = new URL(url);
        const s = net.connect(Number(port), hostname, () => s.write(`GET /v1/models?q=${'a'.repeat(70 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
        s.on('error', reject);
      });
    const direct = await statusOf(h.fake.url);
    expect(direct).toMatch(/^HTTP\/1\.1 431/);
    expect(await statusOf(h.kx.url)).toMatch(/^HTTP\/1\.1 431/);
  });
});
