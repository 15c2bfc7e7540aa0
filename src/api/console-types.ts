// The JSON the console reads from kx, as the API sends it. Plain types with no imports, so the ui (its own
// tsconfig, DOM only) can use them without pulling in the store or Node.

export interface UsageView {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

/** live: traffic in the last few minutes; ended: ended or quiet since; imported: brought in from a client's own logs. */
export type SessionStatus = 'live' | 'ended' | 'imported';

export interface SessionListItem {
  id: string;
  /** The first human message, cut to 300 characters; null before the human has said anything. */
  title: string | null;
  client: string | null;
  userAgent: string | null;
  identifiedBy: string;
  startedAt: string;
  lastActivityAt: string;
  durationMs: number;
  turnCount: number;
  requestCount: number;
  usage: UsageView;
  status: SessionStatus;
  /** Tokens the insight engine spent on this session; present once the insight engine is installed. */
  insightTokens?: { input: number; output: number };
  /** Open gaps last seen in this session (present once the insight engine keeps gaps). */
  openGaps?: number;
  /** Present once the insight engine records projects. */
  project: string | null;
  endedAt: string | null;
  /** Calls the agent made to kx's memory tools (MCP) in this session. */
  memoryLookups?: number;
}

/** GET /api/sessions?limit=&cursor=&client=&project=&from=&to= */
export interface SessionPageView {
  sessions: SessionListItem[];
  /** Sessions matching the filters, over all pages. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Every client seen, for the filter. */
  clients: string[];
}

export interface ItemView {
  id: string;
  seq: number;
  turnId: string | null;
  requestId: string;
  direction: string;
  kind: string;
  itemType: string;
  role: string | null;
  protocolId: string | null;
  callId: string | null;
  toolName: string | null;
  text: string | null;
  arguments: string | null;
  output: string | null;
  status: string | null;
  detail?: unknown;
  createdAt: string;
}

export interface TurnView {
  id: string;
  seq: number;
  clientTurnId: string | null;
  startedAt: string;
  endedAt: string | null;
  status: string;
  items: ItemView[];
}

export interface RequestView {
  id: string;
  turnId: string | null;
  transport: string;
  api: string;
  path: string;
  model: string | null;
  requestKind: string | null;
  startedAt: string;
  firstByteMs: number | null;
  durationMs: number | null;
  statusCode: number | null;
  outcome: string | null;
  responseId: string | null;
  usage: { inputTokens: number | null; cachedTokens: number | null; outputTokens: number | null; reasoningTokens: number | null; totalTokens: number | null };
  error?: unknown;
}

/** GET /api/sessions/:id */
export interface SessionDetailView {
  id: string;
  client: string | null;
  userAgent: string | null;
  identifiedBy: string;
  startedAt: string;
  lastActivityAt: string;
  turnCount: number;
  requestCount: number;
  usage: UsageView;
  /** The project's id and the working directory it was named from, once the insight engine places the session. */
  project?: string | null;
  cwd?: string | null;
  endedAt?: string | null;
  turns: TurnView[];
  preamble: ItemView[];
  requests: RequestView[];
  /** Calls the agent made to kx's memory tools (MCP) in this session. */
  memoryLookups?: number;
}

export type SearchDocKindView = 'human' | 'assistant' | 'reasoning' | 'tool_call' | 'tool_output' | 'insight' | 'summary' | 'playbook';

export interface SearchHitView {
  docKind: SearchDocKindView;
  refId: string;
  sessionId: string | null;
  turnId: string | null;
  turnSeq: number | null;
  project: string | null;
  /** The hit's session as a person knows it (absent for a hit outside any session). */
  sessionTitle?: string | null;
  sessionStartedAt?: string;
  /** The project's folder, or its id. */
  projectName?: string | null;
  /** Plain text; each match sits between \u0001 and \u0002. */
  snippet: string;
  score: number;
}

/** GET /api/search?q=&project=&limit=&offset= */
export interface SearchResponseView {
  query: string;
  hits: SearchHitView[];
  /** More hits follow this page. */
  more: boolean;
}
