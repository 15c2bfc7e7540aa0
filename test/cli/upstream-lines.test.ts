import { describe, expect, it } from 'vitest';
import { upstreamLines } from '../../src/cli/upstream-lines.js';
import { resolveUpstreams } from '../../src/config/config.js';

const PROXY = 'http://127.0.0.1:8787/v1';

describe('kx start upstream lines', () => {
  it('prints one line per login when the two upstreams differ', () => {
    expect(upstreamLines(PROXY, resolveUpstreams(undefined, undefined))).toEqual([
      '  proxy:    http://127.0.0.1:8787/v1  →  https://api.openai.com/v1  (API key)',
      '                                      →  https://chatgpt.com/backend-api/codex  (ChatGPT login)',
    ]);
  });

  it('prints one line for both logins when only KX_UPSTREAM_BASE_URL is set', () => {
    expect(upstreamLines(PROXY, resolveUpstreams('https://gateway.example.com/v1', undefined))).toEqual([
      '  proxy:    http://127.0.0.1:8787/v1  →  https://gateway.example.com/v1  (API key and ChatGPT login; set KX_CHATGPT_BASE_URL to split them)',
    ]);
  });

  it('never prints credentials from a base URL', () => {
    expect(upstreamLines(PROXY, resolveUpstreams('https://user:s3cret@gateway.example.com/v1', undefined)).join('\n')).not.toContain('s3cret');
  });

  it('says ChatGPT-login requests get an error when KX_CHATGPT_BASE_URL is off', () => {
    expect(upstreamLines(PROXY, resolveUpstreams(undefined, 'off'))[1]).toContain('KX_CHATGPT_BASE_URL=off, those requests get an error');
  });
});
