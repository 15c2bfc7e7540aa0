// The Codex overrides that point a user's Codex at kx, per auth mode (docs/protocol.md §1, §10).
// Codex (0.169 and 0.171) ignores OPENAI_BASE_URL, so these go on the command line as -c overrides.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type CodexAuthMode = 'apikey' | 'chatgpt';

/** Reads only `auth_mode` from Codex's auth.json; tokens are never read into kx. */
export function detectCodexAuthMode(env: NodeJS.ProcessEnv): CodexAuthMode {
  if (env.CODEX_API_KEY) return 'apikey';
  const home = env.CODEX_HOME ?? path.join(os.homedir(), '.codex');
  try {
    const text = fs.readFileSync(path.join(home, 'auth.json'), 'utf8');
    const mode = /"auth_mode"\s*:\s*"([^"]+)"/.exec(text)?.[1]?.toLowerCase();
    if (mode === 'chatgpt' || mode === 'chatgptauthtokens') return 'chatgpt';
  } catch {
    // not logged in yet: Codex will say so itself
  }
  return 'apikey';
}

export function codexOverrides(mode: CodexAuthMode, proxyBaseUrl: string): string[] {
  if (mode === 'apikey') return ['-c', `openai_base_url=${JSON.stringify(proxyBaseUrl)}`];
  // ChatGPT login: the built-in provider would route model calls to a discovered HTTPS origin, so a
  // custom provider that reuses Codex's login sends them to kx, which sees chatgpt-account-id and
  // forwards them to KX_CHATGPT_BASE_URL (src/proxy/upstream-route.ts). No kx setting is needed.
  return [
    '-c',
    `model_providers.kx={ name = "kx", base_url = ${JSON.stringify(proxyBaseUrl)}, wire_api = "responses", requires_openai_auth = true, supports_websockets = true }`,
    '-c',
    'model_provider="kx"',
  ];
}

/** The exact line to print for people who run Codex themselves. */
export function codexCommandLine(mode: CodexAuthMode, proxyBaseUrl: string): string {
  return ['codex', ...codexOverrides(mode, proxyBaseUrl).map((a) => (a === '-c' ? a : `'${a}'`))].join(' ');
}
