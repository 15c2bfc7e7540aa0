// What capture hands to the store. Ids are minted by capture and never change.

import type { ItemKind, UpstreamError, Usage } from '../protocol/items.js';
import type { TurnStatus as TurnState } from '../contracts/live-events.js';

export type SessionSource = 'header' | 'client_metadata' | 'prompt_cache_key' | 'previous_response' | 'fingerprint' | 'rollout';

export interface SessionRecord {
  id: string;
  identifiedBy: SessionSource;
  client?: string;
  userAgent?: string;
  startedAt: string;
  /** The working directory the session's first request reports (its project, src/capture/project.ts). */
  cwd?: string;
  /** The Codex rollout file this session was imported from (`kx import codex`). */
  importedFrom?: string;
}

export interface TurnRecord {
  id: string;
  sessionId: string;
  seq: number;
  clientTurnId?: string;
  startedAt: string;
}

export type Outcome = 'completed' | 'failed' | 'incomplete' | 'error' | 'cut' | 'aborted' | 'interrupted' | 'in_progress' | 'undecodable';

export interface RequestRecord {
  id: string;
  sessionId: string;
  turnId?: string;
  /** `rollout`: rebuilt from a Codex transcript by `kx import codex`, not seen on the wire. */
  transport: 'http' | 'ws' | 'rollout';
  api: 'responses' | 'chat' | 'other';
  method: string;
  path: string;
  /** Upstream base the request went to: origin and path, no credentials or query. */
  upstream?: string;
  model?: string;
  requestKind?: string;
  startedAt: string;
  previousResponseId?: string;
  newItems: number;
  skippedItems: number;
  parseErrors: number;
}

export interface RequestResult {
  requestId: string;
  sessionId: string;
  turnId?: string;
  firstByteMs?: number;
  durationMs: number;
  statusCode?: number;
  outcome: Outcome;
  responseId?: string;
  usage?: Usage;
  error?: UpstreamError;
  parseErrors: number;
  events: number;
  endedAt: string;
}

export interface ItemRecord {
  id: string;
  sessionId: string;
  turnId?: string;
  requestId: string;
  seq: number;
  direction: 'input' | 'output';
  kind: ItemKind;
  itemType: string;
  role?: string;
  protocolId?: string;
  callId?: string;
  toolName?: string;
  text?: string;
  arguments?: string;
  output?: string;
  status?: string;
  detail?: Record<string, unknown>;
  dedupKey: string;
  createdAt: string;
}

export interface TurnStatus {
  turnId: string;
  sessionId: string;
  status: TurnState;
  endedAt: string;
  /** Change a turn only while it is still open, so a turn a crash marked interrupted keeps that mark. */
  onlyIfOpen?: boolean;
}

export interface CaptureError {
  ts: string;
  sessionId?: string;
  requestId?: string;
  stage: string;
  message: string;
}

export type StoreOp =
  | { op: 'session'; rec: SessionRecord }
  | { op: 'turn'; rec: TurnRecord }
  | { op: 'turn-status'; rec: TurnStatus }
  | { op: 'request'; rec: RequestRecord }
  | { op: 'request-result'; rec: RequestResult }
  | { op: 'item'; rec: ItemRecord }
  | { op: 'capture-error'; rec: CaptureError };
