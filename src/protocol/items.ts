// Typed items that every protocol parser produces. Capture, store and the later
// insight/learn stages only ever see these, never raw request or event JSON.

export type ItemKind =
  | 'human_message' // the person typing: the only thing that starts a turn
  | 'injected_context' // user-role text the client added (environment_context, AGENTS.md, ...)
  | 'instructions' // developer/system messages and tool catalogues
  | 'assistant_message'
  | 'reasoning' // summary text only; encrypted content is never kept
  | 'tool_call'
  | 'tool_output'
  | 'compaction'
  | 'other'; // an item type we do not know yet: recorded, not interpreted

export interface ParsedItem {
  kind: ItemKind;
  /** The wire `type` (message, function_call, custom_tool_call, web_search_call, ...). */
  itemType: string;
  role?: string;
  /** The protocol's own id (msg_…, fc_…, rs_…) when the client or server gave one. */
  itemId?: string;
  callId?: string;
  toolName?: string;
  /** Message text, reasoning summary, or compaction marker. */
  text?: string;
  /** Tool call arguments or free-form input. */
  arguments?: string;
  /** Tool output as text. */
  output?: string;
  status?: string;
  /** Other fields worth keeping (web_search action, local_shell action, image count...), secrets-free. */
  detail?: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

export interface UpstreamError {
  /** HTTP status, or the status carried inside a WS error frame. */
  status?: number;
  code?: string;
  type?: string;
  message: string;
}

/** What one model call produced, as far as the stream got. */
export interface ResponseSummary {
  responseId?: string;
  model?: string;
  status: 'completed' | 'failed' | 'incomplete' | 'in_progress' | 'error' | 'cut';
  output: ParsedItem[];
  usage?: Usage;
  error?: UpstreamError;
  /** Events we could not parse or did not know; counted, never fatal. */
  parseErrors: number;
  unknownEvents: number;
  /** Stream events seen (SSE events or WebSocket frames), counted so a stored stream can be checked whole. */
  events: number;
}

/** Identity and routing facts a client put in a request (headers or body). */
export interface RequestMeta {
  sessionId?: string;
  turnId?: string;
  requestKind?: string; // prewarm | turn | compaction
  promptCacheKey?: string;
  previousResponseId?: string;
  subagent?: string; // x-openai-subagent: background work, never the human
}

export interface ParsedRequest {
  api: 'responses' | 'chat';
  model?: string;
  stream: boolean;
  /** false for the WebSocket prewarm (`generate: false`). */
  generate: boolean;
  input: ParsedItem[];
  meta: RequestMeta;
}
