// The CLI's client checks every answer against the same schema the API builds it from (src/contracts/).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, kxClient } from '../../src/cli/kx-client.js';
import { gapView } from '../../src/contracts/insight.js';
import { approvalList } from '../../src/contracts/learn.js';

let server: http.Server | undefined;

async function kxAnswering(status: number, body: unknown): Promise<string> {
  server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('the CLI client of the running kx', () => {
  it('refuses an answer that does not fit the contract, naming the route and the field', async () => {
    const url = await kxAnswering(200, { approvals: [{ id: 'a_1', status: 'pending' }] });
    const answer = kxClient(url, 'token').get('/api/approvals?status=pending', approvalList);
    await expect(answer).rejects.toThrow(CliError);
    await expect(answer).rejects.toThrow(/GET \/api\/approvals\?status=pending: .*answered in a shape this command does not know \(approvals\.0\.sessionId: Required\)/);
  });

  it('gives the answer it checked', async () => {
    const gap = {
      id: 'g_1', project: 'p', topic: 'react', question: 'what is useEffect?', evidence: 'asked twice', status: 'open', timesSeen: 1,
      firstSeen: { sessionId: 's', turnId: 't', at: '2026-12-01T00:00:00.000Z' }, lastSeen: { sessionId: 's', turnId: 't', at: '2026-12-01T00:00:00.000Z' }, resolved: null,
    };
    const url = await kxAnswering(200, gap);
    expect(await kxClient(url, 'token').post('/api/gaps/g_1', gapView, { status: 'open' })).toEqual(gap);
  });

  it("prints kx's own error message when kx refuses", async () => {
    const url = await kxAnswering(404, { error: { message: 'no such gap', type: 'not_found' } });
    await expect(kxClient(url, 'token').post('/api/gaps/g_x', gapView, { status: 'open' })).rejects.toThrow(/^no such gap$/);
  });
});
