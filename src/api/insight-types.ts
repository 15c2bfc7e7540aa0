// Response shapes of the insight routes (docs: CONTRACTS.md). The console imports these; it never imports src/store.

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'waiting_key';
export type JobKind = 'turn' | 'session' | 'import';
export type Outcome = 'succeeded' | 'partly' | 'failed' | 'unclear';

export interface TurnInsightView {
  turnId: string;
  turnSeq: number;
  state: JobState | 'none';
  error: string | null;
  summary: string | null;
  action: string | null;
  outcome: Outcome | null;
  gaps: { gapId: string; topic: string; question: string; evidence: string; confidence: number }[];
  confusion: { what: string; evidence: string }[];
  decisions: { choice: string; why: string }[];
  successes: string[];
  followUps: string[];
  resolvedGaps: { gapId: string; how: string }[];
  nextTime: string | null;
  playbookSteps: { step: string; command: string | null }[];
  tokens: { input: number; output: number };
  createdAt: string | null;
}

export interface SessionSummaryView {
  sessionId: string;
  version: number;
  createdAt: string;
  title: string;
  highlights: string[];
  gapsOpened: { gapId: string; topic: string }[];
  gapsResolved: { gapId: string; topic: string; how: string }[];
  unresolvedQuestions: string[];
  nextRepetitions: string[];
  playbook: { step: string; command: string | null; why: string | null }[];
  tokens: { input: number; output: number };
}

export interface GapView {
  id: string;
  project: string;
  topic: string;
  question: string;
  evidence: string;
  status: 'open' | 'resolved';
  timesSeen: number;
  firstSeen: { sessionId: string; turnId: string; at: string };
  lastSeen: { sessionId: string; turnId: string; at: string };
  resolved: { turnId: string | null; how: string | null; by: 'model' | 'person'; note: string | null; at: string } | null;
}

export interface ProjectView {
  id: string;
  name: string;
  sessionCount: number;
  openGaps: number;
  resolvedGaps: number;
  lastActivityAt: string | null;
}

export interface ProjectProfileView {
  project: ProjectView;
  markdown: string;
  openGaps: GapView[];
  resolvedGaps: GapView[];
  recurringTopics: { topic: string; timesSeen: number }[];
  recentSummaries: SessionSummaryView[];
}

export interface InsightStatusView {
  mode: 'off' | 'turn' | 'session';
  queue: Record<JobState, number>;
  waitingReason: string | null;
  tokens: { today: { input: number; output: number }; all: { input: number; output: number } };
}

export interface SessionEndView {
  sessionId: string;
  endedAt: string;
  summaryJobId: string | null;
}
