// The JSON the console reads from kx: the session list, one session, search. Checked by the ui and the CLI
// with these schemas, produced by the store and sent by src/api/. Imports only zod: the ui compiles it
// without Node.

import { z } from 'zod';
import { turnStatus } from './live-events.js';
import { memoryLookups } from './mcp.js';

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

export const usageView = z.object({
  inputTokens: z.number(),
  cachedTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  totalTokens: z.number(),
});

/** live: traffic in the last few minutes; ended: ended or quiet since; imported: brought in from a client's own logs. */
export const sessionStatus = z.enum(['live', 'idle', 'ended', 'imported']);
export type SessionStatus = z.infer<typeof sessionStatus>;

export const sessionListItem = z.object({
  id: z.string(),
  /** The first human message, cut to 300 characters; null before the human has said anything. */
  title: nullableString,
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  durationMs: z.number(),
  turnCount: z.number(),
  requestCount: z.number(),
  usage: usageView,
  status: sessionStatus,
  /** Tokens the insight engine spent on this session; present once the insight engine is installed. */
  insightTokens: z.object({ input: z.number(), output: z.number() }).optional(),
  /** Open gaps last seen in this session (present once the insight engine keeps gaps). */
  openGaps: z.number().optional(),
  /** Present once the insight engine records projects. */
  project: nullableString,
  endedAt: nullableString,
  memoryLookups: memoryLookups.optional(),
});
export type SessionListItem = z.infer<typeof sessionListItem>;

/** GET /api/sessions?limit=&cursor=&client=&project=&from=&to= */
export const sessionPageView = z.object({
  sessions: z.array(sessionListItem),
  /** Sessions matching the filters, over all pages. */
  total: z.number(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: nullableString,
  /** Every client seen, for the filter. */
  clients: z.array(z.string()),
});
export type SessionPageView = z.infer<typeof sessionPageView>;

export const itemView = z.object({
  id: z.string(),
  seq: z.number(),
  turnId: nullableString,
  requestId: z.string(),
  direction: z.string(),
  kind: z.string(),
  itemType: z.string(),
  role: nullableString,
  protocolId: nullableString,
  callId: nullableString,
  toolName: nullableString,
  text: nullableString,
  arguments: nullableString,
  output: nullableString,
  status: nullableString,
  detail: z.unknown(),
  createdAt: z.string(),
});
export type ItemView = z.infer<typeof itemView>;

export const turnView = z.object({
  id: z.string(),
  seq: z.number(),
  clientTurnId: nullableString,
  startedAt: z.string(),
  endedAt: nullableString,
  status: turnStatus,
  items: z.array(itemView),
});
export type TurnView = z.infer<typeof turnView>;

export const requestView = z.object({
  id: z.string(),
  turnId: nullableString,
  transport: z.string(),
  api: z.string(),
  path: z.string(),
  model: nullableString,
  requestKind: nullableString,
  startedAt: z.string(),
  firstByteMs: nullableNumber,
  durationMs: nullableNumber,
  statusCode: nullableNumber,
  outcome: nullableString,
  responseId: nullableString,
  usage: z.object({
    inputTokens: nullableNumber,
    cachedTokens: nullableNumber,
    outputTokens: nullableNumber,
    reasoningTokens: nullableNumber,
    totalTokens: nullableNumber,
  }),
  error: z.unknown(),
  /** Upstream base the request went to; null when kx answered it itself or it predates the column. */
  upstream: nullableString.optional(),
  /** Items the request added, items it resent that were already stored, and what could not be parsed. */
  newItems: z.number().optional(),
  skippedItems: z.number().optional(),
  parseErrors: z.number().optional(),
  /** Stream events the response had (SSE events or WebSocket frames). */
  events: z.number().optional(),
});
export type RequestView = z.infer<typeof requestView>;

/** GET /api/sessions/:id */
export const sessionDetailView = z.object({
  id: z.string(),
  client: nullableString,
  userAgent: nullableString,
  identifiedBy: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  turnCount: z.number(),
  requestCount: z.number(),
  usage: usageView,
  /** The project id (from the working directory, else the client); null before kx knows it. */
  project: nullableString,
  /** The working directory the project was named from. */
  cwd: nullableString.optional(),
  endedAt: nullableString,
  /** The rollout file a session imported from Codex came from; null for a session recorded live. */
  importedFrom: nullableString.optional(),
  /** What the insight engine's calls about this session cost. */
  insightTokens: z.object({ input: z.number(), output: z.number() }).optional(),
  turns: z.array(turnView),
  preamble: z.array(itemView),
  requests: z.array(requestView),
  memoryLookups: memoryLookups.optional(),
});
export type SessionDetailView = z.infer<typeof sessionDetailView>;

export const searchDocKind = z.enum(['human', 'assistant', 'reasoning', 'tool_call', 'tool_output', 'insight', 'summary', 'playbook', 'search_terms']);
export type SearchDocKindView = z.infer<typeof searchDocKind>;

export const searchHitView = z.object({
  docKind: searchDocKind,
  /** What the hit is about (an item, turn or summary id). */
  refId: z.string(),
  sessionId: nullableString,
  turnId: nullableString,
  turnSeq: nullableNumber,
  project: nullableString,
  /** The hit's session as a person knows it (absent for a hit outside any session). */
  sessionTitle: nullableString.optional(),
  sessionStartedAt: z.string().optional(),
  /** The project's folder, or its id. */
  projectName: nullableString.optional(),
  /** Plain text; each match sits between \u0001 and \u0002. */
  snippet: z.string(),
  /**
   * Set on a human message learn mode sent rewritten: `snippet` then quotes what the person typed (its start,
   * nothing marked, when the query matched only the rewrite), and `sent` the rewrite kx sent upstream in its
   * place, where the query matched it (absent when it matched only what was typed). `edited`: the person edited
   * learn mode's proposal in the approval card before it went, so what was sent is their words, not kx's rewrite.
   */
  rewritten: z.object({ sent: z.string().optional(), edited: z.boolean().optional() }).optional(),
  /** BM25 as SQLite gives it: lower is better. */
  score: z.number(),
  /** Why it matched: the query words found in this document, one found by another name as "log out (for signed out)". */
  words: z.array(z.string()).optional(),
  /** For a session found by meaning (embeddings): the cosine similarity of its nearest turn to the query. */
  similarity: z.number().optional(),
  /** Who shared the document through team memory, and when; absent for this machine's own. */
  sharedBy: z.object({ author: z.string(), at: z.string() }).optional(),
});
export type SearchHitView = z.infer<typeof searchHitView>;

/** GET /api/search?q=&project=&limit=&offset= */
export const searchResponseView = z.object({
  query: z.string(),
  /**
   * The words looked for: the query's, lower-cased, without stop words and request filler (src/store/query-words.ts).
   * Empty when every word was one nearly every session has ("how did we fix it"): nothing was looked for.
   */
  words: z.array(z.string()),
  hits: z.array(searchHitView),
  /** More hits follow this page. */
  more: z.boolean(),
});
export type SearchResponseView = z.infer<typeof searchResponseView>;
