// What a request means, worked out once for learn mode's hook (hook-facts.ts) and for capture
// (recorder.ts): its metadata (headers and body merged by transport), the client, the session and the
// working directory. Pure over a small per-connection memory, so the hook and capture, each keeping
// its own memory of the same socket, name the same session and project for the same frame
// (test/capture/describe-request.test.ts). How the body is parsed stays with each caller: capture
// parses only the new items of a resent history (input-delta.ts), the hook the whole body.

import type { ParsedRequest } from '../protocol/items.js';
import { header, headerMeta, mergeMeta, type HeaderBag } from '../protocol/request-meta.js';
import { parseChatRequest } from '../protocol/chat-completions.js';
import { parseResponsesInput, parseResponsesRequest } from '../protocol/responses-request.js';
import { clientFacts, isClientContext, ruleFor, type ClientFacts, type ClientRule } from './client-rules.js';
import { cwdOfInput, decideProject, type ProjectChoice } from './project.js';
import { identifySession, type FingerprintLookup, type SessionIdentity } from './session-identity.js';
import type { Json } from '../protocol/json-guards.js';

/**
 * What one connection's earlier requests said: a WebSocket keeps the session its earlier frames had,
 * and the working directory an earlier frame reported (a delta frame carries only what is new). An
 * HTTP request starts with an empty one, or (capture) the session of the history prefix it resends.
 */
export interface ConnectionMemory {
  session?: string;
  cwd?: string;
}

export interface RequestDescription {
  transport: 'http' | 'ws';
  /** The parsed request, its meta merged from the headers and the body by the transport's rule. */
  parsed: ParsedRequest;
  /** The client's name: the client table's row, else the originator header, else the user agent's first word. */
  client?: string;
  userAgent?: string;
  session: SessionIdentity;
  /** The working directory this request reports, or an earlier request of its connection did. */
  cwd?: string;
  /** What the client table says of the request (HTTP). */
  rules?: ClientFacts;
}

export interface DescribeInput {
  transport: 'http' | 'ws';
  headers: HeaderBag;
  /** As parsed from the body: its meta not yet merged with the headers. */
  parsed: ParsedRequest;
  /** What the client table says of the request (client-rules.ts; HTTP only). */
  rules?: ClientFacts;
}

/** The meaning of a parsed request, given what its connection said before. Does not change `memory`. */
export function describeParsed(
  input: DescribeInput,
  memory: Readonly<ConnectionMemory>,
  sessionOfResponse: (responseId: string) => string | undefined,
  fingerprints?: FingerprintLookup,
): RequestDescription {
  const { transport, headers, parsed, rules } = input;
  const fromHeaders = headerMeta(headers);
  if (transport === 'ws') {
    // The upgrade's turn facts are stale on WebSocket; each frame's own metadata wins (docs/protocol.md §7).
    const { turnId: _t, requestKind: _k, ...upgrade } = fromHeaders;
    parsed.meta = mergeMeta(parsed.meta, upgrade);
  } else {
    if (rules?.sessionId && !fromHeaders.sessionId) fromHeaders.sessionId = rules.sessionId;
    parsed.meta = mergeMeta(fromHeaders, parsed.meta);
  }
  const userAgent = header(headers, 'user-agent');
  const client = rules?.client ?? header(headers, 'originator') ?? userAgent?.split(/[ /]/)[0];
  const session = identifySession(
    { transport, request: parsed, ...(client ? { client } : {}), ...(userAgent ? { userAgent } : {}), ...(memory.session ? { knownSession: memory.session } : {}) },
    sessionOfResponse,
    fingerprints,
  );
  const cwd = cwdOfInput(parsed.input, rules?.prefilledContext === true) ?? memory.cwd;
  return { transport, parsed, ...(client ? { client } : {}), ...(userAgent ? { userAgent } : {}), session, ...(cwd ? { cwd } : {}), ...(rules ? { rules } : {}) };
}

/** What the connection remembers after this request (called once the caller has acted on it). */
export function remember(memory: ConnectionMemory, d: RequestDescription): void {
  memory.session = d.session.id;
  if (d.cwd) memory.cwd = d.cwd;
}

/** The request's project (project.ts): its working directory, else the one the store records for the session, else the client. */
export function projectOf(
  d: RequestDescription,
  recordedProject: (sessionId: string) => string | undefined,
  storedProject: (name: string) => string | undefined = () => undefined,
): ProjectChoice {
  let recorded: string | undefined;
  if (!d.cwd) {
    try {
      recorded = recordedProject(d.session.id);
    } catch {
      recorded = undefined; // the store is unreadable: the client decides, and the request still goes
    }
  }
  // A folder the store already knows keeps the id it was given, as capture's commit hook does.
  const storedId = (name: string): string | undefined => {
    try {
      return storedProject(name);
    } catch {
      return undefined;
    }
  };
  return decideProject({ cwd: d.cwd, recorded, client: d.client ?? null, storedId });
}

/** A Chat Completions body parsed with the client table's context rule (by the headers' row), and the table's facts about it. */
export function parseChat(headers: HeaderBag, top: Json, messages: unknown): { parsed: ParsedRequest; facts: ClientFacts; byAgent: ClientRule | undefined } {
  const byAgent = ruleFor(headers);
  const parsed = parseChatRequest({ ...top, messages }, (text) => isClientContext(byAgent, text));
  return { parsed, facts: clientFacts(headers, parsed, top), byAgent };
}

/** A Responses body over HTTP parsed, with the client table's facts about it. */
export function parseResponses(headers: HeaderBag, top: Json, newItems: unknown[]): { parsed: ParsedRequest; facts: ClientFacts } {
  // `top` keeps a plain-string input (the SDK's `input: "hello"`); an input array's items are in newItems.
  const parsed = parseResponsesRequest(top);
  parsed.input.push(...parseResponsesInput(newItems));
  return { parsed, facts: clientFacts(headers, parsed, top) };
}

/** A WebSocket client frame as a Responses request; throws (with why) for anything else. */
export function parseWsFrame(data: string): ParsedRequest {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    throw new Error('client WebSocket frame is not JSON');
  }
  const type = typeof body === 'object' && body !== null ? (body as Json).type : undefined;
  if (type !== 'response.create') throw new Error(`unknown client frame type: ${String(type)}`);
  return parseResponsesRequest(body);
}

export type ModelApi = 'responses' | 'chat';

/** The model API a request calls, if any: only a POST to a model path is a model call. */
export function apiOfPath(path: string, method: string): ModelApi | undefined {
  if (method !== 'POST') return undefined;
  const p = path.split('?')[0] ?? '';
  if (/\/responses$/.test(p)) return 'responses';
  if (/\/chat\/completions$/.test(p)) return 'chat';
  return undefined;
}
