// What a turn's status says after each way its last request can end.

import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';

const headers = (session: string) => ({ 'content-type': 'application/json', 'session-id': session });
const turnStatuses = (h: Harness, session: string) => h.kx.reader.getSession(session)!.turns.map((t) => t.status);

describe('turn status', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('is failed when the response failed and nothing retried it', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'response-failed', code: 'server_error', message: 'boom' });
    await rawRequest(`${h.proxyBase}/responses`, { headers: headers('ts-failed'), body: responsesBody('hello') });
    await h.kx.settle();
    expect(turnStatuses(h, 'ts-failed')).toEqual(['failed']);
  });

  it('is completed when a retry of the failed request succeeds', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'response-failed' });
    const body = responsesBody('hello');
    await rawRequest(`${h.proxyBase}/responses`, { headers: headers('ts-retry'), body });
    await rawRequest(`${h.proxyBase}/responses`, { headers: headers('ts-retry'), body });
    await h.kx.settle();
    expect(turnStatuses(h, 'ts-retry')).toEqual(['completed']);
  });

  it('is open again while a retried turn goes on with a tool call', async () => {
    h = await startHarness();
    h.fake.enqueue({ kind: 'http-error', status: 500, body: { error: { message: 'try again' } } });
    const body = responsesBody('list the files');
    await rawRequest(`${h.proxyBase}/responses`, { headers: headers('ts-open'), body });
    await h.kx.settle();
    expect(turnStatuses(h, 'ts-open')).toEqual(['failed']);
    await rawRequest(`${h.proxyBase}/responses`, { headers: headers('ts-open'), body });
    await h.kx.settle();
    expect(turnStatuses(h, 'ts-open')).toEqual(['open']);
  });

  it('is interrupted when the client went away mid-answer', async () => {
    h = await startHarness();
    let release!: () => void;
    h.fake.enqueue({ kind: 'stall', afterEvents: 2, ms: 0, release: new Promise<void>((r) => (release = r)) });
    await new Promise<void>((resolve) => {
      const req = http.request(`${h.proxyBase}/responses`, { method: 'POST', headers: headers('ts-gone') }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
        res.on('error', () => {});
      });
      req.on('error', () => {});
      req.end(responsesBody('hello'));
    });
    // kx passes the hang-up on upstream: wait for it there, not for a guessed time.
    await vi.waitFor(() => expect(h.fake.responsesClosedEarly).toBe(1), { timeout: 5_000, interval: 10 });
    release();
    await h.kx.settle();
    expect(h.kx.reader.getSession('ts-gone')!.requests[0]!.outcome).toBe('aborted');
    expect(turnStatuses(h, 'ts-gone')).toEqual(['interrupted']);
  });
});

describe('what counts as a model call', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('records only POSTs to a model path: a PUT there is forwarded but starts no session', async () => {
    h = await startHarness();
    const res = await rawRequest(`${h.proxyBase}/responses`, { method: 'PUT', headers: headers('ts-put'), body: responsesBody('not a model call') });
    expect(res.status).toBe(404);
    await h.kx.settle();
    expect(h.kx.reader.listSessions(10)).toEqual([]);
  });
});
