// What `kx start` prints about where requests go: one line per upstream, each saying whose requests.

import type { Config } from '../config/config.js';
import { upstreamLabel } from '../proxy/upstream-route.js';

export function upstreamLines(proxy: string, config: Pick<Config, 'upstreamBaseUrl' | 'chatgptBaseUrl'>): string[] {
  const head = `  proxy:    ${proxy}  →  `;
  const indent = ' '.repeat(head.length - 3) + '→  ';
  // Labels, not hrefs: a base URL may carry credentials.
  const api = upstreamLabel(config.upstreamBaseUrl);
  const chatgpt = config.chatgptBaseUrl ? upstreamLabel(config.chatgptBaseUrl) : undefined;
  if (chatgpt === api) return [`${head}${api}  (API key and ChatGPT login; set KX_CHATGPT_BASE_URL to split them)`];
  return [
    `${head}${api}  (API key)`,
    chatgpt === undefined
      ? `${indent}none for ChatGPT login: KX_CHATGPT_BASE_URL=off, those requests get an error`
      : `${indent}${chatgpt}  (ChatGPT login)`,
  ];
}
