// Which project a session belongs to: the working directory Codex reports in <environment_context>
// (fixtures: test/fixtures/codex-0.169/http-sse/01-request.json), else the client. Gaps and the
// profile page are kept per project, so what one repository teaches does not leak into another.

import crypto from 'node:crypto';
import { cwdOfText } from '../capture/client-rules.js';

/** The working directory a client states in a context message or system prompt (every form: capture/client-rules.ts). */
export function cwdOfContext(text: string | undefined): string | undefined {
  return cwdOfText(text);
}

/** Items where clients state their working directory: context messages (Codex, Qwen Code) and system prompts (opencode, pi). */
export const statesCwd = (kind: string): boolean => kind === 'injected_context' || kind === 'instructions';

/** A readable, stable id: the path's last parts as a slug plus a short hash of the whole, e.g. `home-ana-shop-a1b2c3`. */
export function projectSlug(name: string): string {
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 6);
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const tail = words.length > 40 ? words.slice(-40).replace(/^-+/, '') : words;
  return `${tail || 'project'}-${hash}`;
}

/** The project of a session that never reported a working directory. */
export function clientProject(client: string | null | undefined): string {
  return client ? `client: ${client}` : 'unknown client';
}
