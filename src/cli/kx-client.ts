// The running kx's API, for the commands people run in a terminal (kx end, gaps, summary, notes, mode,
// approve). Found the way `kx codex` finds kx: the proxy.env in kx's own folder and KX_* variables, with
// the console token (KX_UI_TOKEN, else documents/ui-token).

import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { kxUrl, readSettings } from '../config/config.js';
import { apiErrorBody } from '../contracts/api-error.js';
import { termLine } from './terminal-text.js';

/** A mistake the person can fix: printed as one line, exit code 2. */
export class CliError extends Error {}

export interface KxClient {
  /** The answer checked against `answer`, the schema the API builds it from: a mismatch is a CliError. */
  get<S extends z.ZodTypeAny>(path: string, answer: S): Promise<z.output<S>>;
  post<S extends z.ZodTypeAny>(path: string, answer: S, body?: unknown): Promise<z.output<S>>;
}

/** What every command says when nothing answers at kx's address. */
export const notAnswering = (baseUrl: string): string => `kx is not answering at ${baseUrl}; start it first with: kx start (or npm start in kx's folder)`;

/** A client for the kx at `baseUrl` (e.g. http://127.0.0.1:8787), authorised by the console token. */
export function kxClient(baseUrl: string, token: string): KxClient {
  const call = async <S extends z.ZodTypeAny>(method: string, p: string, answer: S, body?: unknown): Promise<z.output<S>> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new CliError(notAnswering(baseUrl));
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = apiErrorBody.safeParse(json);
      // The message may quote what was recorded (a session id): shown escaped, on one line.
      throw new CliError(error.success ? termLine(error.data.error.message) : `${method} ${p}: kx answered ${res.status}`);
    }
    const parsed = answer.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(
        `${method} ${p}: kx at ${baseUrl} answered in a shape this command does not know (${issue?.path.join('.') || 'the body'}: ${issue?.message ?? 'unreadable'}); is the running kx the same version as this command?`,
      );
    }
    return parsed.data;
  };
  return { get: (p, answer) => call('GET', p, answer), post: (p, answer, b) => call('POST', p, answer, b ?? {}) };
}

/** Where the kx that `npm start` in kx's folder (`packageRoot`) listens, and its console token. */
/** The URL that reaches the kx `npm start` in kx's folder (`packageRoot`) runs: a wildcard address is reached on loopback. */
export function kxBaseUrl(packageRoot: string, warn?: (line: string) => void): string {
  const { settings } = readSettings({ cwd: packageRoot, ...(warn ? { warn } : {}) });
  return kxUrl(settings.KX_HOST, settings.KX_PORT);
}

export function kxAddress(packageRoot: string, warn?: (line: string) => void): { baseUrl: string; token: string } {
  const { settings } = readSettings({ cwd: packageRoot, ...(warn ? { warn } : {}) });
  let token = settings.KX_UI_TOKEN;
  if (!token) {
    const file = path.join(path.resolve(packageRoot, settings.KX_DOCUMENTS_DIR), 'ui-token');
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch {
      throw new CliError(`no console token at ${file}: start kx once (kx start), or set KX_UI_TOKEN`);
    }
  }
  return { baseUrl: kxBaseUrl(packageRoot), token };
}

/** The kx that `npm start` in kx's folder (`packageRoot`) runs. */
export function runningKx(packageRoot: string, warn?: (line: string) => void): KxClient {
  const { baseUrl, token } = kxAddress(packageRoot, warn);
  return kxClient(baseUrl, token);
}
