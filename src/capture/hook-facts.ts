// Gives the request hook what a request means, not just its bytes: the parsed Responses request and
// the session and project it belongs to, worked out by describe-request.ts as capture does. Requests
// that are neither Responses nor Chat Completions calls (odd frames) are forwarded without calling the hook.

import type { ParsedRequest } from '../protocol/items.js';
import { parseResponsesRequest } from '../protocol/responses-request.js';
import type { HookDecision, HookRequest, RequestHook } from '../proxy/request-hook.js';
import type { ProjectChoice } from './project.js';
import { isInjectedText } from '../protocol/human-text.js';
import { isClientContext } from './client-rules.js';
import type { FingerprintLookup, SessionIdentity } from './session-identity.js';
import { headerMeta } from '../protocol/request-meta.js';
import { describeParsed, parseChat, parseResponses, projectOf, remember, type ConnectionMemory, type DescribeInput } from './describe-request.js';
import { isObject, parseJson, type Json } from '../protocol/json-guards.js';

export interface HookRequestWithFacts extends HookRequest {
  /** The body (or frame) as JSON. */
  json: Json;
  parsed: ParsedRequest;
  session: SessionIdentity;
  /** The request's project by the rule capture and the insight engine use (project.ts), known at its first request. */
  project: ProjectChoice;
  /** The client's background work (client-rules.ts): never a human turn. */
  background: boolean;
  /** Chat Completions only: what the client table says (client-rules.ts), and how to tell its context from the human. */
  chat?: { background: boolean; isContext: (text: string) => boolean };
}

export type FactsHook = (req: HookRequestWithFacts) => Promise<HookDecision>;

const FORWARD: HookDecision = { action: 'forward' };

function parseObject(body: Buffer): Json | undefined {
  const v = parseJson(body.toString('utf8'));
  return isObject(v) ? v : undefined;
}

/** What capture knows of fingerprinted conversations (session-identity.ts), once it has filed what came before. */
export interface HookFingerprints extends FingerprintLookup {
  /** Resolves once capture has filed the traffic so far (the answer a follow-up resends must be known). */
  settled(): Promise<void>;
}

/** The fingerprint lookup of a running capture, for the hook: the same rule, the same memory. */
export function captureFingerprints(recorder: { tracker: FingerprintLookup; queueDrained(): Promise<void> }): HookFingerprints {
  return { answersOf: (id) => recorder.tracker.answersOf(id), settled: () => recorder.queueDrained() };
}

export function withRequestFacts(
  hook: FactsHook,
  sessionOfResponse: (responseId: string) => string | undefined,
  recordedProject: (sessionId: string) => string | undefined = () => undefined,
  /** The id the store gives a project of this name (a folder first seen under an older rule keeps its id). */
  storedProject: (name: string) => string | undefined = () => undefined,
  /** Capture's lookup, so a request with no session id is named as capture names it (without it: the first human message alone). */
  fingerprints?: HookFingerprints,
): RequestHook {
  // One memory per WebSocket (describe-request.ts); an HTTP request's connection object is fresh.
  const memories = new WeakMap<object, ConnectionMemory>();
  return async (req) => {
    const path = req.path.split('?')[0] ?? '';
    const chat = req.transport === 'http' && /\/chat\/completions$/.test(path);
    if (req.transport === 'http' && !chat && !/\/responses$/.test(path)) return FORWARD;
    const json = parseObject(req.body);
    if (!json || (req.transport === 'ws' && json.type !== 'response.create')) return FORWARD;
    let input: DescribeInput;
    let isContext = (text: string): boolean => isInjectedText(text);
    try {
      if (chat) {
        const { parsed, facts, byAgent } = parseChat(req.headers, json, json.messages);
        input = { transport: 'http', headers: req.headers, parsed, rules: facts };
        isContext = (text) => isInjectedText(text) || isClientContext(byAgent, text);
      } else if (req.transport === 'http') {
        const { parsed, facts } = parseResponses(req.headers, { ...json, input: Array.isArray(json.input) ? [] : json.input }, Array.isArray(json.input) ? json.input : []);
        input = { transport: 'http', headers: req.headers, parsed, rules: facts };
      } else input = { transport: req.transport, headers: req.headers, parsed: parseResponsesRequest(json) };
    } catch {
      return FORWARD;
    }
    let memory = memories.get(req.connection);
    if (!memory) memories.set(req.connection, (memory = {}));
    // With no session id, the conversation is known by the last answer it resends: wait until capture filed it.
    if (fingerprints && !input.parsed.meta.sessionId && !input.rules?.sessionId && !headerMeta(req.headers).sessionId) await fingerprints.settled();
    const described = describeParsed(input, memory, sessionOfResponse, fingerprints);
    remember(memory, described);
    const { parsed, session } = described;
    const project = projectOf(described, recordedProject, storedProject);
    const background = described.rules?.background === true;
    if (!chat) return hook({ ...req, json, parsed, session, project, background });
    return hook({ ...req, json, parsed, session, project, background, chat: { background, isContext } });
  };
}
