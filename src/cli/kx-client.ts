// The running kx's API, for the commands people run in a terminal (kx sessions, end, gaps, summary,
// notes, mode, approve, team status): one client that checks every answer against the API's own schema
// and says every refusal in one line. Which kx, and with which token, is find-kx.ts's business.

import type { z } from 'zod';
import { apiErrorBody } from '../contracts/api-error.js';
import { termLine } from './terminal-text.js';

/** A mistake the person can fix: printed as one line, exit code 2. `status`: the HTTP status kx answered with, if it did. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface KxClient {
  /** The answer checked against `answer`, the schema the API builds it from: a mismatch is a CliError. */
  get<S extends z.ZodTypeAny>(path: string, answer: S): Promise<z.output<S>>;
  post<S extends z.ZodTypeAny>(path: string, answer: S, body?: unknown): Promise<z.output<S>>;
}

/** What to say when nothing answers, and when kx refuses the token: the caller knows which folder and URL were tried. */
export interface ClientWords {
  notAnswering?: () => string;
  unauthorized?: () => string;
}

/** What a command says when nothing answers at kx's address and nothing more is known. */
export const notAnswering = (baseUrl: string): string => `kx is not answering at ${baseUrl}; start it first with: kx start (or npm start in kx's folder)`;

/** kx's message, for a terminal: one line, without a "kx: " of its own (main.ts adds one). */
const refusal = (message: string): string => termLine(message).replace(/^kx: /, '');

/** A client for the kx at `baseUrl` (e.g. http://127.0.0.1:8787), authorised by the console token. */
export function kxClient(baseUrl: string, token: string, words: ClientWords = {}): KxClient {
  const call = async <S extends z.ZodTypeAny>(method: string, p: string, answer: S, body?: unknown): Promise<z.output<S>> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new CliError(words.notAnswering?.() ?? notAnswering(baseUrl));
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      if (res.status === 401 && words.unauthorized) throw new CliError(words.unauthorized(), 401);
      const error = apiErrorBody.safeParse(json);
      // The message may quote what was recorded (a session id): shown escaped, on one line.
      throw new CliError(error.success ? refusal(error.data.error.message) : `${method} ${p}: kx answered ${res.status}`, res.status);
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
