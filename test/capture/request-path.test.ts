// A request's path is stored, so credentials a client puts in its query never reach the database.

import { afterEach, describe, expect, it } from 'vitest';
import { redactPath } from '../../src/capture/redact-path.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';

const KEY = ['sk-proj-', 'Qw3rTy8uIo1pAs5dFg7hJk9lZx2cVb4nM6_0123'].join('');

describe('stored request paths', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('stores ?api_key=… redacted and forwards the path untouched', async () => {
    h = await startHarness();
    const path = `/responses?api_key=${KEY}&stream=1`;
    await rawRequest(`${h.proxyBase}${path}`, { headers: { 'content-type': 'application/json', 'session-id': 'p' }, body: responsesBody('hi') });
    await h.kx.settle();
    expect(h.fake.requests.at(-1)!.path).toBe(`/v1${path}`);
    expect(h.kx.reader.getSession('p')!.requests[0]!.path).toBe('/v1/responses?api_key=[REDACTED]&stream=1');
    const everything = JSON.stringify(h.kx.store.db.prepare('SELECT * FROM requests').all());
    expect(everything).not.toContain(KEY.slice(8, 30));
  });

  it('redacts the values of credential-like parameters and keeps the rest', () => {
    for (const name of ['key', 'api_key', 'apikey', 'api-key', 'token', 'access_token', 'sig', 'signature', 'secret', 'client_secret', 'password', 'auth', 'X-Amz-Signature', 'my_token']) {
      expect(redactPath(`/v1/x?a=1&${name}=s3cr3tvalue&b=2`), name).toBe(`/v1/x?a=1&${name}=[REDACTED]&b=2`);
    }
    expect(redactPath('/v1/files?limit=10&after=file_1&model=gpt-5')).toBe('/v1/files?limit=10&after=file_1&model=gpt-5');
    expect(redactPath(`/v1/x?q=${KEY}`)).toBe('/v1/x?q=[REDACTED:api-key]');
  });
});
