import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/protocol/body-encoding.js';
import { fixtureBytes, fixtureRequest } from '../support/fixtures.js';

describe('request body decoding', () => {
  it('decodes the zstd body Codex sends on ChatGPT login', () => {
    const raw = fixtureBytes('chatgpt-auth-http-zstd', '18-request.body.zst');
    const decoded = JSON.parse(decodeBody(raw, 'zstd').toString('utf8'));
    expect(decoded).toEqual(fixtureRequest('chatgpt-auth-http-zstd', '18').body);
  });

  it('decodes gzip and leaves identity bodies alone', () => {
    const body = Buffer.from('{"a":1}');
    expect(decodeBody(zlib.gzipSync(body), 'gzip')).toEqual(body);
    expect(decodeBody(body, undefined)).toBe(body);
  });

  it('names an encoding it cannot decode', () => {
    expect(() => decodeBody(Buffer.from('x'), 'compress')).toThrow(/unsupported content-encoding: compress/);
  });
});
