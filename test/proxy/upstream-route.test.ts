import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUpstreams } from '../../src/config/config.js';
import { upstreamUrl } from '../../src/proxy/forward-headers.js';
import { upstreamForHeaders, upstreamLabel } from '../../src/proxy/upstream-route.js';
import { FIXTURES, fixtureRequest } from '../support/fixtures.js';

function upgradeHeaders(dir: string, n: string): Record<string, string> {
  return (JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, `${n}-ws-upgrade.json`), 'utf8')) as { headers: Record<string, string> }).headers;
}

// Both base URLs distinct, as with no upstream setting at all.
const upstreams = resolveUpstreams(undefined, undefined);

describe('upstream route', () => {
  it('sends an API-key request over HTTP to KX_UPSTREAM_BASE_URL', () => {
    const route = upstreamForHeaders(upstreams, fixtureRequest('http-sse', '01').headers);
    expect(route.login).toBe('apikey');
    expect(route.base?.href).toBe('https://api.openai.com/v1');
  });

  it('sends an API-key WebSocket upgrade to KX_UPSTREAM_BASE_URL', () => {
    const route = upstreamForHeaders(upstreams, upgradeHeaders('websocket', '01'));
    expect(route.login).toBe('apikey');
    expect(route.base?.href).toBe('https://api.openai.com/v1');
  });

  it('sends a ChatGPT-login request over HTTP with a zstd body to KX_CHATGPT_BASE_URL', () => {
    const route = upstreamForHeaders(upstreams, fixtureRequest('chatgpt-auth-http-zstd', '18').headers);
    expect(route.login).toBe('chatgpt');
    expect(route.base?.href).toBe('https://chatgpt.com/backend-api/codex');
  });

  it('sends a ChatGPT-login WebSocket upgrade to KX_CHATGPT_BASE_URL', () => {
    const route = upstreamForHeaders(upstreams, upgradeHeaders('chatgpt-auth-ws', '13'));
    expect(route.login).toBe('chatgpt');
    expect(route.base?.href).toBe('https://chatgpt.com/backend-api/codex');
  });

  it('maps the client path onto the chosen upstream as before: /v1/responses → …/backend-api/codex/responses', () => {
    const route = upstreamForHeaders(upstreams, fixtureRequest('chatgpt-auth-http-zstd', '18').headers);
    expect(upstreamUrl(route.base!, '/v1/responses').href).toBe('https://chatgpt.com/backend-api/codex/responses');
  });

  it('treats an empty chatgpt-account-id as an API key', () => {
    expect(upstreamForHeaders(upstreams, { 'chatgpt-account-id': '' }).login).toBe('apikey');
  });

  it('has no upstream for a ChatGPT login when KX_CHATGPT_BASE_URL is off, and still routes API keys', () => {
    const off = resolveUpstreams(undefined, 'off');
    expect(upstreamForHeaders(off, upgradeHeaders('chatgpt-auth-ws', '13'))).toEqual({ login: 'chatgpt', base: null });
    expect(upstreamForHeaders(off, upgradeHeaders('websocket', '01')).base?.href).toBe('https://api.openai.com/v1');
  });
});

describe('upstream settings', () => {
  it('sends ChatGPT logins to chatgpt.com when neither base URL is set', () => {
    const u = resolveUpstreams(undefined, undefined);
    expect([u.upstreamBaseUrl.href, u.chatgptBaseUrl?.href]).toEqual(['https://api.openai.com/v1', 'https://chatgpt.com/backend-api/codex']);
  });

  it('sends every request to KX_UPSTREAM_BASE_URL when it is set alone (a gateway keeps one upstream)', () => {
    const u = resolveUpstreams('https://gateway.example.com/openai/v1', undefined);
    const route = upstreamForHeaders(u, fixtureRequest('chatgpt-auth-http-zstd', '18').headers);
    expect(route.base?.href).toBe('https://gateway.example.com/openai/v1');
  });

  it('uses KX_CHATGPT_BASE_URL for ChatGPT logins when both are set', () => {
    const u = resolveUpstreams('https://gateway.example.com/v1', 'http://127.0.0.1:9/backend-api/codex');
    expect(upstreamForHeaders(u, upgradeHeaders('chatgpt-auth-ws', '13')).base?.href).toBe('http://127.0.0.1:9/backend-api/codex');
    expect(upstreamForHeaders(u, upgradeHeaders('websocket', '01')).base?.href).toBe('https://gateway.example.com/v1');
  });
});

describe('upstream label', () => {
  it('keeps origin and path, and drops credentials, query and trailing slash', () => {
    expect(upstreamLabel(new URL('https://user:secret@gateway.example.com:8443/openai/v1/?api-version=2025&key=sk-x'))).toBe(
      'https://gateway.example.com:8443/openai/v1',
    );
  });
});
