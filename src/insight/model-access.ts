// Who kx's own model calls go to, with which credentials, and the one call that asks for a
// structured answer. Used by the insight engine and by learn mode's rewrite.
//
// Credentials: a configured key (KX_INSIGHT_API_KEY, else OPENAI_API_KEY) for KX_INSIGHT_BASE_URL
// first; else, when KX_INSIGHT_BASE_URL names a server of the person's choosing (a local model), that
// server with no key at all: what was meant to stay there never goes to the session's upstream. Only
// with neither are the session's own live credentials borrowed, in memory, for its own upstream. The ChatGPT backend takes only streamed, `store: false` requests with
// `instructions` (docs/protocol.md; PROTOCOL-NOTES §2, §10), so that dialect is spoken there.

import type { zodTextFormat as ZodTextFormat } from 'openai/helpers/zod';
import type { ZodType } from 'zod';
import type { InsightSettings } from '../config/config.js';
import type { CredentialVault } from './credentials.js';

export type Dialect = 'platform' | 'chatgpt';

export interface ModelAccess {
  baseURL: string;
  /** undefined: the call carries no Authorization header (a local server that takes no key). */
  apiKey: string | undefined;
  defaultHeaders: Record<string, string>;
  dialect: Dialect;
}

export function dialectOf(baseURL: string, accountId: string | undefined): Dialect {
  return accountId !== undefined || /\/backend-api\/codex\/?$/.test(new URL(baseURL).pathname) ? 'chatgpt' : 'platform';
}

type AccessSettings = Pick<InsightSettings, 'apiKey' | 'apiKeyFrom' | 'baseUrl' | 'ownBaseUrl'>;

/** Whether insight calls use the session's own credentials: only with no key and no server of the person's choosing. */
export const borrowsCredentials = (s: AccessSettings): boolean => !s.apiKey && !s.ownBaseUrl;

/** Where insight calls go, for the start banner: the URL and the key's variable (never the key), or the session's own. */
export function describeInsightAccess(s: AccessSettings): string {
  if (borrowsCredentials(s)) return 'each session’s own upstream, with its own credentials, held in memory only';
  return `${s.baseUrl.href.replace(/\/+$/, '')}, ${s.apiKey ? `with ${s.apiKeyFrom ?? 'a key'}` : 'no key'}`;
}

export class ModelAccessResolver {
  constructor(
    private readonly settings: AccessSettings,
    private readonly vault: CredentialVault,
  ) {}

  resolve(sessionId?: string): ModelAccess | undefined {
    if (!borrowsCredentials(this.settings)) {
      const baseURL = this.settings.baseUrl.href.replace(/\/+$/, '');
      return { baseURL, apiKey: this.settings.apiKey, defaultHeaders: {}, dialect: dialectOf(baseURL, undefined) };
    }
    const borrowed = this.vault.forSession(sessionId);
    if (!borrowed) return undefined;
    return {
      baseURL: borrowed.baseURL,
      apiKey: borrowed.token,
      defaultHeaders: borrowed.accountId ? { 'chatgpt-account-id': borrowed.accountId } : {},
      dialect: dialectOf(borrowed.baseURL, borrowed.accountId),
    };
  }

  /** Why there is no access, for the status line and the API (never the key itself). */
  get waitingReason(): string {
    return 'no KX_INSIGHT_API_KEY or OPENAI_API_KEY set, and no live session traffic to borrow credentials from yet';
  }
}

export type CallFailure =
  | 'rate_limited' // 429: retry after `retryAfterMs` when the server said
  | 'server' // 5xx
  | 'timeout'
  | 'cut' // the stream ended before the response completed, or the connection dropped
  | 'invalid_output' // the answer did not match the schema
  | 'auth' // 401/403: the key is wrong or expired
  | 'refused' // any other 4xx: retrying will not help
  | 'too_large'; // the answer ran past MAX_ANSWER_BYTES: a broken server, not a note

export class ModelCallError extends Error {
  constructor(
    readonly failure: CallFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface StructuredCall<T> {
  access: ModelAccess;
  model: string;
  instructions: string;
  input: string;
  schema: ZodType<T>;
  schemaName: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Most bytes read of the answer; MAX_ANSWER_BYTES unless a test says otherwise. */
  maxAnswerBytes?: number;
}

/**
 * A note or a summary is a few kilobytes; a local model server gone wrong once answered 200 MB, and
 * reading it whole took the process down. Past this the call fails and the rest is never read.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** `fetch` whose answer bodies stop at `max` bytes, with `tooLarge()` telling whether one did. */
function cappedFetch(max: number): { fetch: typeof fetch; tooLarge: () => boolean } {
  let over = false;
  const capped: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    let seen = 0;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, ctl) {
          seen += chunk.byteLength;
          if (seen <= max) return ctl.enqueue(chunk);
          over = true;
          ctl.error(new Error(`the answer ran past ${max} bytes`));
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { fetch: capped, tooLarge: () => over };
}

export interface StructuredAnswer<T> {
  output: T;
  usage: { input: number; output: number };
}

/** `retry-after` in seconds or as an HTTP date; `retry-after-ms` when the server sends it. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// The SDK is loaded at the first call: `kx start` answers sooner, and kx's other commands never need it.
type Sdk = { openai: typeof import('openai'); zodTextFormat: typeof ZodTextFormat };
let sdk: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdk ??= Promise.all([import('openai'), import('openai/helpers/zod')]).then(([openai, helpers]) => ({ openai, zodTextFormat: helpers.zodTextFormat })));

function classify(err: unknown, { APIConnectionTimeoutError, APIUserAbortError, APIError }: Sdk['openai']): ModelCallError {
  if (err instanceof ModelCallError) return err;
  if (err instanceof APIConnectionTimeoutError) return new ModelCallError('timeout', 'the model call timed out');
  if (err instanceof APIUserAbortError) return new ModelCallError('timeout', 'the model call was aborted');
  if (err instanceof APIError && err.status !== undefined) {
    const message = `${err.status}: ${err.message}`;
    if (err.status === 429) return new ModelCallError('rate_limited', message, retryAfterMs(err.headers));
    if (err.status >= 500) return new ModelCallError('server', message, retryAfterMs(err.headers));
    if (err.status === 401 || err.status === 403) return new ModelCallError('auth', message);
    return new ModelCallError('refused', message);
  }
  // A connection error or a stream that broke mid-way.
  return new ModelCallError('cut', (err as Error)?.message ?? String(err));
}

function parseAnswer<T>(text: string, schema: ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelCallError('invalid_output', `the answer is not JSON: ${text.slice(0, 120)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelCallError('invalid_output', `the answer does not match the schema: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

type ResponseLike = { status?: string | null; output_text?: string; output?: unknown[]; usage?: { input_tokens?: number; output_tokens?: number } | null };

function outputText(response: ResponseLike): string {
  if (typeof response.output_text === 'string' && response.output_text) return response.output_text;
  const parts: string[] = [];
  for (const item of (response.output ?? []) as Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>) {
    if (item.type !== 'message') continue;
    for (const c of item.content ?? []) if (c.type === 'output_text' && typeof c.text === 'string') parts.push(c.text);
  }
  return parts.join('');
}

type TextFormat = ReturnType<typeof ZodTextFormat>;
const formats = new WeakMap<ZodType, Map<string, TextFormat>>();

/** The schema as JSON Schema, converted once per schema and name: the conversion was 6 % of the engine's CPU per job. */
function textFormat<T>(convert: Sdk['zodTextFormat'], schema: ZodType<T>, name: string): TextFormat {
  let byName = formats.get(schema);
  if (!byName) formats.set(schema, (byName = new Map()));
  let format = byName.get(name);
  if (!format) byName.set(name, (format = convert(schema as ZodType<T> & Parameters<typeof convert>[0], name)));
  return format;
}

/** One structured call in the dialect the access speaks. Throws a ModelCallError saying what failed. */
export async function callStructured<T>(call: StructuredCall<T>): Promise<StructuredAnswer<T>> {
  const { openai, zodTextFormat } = await loadSdk();
  const max = call.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const capped = cappedFetch(max);
  const client = new openai.default({
    fetch: capped.fetch,
    // The SDK wants a key; without one, the header that would carry it is left out altogether.
    apiKey: call.access.apiKey ?? 'no-key',
    baseURL: call.access.baseURL,
    defaultHeaders: call.access.apiKey === undefined ? { ...call.access.defaultHeaders, authorization: null } : call.access.defaultHeaders,
    maxRetries: 0, // the durable queue retries, with backoff that honours retry-after
    timeout: call.timeoutMs ?? 120_000,
  });
  const format = textFormat(zodTextFormat, call.schema, call.schemaName);
  const body = {
    model: call.model,
    instructions: call.instructions,
    input: [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: call.input }] }],
    text: { format: { type: format.type, name: format.name, schema: format.schema, strict: format.strict } },
    store: false,
  };
  let response: ResponseLike;
  try {
    if (call.access.dialect === 'chatgpt') {
      const stream = await client.responses.create({ ...body, stream: true }, { signal: call.signal });
      let done: ResponseLike | undefined;
      for await (const event of stream) {
        if (event.type === 'response.completed') done = event.response as ResponseLike;
        if (event.type === 'response.failed') throw new ModelCallError('server', `response.failed: ${JSON.stringify(event.response.error ?? {})}`);
      }
      if (!done) throw new ModelCallError('cut', 'the stream ended before response.completed');
      response = done;
    } else {
      response = (await client.responses.create(body, { signal: call.signal })) as ResponseLike;
    }
  } catch (err) {
    if (capped.tooLarge()) throw new ModelCallError('too_large', `the model's answer ran past ${max} bytes; kx stopped reading it (is the model server at ${call.access.baseURL} working?)`);
    throw classify(err, openai);
  }
  if (response.status && response.status !== 'completed') throw new ModelCallError('cut', `the response ended ${response.status}`);
  const usage = { input: response.usage?.input_tokens ?? 0, output: response.usage?.output_tokens ?? 0 };
  try {
    return { output: parseAnswer(outputText(response), call.schema), usage };
  } catch (err) {
    // Tokens were spent all the same; the caller records them on the job.
    if (err instanceof ModelCallError) Object.assign(err, { usage });
    throw err;
  }
}
