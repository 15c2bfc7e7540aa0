// Gives the request hook what a request means, not just its bytes: the parsed Responses request and
// the session it belongs to, by the same identity rule capture uses (session-identity.ts). Requests
// that are not Responses calls (Chat Completions, odd frames) are forwarded without calling the hook.

import type { ParsedRequest } from '../protocol/items.js';
import { header, headerMeta, mergeMeta } from '../protocol/request-meta.js';
import { parseResponsesRequest } from '../protocol/responses-request.js';
import type { HookDecision, HookRequest, RequestHook } from '../proxy/request-hook.js';
import { cwdOfInput, decideProject, type ProjectChoice } from './project.js';
import { parseChatRequest } from '../protocol/chat-completions.js';
import { isInjectedText } from '../protocol/human-text.js';
import { chatClientFacts, isClientContext, ruleFor } from './client-rules.js';
import { identifySession, type SessionIdentity } from './session-identity.js';

export type Json = Record<string, unknown>;

export interface HookRequestWithFacts extends HookRequest {
  /** The body (or frame) as JSON. */
  json: Json;
  parsed: ParsedRequest;
  session: SessionIdentity;
  /** The request's project by the rule capture and the insight engine use (project.ts), known at its first request. */
  project: ProjectChoice;
  /** Chat Completions only: what the client table says (client-rules.ts), and how to tell its context from the human. */
  chat?: { background: boolean; isContext: (text: string) => boolean };
}

export type FactsHook = (req: HookRequestWithFacts) => Promise<HookDecision>;

const FORWARD: HookDecision = { action: 'forward' };

function parseJson(body: Buffer): Json | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

export function withRequestFacts(
  hook: FactsHook,
  sessionOfResponse: (responseId: string) => string | undefined,
  recordedProject: (sessionId: string) => string | undefined = () => undefined,
): RequestHook {
  // A WebSocket keeps the session its earlier frames had, as capture does, and the working directory
  // an earlier frame reported (a delta frame carries only what is new).
  const connectionSessions = new WeakMap<object, string>();
  const connectionCwds = new WeakMap<object, string>();
  return async (req) => {
    if (req.transport === 'http' && /\/chat\/completions$/.test(req.path.split('?')[0] ?? '')) return chatFacts(req, hook, sessionOfResponse, recordedProject);
    if (req.transport === 'http' && !/\/responses$/.test(req.path.split('?')[0] ?? '')) return FORWARD;
    const json = parseJson(req.body);
    if (!json || (req.transport === 'ws' && json.type !== 'response.create')) return FORWARD;
    let parsed: ParsedRequest;
    try {
      parsed = parseResponsesRequest(json);
    } catch {
      return FORWARD;
    }
    const fromHeaders = headerMeta(req.headers);
    if (req.transport === 'ws') {
      // The upgrade's turn facts are stale on WebSocket; each frame's own metadata wins (docs/protocol.md §7).
      const { turnId: _t, requestKind: _k, ...upgrade } = fromHeaders;
      parsed.meta = mergeMeta(parsed.meta, upgrade);
    } else parsed.meta = mergeMeta(fromHeaders, parsed.meta);
    const userAgent = header(req.headers, 'user-agent');
    const client = header(req.headers, 'originator') ?? userAgent?.split(/[ /]/)[0];
    const known = connectionSessions.get(req.connection);
    const session = identifySession(
      { transport: req.transport, request: parsed, ...(client ? { client } : {}), ...(userAgent ? { userAgent } : {}), ...(known ? { knownSession: known } : {}) },
      sessionOfResponse,
    );
    connectionSessions.set(req.connection, session.id);
    const cwd = cwdOfInput(parsed.input) ?? connectionCwds.get(req.connection);
    if (cwd) connectionCwds.set(req.connection, cwd);
    let recorded: string | undefined;
    if (!cwd) {
      try {
        recorded = recordedProject(session.id);
      } catch {
        recorded = undefined; // the store is unreadable: the client decides, and the request still goes
      }
    }
    const project = decideProject({ cwd, recorded, client: client ?? null });
    return hook({ ...req, json, parsed, session, project });
  };
}

/**
 * A Chat Completions request (opencode, Qwen Code, pi, any SDK agent): parsed and identified the way
 * capture does (recorder.ts), with the client table's session header, context and background calls.
 */
async function chatFacts(
  req: HookRequest,
  hook: FactsHook,
  sessionOfResponse: (responseId: string) => string | undefined,
  recordedProject: (sessionId: string) => string | undefined,
): Promise<HookDecision> {
  const json = parseJson(req.body);
  if (!json) return FORWARD;
  const byAgent = ruleFor(req.headers);
  const isContext = (text: string): boolean => isInjectedText(text) || isClientContext(byAgent, text);
  let parsed: ParsedRequest;
  try {
    parsed = parseChatRequest(json, (text) => isClientContext(byAgent, text));
  } catch {
    return FORWARD;
  }
  const facts = chatClientFacts(req.headers, parsed, json);
  const fromHeaders = headerMeta(req.headers);
  if (facts.sessionId && !fromHeaders.sessionId) fromHeaders.sessionId = facts.sessionId;
  parsed.meta = mergeMeta(fromHeaders, parsed.meta);
  const userAgent = header(req.headers, 'user-agent');
  const client = facts.client ?? header(req.headers, 'originator') ?? userAgent?.split(/[ /]/)[0];
  const session = identifySession({ transport: 'http', request: parsed, ...(client ? { client } : {}), ...(userAgent ? { userAgent } : {}) }, sessionOfResponse);
  // The client's own statement of its directory (a system prompt, a preamble), else what the store has.
  const cwd = cwdOfInput(parsed.input);
  let recorded: string | undefined;
  if (!cwd) {
    try {
      recorded = recordedProject(session.id);
    } catch {
      recorded = undefined;
    }
  }
  const project = decideProject({ cwd, recorded, client: client ?? null });
  return hook({ ...req, json, parsed, session, project, chat: { background: facts.background === true, isContext } });
}
