// The real Codex CLI through kx in learn mode: what the e2e learn tests share.

import { API_KEY, FIRST_PROMPT, FOLLOW_UP } from './codex-session.js';
import { codexHomeWithApiKey, EXEC_FLAGS, runCodex, type CodexRun } from '../helpers/codex-cli.js';
import { migrateAnswer } from '../support/learn-harness.js';

export { API_KEY, FIRST_PROMPT, FOLLOW_UP };
export const REWRITE = migrateAnswer(FIRST_PROMPT).rewritten;
/** Codex gives up on a silent stream after this long in these tests (docs/protocol.md §9.1). */
export const IDLE_MS = 1500;

/** A custom provider (so its idle timeout can be shortened), over HTTP+SSE or WebSocket. */
export function learnProvider(transport: 'http' | 'ws') {
  return (baseUrl: string): string[] => [
    '-c',
    `model_providers.kxlearn={ name = "kx-learn", base_url = ${JSON.stringify(baseUrl)}, env_key = "KX_E2E_KEY", wire_api = "responses", supports_websockets = ${transport === 'ws'}, stream_idle_timeout_ms = ${IDLE_MS}, stream_max_retries = 2 }`,
    '-c',
    'model_provider="kxlearn"',
  ];
}

export async function codexTurn(home: string, project: string, provider: string[], prompt: string, resume: boolean, timeoutMs = 60_000, interrupt?: AbortSignal): Promise<CodexRun> {
  return runCodex({
    ...(interrupt ? { interrupt } : {}),
    home,
    cwd: project,
    env: { KX_E2E_KEY: API_KEY },
    args: [...EXEC_FLAGS, ...provider, ...(resume ? ['resume', '--last'] : []), prompt],
    timeoutMs,
  });
}

export const newCodexHome = (): Promise<string> => codexHomeWithApiKey(API_KEY);

/** The model calls the upstream received, without the WebSocket prewarm (`generate: false`, no input). */
export const modelCalls = <R extends { body: unknown }>(requests: R[]): R[] => requests.filter((r) => (r.body as { generate?: boolean }).generate !== false);

/** Raw bodies (HTTP) or frames (WS) of those model calls, as text. */
export const upstreamTexts = (requests: Array<{ rawBody: Buffer; body: unknown }>): string[] => modelCalls(requests).map((r) => r.rawBody.toString('utf8'));
