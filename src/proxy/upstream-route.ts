// Which upstream a request belongs to, from its headers alone: a ChatGPT login carries
// `chatgpt-account-id` (docs/protocol.md §10; fixtures chatgpt-auth-*), an API key does not.
// Pure and cheap (one header lookup), so it runs on every request, HTTP and WebSocket alike.

import type { IncomingHttpHeaders } from 'node:http';

export type CodexLogin = 'apikey' | 'chatgpt';

/** The two base URLs (Config has both); `chatgptBaseUrl` is null when KX_CHATGPT_BASE_URL=off. */
export interface Upstreams {
  upstreamBaseUrl: URL;
  chatgptBaseUrl: URL | null;
}

export interface UpstreamRoute {
  login: CodexLogin;
  /** null: a ChatGPT login while ChatGPT traffic is off; answer with an error, never forward. */
  base: URL | null;
}

export function loginOfHeaders(headers: IncomingHttpHeaders): CodexLogin {
  const account = headers['chatgpt-account-id'];
  return (Array.isArray(account) ? account.length > 0 : Boolean(account)) ? 'chatgpt' : 'apikey';
}

/** The upstream base for a request's headers. Takes the Config itself (or any object with the two URLs). */
export function upstreamForHeaders(upstreams: Upstreams, headers: IncomingHttpHeaders): UpstreamRoute {
  if (loginOfHeaders(headers) === 'chatgpt') return { login: 'chatgpt', base: upstreams.chatgptBaseUrl };
  return { login: 'apikey', base: upstreams.upstreamBaseUrl };
}

/** What a request row keeps of its upstream: origin and path, never credentials or a query string. */
export function upstreamLabel(base: URL): string {
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
}

/**
 * The 4xx a ChatGPT-login request gets while KX_CHATGPT_BASE_URL=off: it names the setting to change.
 * 400, because Codex 0.169 shows it and ends the turn at once; it retries 403 and 421 five times first
 * (test/e2e/both-logins-one-kx.test.ts).
 */
export const CHATGPT_OFF_STATUS = 400;

export function chatgptOffBody(): string {
  return JSON.stringify({
    error: {
      message:
        'kx: this request comes from a ChatGPT login (it carries chatgpt-account-id), but KX_CHATGPT_BASE_URL is off. ' +
        'Set KX_CHATGPT_BASE_URL=https://chatgpt.com/backend-api/codex in proxy.env (or the environment) and restart kx, ' +
        'or log Codex in with an API key.',
      type: 'kx_chatgpt_upstream_off',
      code: 'chatgpt_upstream_off',
    },
  });
}
