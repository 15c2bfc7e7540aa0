// Response shapes of the learn-mode routes (the console and `kx approve` read these).

export type ApprovalStatus = 'pending' | 'accepted' | 'edited' | 'rejected' | 'timed_out' | 'nothing_to_add' | 'failed' | 'cancelled' | 'released';
export type Mode = 'capture' | 'learn';

export interface ApprovalView {
  id: string;
  sessionId: string;
  project: string | null;
  original: string;
  rewrite: string | null;
  diff: { op: 'same' | 'add' | 'del'; text: string }[];
  gaps: { gapId: string; topic: string }[];
  snippets: { ref: string; text: string }[];
  /** The model's one sentence on what it added, or why the rewrite failed. */
  reason: string | null;
  /** The context from earlier sessions (KX_INJECT=first-turn) that goes with this message if approved; sent before it. */
  context: string | null;
  status: ApprovalStatus;
  created: string;
  decidedAt: string | null;
  finalText: string | null;
  /** A waiting turn: when it times out and the original is sent. */
  expiresAt?: string;
}

export interface ModesView {
  global: Mode;
  projects: Record<string, Mode>;
  sessions: Record<string, Mode>;
}
