import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  external_exports
} from "./chunk-36VX2XZQ.js";

// dist/proxy/upstream-route.js
function loginOfHeaders(headers) {
  const account = headers["chatgpt-account-id"];
  return (Array.isArray(account) ? account.length > 0 : Boolean(account)) ? "chatgpt" : "apikey";
}
function upstreamForHeaders(upstreams, headers) {
  if (loginOfHeaders(headers) === "chatgpt")
    return { login: "chatgpt", base: upstreams.chatgptBaseUrl };
  return { login: "apikey", base: upstreams.upstreamBaseUrl };
}
function upstreamLabel(base) {
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}`;
}
var CHATGPT_OFF_STATUS = 400;
function chatgptOffBody() {
  return JSON.stringify({
    error: {
      message: "kx: this request comes from a ChatGPT login (it carries chatgpt-account-id), but KX_CHATGPT_BASE_URL is off. Set KX_CHATGPT_BASE_URL=https://chatgpt.com/backend-api/codex in proxy.env (or the environment) and restart kx, or log Codex in with an API key.",
      type: "kx_chatgpt_upstream_off",
      code: "chatgpt_upstream_off"
    }
  });
}

// dist/contracts/insight.js
var nullableString = external_exports.string().nullable();
var tokens = external_exports.object({ input: external_exports.number(), output: external_exports.number() });
var jobState = external_exports.enum(["queued", "running", "done", "failed", "waiting_key"]);
var jobKind = external_exports.enum(["turn", "session", "import"]);
var outcome = external_exports.enum(["succeeded", "partly", "failed", "unclear"]);
var turnInsightView = external_exports.object({
  turnId: external_exports.string(),
  turnSeq: external_exports.number(),
  state: external_exports.union([jobState, external_exports.literal("none")]),
  error: nullableString,
  summary: nullableString,
  action: nullableString,
  outcome: outcome.nullable(),
  gaps: external_exports.array(external_exports.object({ gapId: external_exports.string(), topic: external_exports.string(), question: external_exports.string(), evidence: external_exports.string(), confidence: external_exports.number() })),
  confusion: external_exports.array(external_exports.object({ what: external_exports.string(), evidence: external_exports.string() })),
  decisions: external_exports.array(external_exports.object({ choice: external_exports.string(), why: external_exports.string() })),
  successes: external_exports.array(external_exports.string()),
  followUps: external_exports.array(external_exports.string()),
  resolvedGaps: external_exports.array(external_exports.object({ gapId: external_exports.string(), how: external_exports.string() })),
  nextTime: nullableString,
  playbookSteps: external_exports.array(external_exports.object({ step: external_exports.string(), command: nullableString })),
  tokens,
  createdAt: nullableString
});
var sessionInsightsView = external_exports.object({ sessionId: external_exports.string(), insights: external_exports.array(turnInsightView) });
var sessionSummaryView = external_exports.object({
  sessionId: external_exports.string(),
  version: external_exports.number(),
  createdAt: external_exports.string(),
  title: external_exports.string(),
  highlights: external_exports.array(external_exports.string()),
  gapsOpened: external_exports.array(external_exports.object({ gapId: external_exports.string(), topic: external_exports.string() })),
  gapsResolved: external_exports.array(external_exports.object({ gapId: external_exports.string(), topic: external_exports.string(), how: external_exports.string() })),
  unresolvedQuestions: external_exports.array(external_exports.string()),
  nextRepetitions: external_exports.array(external_exports.string()),
  playbook: external_exports.array(external_exports.object({ step: external_exports.string(), command: nullableString, why: nullableString })),
  tokens
});
var sessionSummaryResponse = external_exports.object({
  summary: sessionSummaryView.nullable(),
  versions: external_exports.array(external_exports.object({ version: external_exports.number(), createdAt: external_exports.string() }))
});
var seenAt = external_exports.object({ sessionId: external_exports.string(), turnId: external_exports.string(), at: external_exports.string() });
var gapStatus = external_exports.enum(["open", "resolved"]);
var gapView = external_exports.object({
  id: external_exports.string(),
  project: external_exports.string(),
  topic: external_exports.string(),
  question: external_exports.string(),
  evidence: external_exports.string(),
  status: gapStatus,
  timesSeen: external_exports.number(),
  firstSeen: seenAt,
  lastSeen: seenAt,
  resolved: external_exports.object({ turnId: nullableString, how: nullableString, by: external_exports.enum(["model", "person"]), note: nullableString, at: external_exports.string() }).nullable()
});
var gapList = external_exports.object({ gaps: external_exports.array(gapView) });
var gapUpdate = external_exports.object({ status: gapStatus, note: external_exports.string().max(2e3).optional() });
var projectView = external_exports.object({
  id: external_exports.string(),
  name: external_exports.string(),
  sessionCount: external_exports.number(),
  openGaps: external_exports.number(),
  resolvedGaps: external_exports.number(),
  lastActivityAt: nullableString
});
var projectList = external_exports.object({ projects: external_exports.array(projectView) });
var projectProfileView = external_exports.object({
  project: projectView,
  markdown: external_exports.string(),
  openGaps: external_exports.array(gapView),
  resolvedGaps: external_exports.array(gapView),
  recurringTopics: external_exports.array(external_exports.object({ topic: external_exports.string(), timesSeen: external_exports.number() })),
  recentSummaries: external_exports.array(sessionSummaryView)
});
var insightStatusView = external_exports.object({
  mode: external_exports.enum(["off", "turn", "session"]),
  queue: external_exports.object({ queued: external_exports.number(), running: external_exports.number(), done: external_exports.number(), failed: external_exports.number(), waiting_key: external_exports.number() }),
  waitingReason: nullableString,
  tokens: external_exports.object({ today: tokens, all: tokens })
});
var sessionEndView = external_exports.object({ sessionId: external_exports.string(), endedAt: external_exports.string(), summaryJobId: nullableString });

// dist/contracts/learn.js
var nullableString2 = external_exports.string().nullable();
var approvalStatus = external_exports.enum(["pending", "accepted", "edited", "rejected", "timed_out", "nothing_to_add", "failed", "cancelled", "released"]);
var mode = external_exports.enum(["capture", "learn"]);
var modeScope = external_exports.enum(["global", "project", "session"]);
var diffOp = external_exports.object({ op: external_exports.enum(["same", "add", "del"]), text: external_exports.string() });
var approvalView = external_exports.object({
  id: external_exports.string(),
  sessionId: external_exports.string(),
  project: nullableString2,
  original: external_exports.string(),
  rewrite: nullableString2,
  diff: external_exports.array(diffOp),
  gaps: external_exports.array(external_exports.object({ gapId: external_exports.string(), topic: external_exports.string() })),
  snippets: external_exports.array(external_exports.object({ ref: external_exports.string(), text: external_exports.string() })),
  /** The model's one sentence on what it added, or why the rewrite failed. */
  reason: nullableString2,
  /** The context from earlier sessions (KX_INJECT=first-turn) that goes with this message if approved; sent before it. */
  context: nullableString2,
  status: approvalStatus,
  created: external_exports.string(),
  /** A waiting turn: when it times out and the original is sent. */
  expiresAt: external_exports.string().optional(),
  decidedAt: nullableString2,
  finalText: nullableString2
});
var approvalList = external_exports.object({ approvals: external_exports.array(approvalView) });
var decisionBody = external_exports.discriminatedUnion("decision", [
  external_exports.object({ decision: external_exports.literal("accept") }),
  external_exports.object({ decision: external_exports.literal("edit"), text: external_exports.string().min(1, "an edit needs the text to send") }),
  external_exports.object({ decision: external_exports.literal("reject") })
]);
var modesView = external_exports.object({ global: mode, projects: external_exports.record(mode), sessions: external_exports.record(mode) });
var modeBody = external_exports.object({ mode, project: external_exports.string().min(1).optional(), session: external_exports.string().min(1).optional() }).refine((b) => !(b.project && b.session), "give a project or a session, not both");

export {
  upstreamForHeaders,
  upstreamLabel,
  CHATGPT_OFF_STATUS,
  chatgptOffBody,
  sessionSummaryResponse,
  gapStatus,
  gapView,
  gapList,
  gapUpdate,
  projectList,
  projectProfileView,
  sessionEndView,
  approvalView,
  approvalList,
  decisionBody,
  modesView,
  modeBody
};
