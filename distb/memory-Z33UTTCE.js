import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  MATCH_END,
  MATCH_START,
  projectSlug
} from "./chunk-WZ2QJHAO.js";
import {
  oneLine,
  when
} from "./chunk-ZVVK6MQD.js";
import {
  redact
} from "./chunk-LXEFACVR.js";
import "./chunk-V4RWK56N.js";

// dist/mcp/budget.js
var ANSWER_BUDGET_TOKENS = 2e3;
function cutMiddle(text, maxChars) {
  if (text.length <= maxChars)
    return text;
  const marker = (n) => `
\u2026 [${n} characters cut] \u2026
`;
  const room = Math.max(0, maxChars - marker(text.length).length);
  const head = Math.ceil(room * 0.6);
  const tail = room - head;
  return text.slice(0, head) + marker(text.length - room) + (tail > 0 ? text.slice(text.length - tail) : "");
}
function fitEntries(heading, entries, budgetTokens = ANSWER_BUDGET_TOKENS, more = "narrow the question") {
  const maxChars = budgetTokens * 4;
  const out = [heading];
  let used = heading.length;
  let shown = 0;
  for (const entry of entries) {
    const left = maxChars - used - 120;
    if (left <= 200)
      break;
    const text = entry.length > left ? cutMiddle(entry, left) : entry;
    out.push(text);
    used += text.length + 2;
    shown++;
    if (text !== entry)
      break;
  }
  if (shown < entries.length)
    out.push(`(${entries.length - shown} more not shown to keep this answer short; ${more}.)`);
  return cutMiddle(out.join("\n\n"), maxChars);
}

// dist/mcp/memory.js
var ALL = /* @__PURE__ */ new Set(["all", "*", "any"]);
var TURN_PART_CHARS = 1600;
var SEARCH_WINDOW = 100;
var SNIPPET_CHARS = 360;
var Memory = class {
  deps;
  budget;
  constructor(deps) {
    this.deps = deps;
    this.budget = deps.budgetTokens ?? ANSWER_BUDGET_TOKENS;
  }
  /** A console link to a session, or to one of its turns. */
  link(sessionId, turnSeq) {
    const s = encodeURIComponent(sessionId);
    return `${this.deps.baseUrl()}/ui/#/sessions/${s}${turnSeq ? `/turns/${turnSeq}` : ""}`;
  }
  cite(sessionId, turnSeq, at) {
    if (!sessionId)
      return "";
    return `session ${sessionId}${turnSeq ? ` turn ${turnSeq}` : ""}${at ? `, ${when(at)}` : ""} (${this.link(sessionId, turnSeq)})`;
  }
  sessionProject(sessionId) {
    if (!sessionId)
      return void 0;
    return this.deps.db.prepare(`SELECT project FROM sessions WHERE id = ?`).pluck().get(sessionId) ?? void 0;
  }
  /** A project named by id, by its working directory, or by a path under kx's naming rule. */
  findProject(name) {
    const byIdOrName = this.deps.engine.reader.findProject(name);
    if (byIdOrName)
      return byIdOrName.id;
    const slug = projectSlug(name.replace(/\/+$/, ""));
    return this.deps.engine.reader.project(slug)?.id;
  }
  scope(caller, projectArg) {
    const asked = projectArg?.trim();
    if (asked && ALL.has(asked.toLowerCase()))
      return { project: void 0, note: "all projects" };
    if (asked) {
      const id = this.findProject(asked);
      if (id)
        return { project: id, note: `project ${id}` };
      const known = this.deps.engine.reader.projects().map((p) => `${p.id} (${oneLine(p.name)})`);
      return { error: `kx knows no project "${asked}". Known projects: ${known.join("; ") || "none yet"}. Pass one of these ids, or "all".` };
    }
    const own = this.sessionProject(caller.sessionId);
    if (own)
      return { project: own, note: `project ${own} (the asking session's)` };
    if (caller.project) {
      const id = this.findProject(caller.project);
      if (id)
        return { project: id, note: `project ${id}` };
    }
    return { project: void 0, note: "all projects (kx cannot tell which project is asking; pass `project` to narrow)" };
  }
  search(args, caller) {
    const scope = this.scope(caller, args.project);
    if ("error" in scope)
      return scope.error;
    const limit = Math.min(Math.max(args.limit ?? 8, 1), 20);
    const hits = this.deps.search.search(args.query, {
      limit,
      window: SEARCH_WINDOW,
      ...scope.project !== void 0 ? { project: scope.project } : {},
      ...caller.sessionId ? { excludeSession: caller.sessionId } : {}
    });
    if (hits.length === 0) {
      const tryAll = scope.project !== void 0 ? ' Try other words, or `project: "all"` to look beyond this project.' : " Try other words.";
      return redact(`No past session in ${scope.note} matches "${args.query}".${tryAll}`);
    }
    const dates = this.deps.db.prepare(`SELECT COALESCE((SELECT started_at FROM turns WHERE id = ?), (SELECT started_at FROM sessions WHERE id = ?))`).pluck();
    const entries = hits.map((h, i) => {
      const at = dates.get(h.turnId, h.sessionId);
      const snippet = cutMiddle(oneLine(h.snippet), SNIPPET_CHARS).replace(new RegExp(`${MATCH_END}(\\s+)${MATCH_START}`, "g"), "$1").split(MATCH_START).join("**").split(MATCH_END).join("**");
      const where = h.sessionId ? this.cite(h.sessionId, h.turnSeq, at) : `project ${h.project ?? "?"}`;
      return `${i + 1}. [${KIND_WORDS[h.docKind] ?? h.docKind}] ${where}
   ${snippet}`;
    });
    const heading = `${hits.length} match${hits.length === 1 ? "" : "es"} for "${oneLine(args.query)}" in ${scope.note}, best first${caller.sessionId ? " (this session left out)" : ""}. Read one in full with the \`turn\` tool.`;
    return redact(fitEntries(heading, entries, this.budget, "lower `limit` or use more specific words"));
  }
  gaps(args, caller) {
    const scope = this.scope(caller, args.project);
    if ("error" in scope)
      return scope.error;
    const gaps = this.deps.engine.reader.gaps({ ...args.status ? { status: args.status } : {}, ...scope.project ? { project: scope.project } : {} });
    const which = args.status ?? "open or resolved";
    if (gaps.length === 0)
      return `No ${args.status ? `${args.status} ` : ""}gaps noted in ${scope.note}.`;
    const seqOf = this.deps.db.prepare(`SELECT seq FROM turns WHERE id = ?`).pluck();
    const entries = gaps.map((g) => {
      const first = this.cite(g.firstSeen.sessionId, seqOf.get(g.firstSeen.turnId), g.firstSeen.at);
      const lines = [`- ${g.status.toUpperCase()} ${oneLine(g.topic)}: ${oneLine(g.question)} (gap ${g.id}, seen ${g.timesSeen}\xD7)`, `  Evidence: \u201C${oneLine(g.evidence)}\u201D`, `  First seen: ${first}`];
      if (g.lastSeen.sessionId !== g.firstSeen.sessionId || g.lastSeen.turnId !== g.firstSeen.turnId) {
        lines.push(`  Last seen: ${this.cite(g.lastSeen.sessionId, seqOf.get(g.lastSeen.turnId), g.lastSeen.at)}`);
      }
      if (g.resolved) {
        const how = g.resolved.by === "person" ? `marked resolved by the person${g.resolved.note ? `: ${oneLine(g.resolved.note)}` : ""}` : oneLine(g.resolved.how ?? "");
        lines.push(`  Resolved ${when(g.resolved.at)}: ${how}`);
      }
      return lines.join("\n");
    });
    return redact(fitEntries(`${gaps.length} ${which} gap${gaps.length === 1 ? "" : "s"} in ${scope.note}, most seen first:`, entries, this.budget, "pass `status` to see only open or only resolved ones"));
  }
  playbook(args, caller) {
    const scope = this.scope(caller, args.project);
    if ("error" in scope)
      return scope.error;
    const words = (args.topic ?? "").toLowerCase().split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    const matches = (s) => words.length === 0 || words.some((w) => s.toLowerCase().includes(w));
    const entries = [];
    for (const session of this.sessionsWithSteps(scope.project)) {
      const summary = this.deps.engine.reader.summary(session.id);
      const fromSummary = (summary?.playbook ?? []).map((p) => ({ ...p, turnSeq: null }));
      const steps = fromSummary.length ? fromSummary : this.turnSteps(session.id);
      const kept = steps.filter((p) => matches(`${p.step} ${p.command ?? ""} ${p.why ?? ""}`));
      if (kept.length === 0)
        continue;
      const lines = kept.map((p, i) => `  ${i + 1}. ${oneLine(p.step)}${p.command ? `: \`${oneLine(p.command)}\`` : ""}${p.why ? ` (${oneLine(p.why)})` : ""}${p.turnSeq ? ` [turn ${p.turnSeq}]` : ""}`);
      entries.push([`- ${summary ? `\u201C${oneLine(summary.title)}\u201D, ` : ""}${this.cite(session.id, null, session.startedAt)}`, ...lines].join("\n"));
    }
    const topic = args.topic ? ` about "${oneLine(args.topic)}"` : "";
    if (entries.length === 0)
      return `No playbook steps${topic} in ${scope.note} yet: they are written by kx's insight engine after turns and when a session ends.`;
    return redact(fitEntries(`Steps that worked${topic} in ${scope.note}, newest session first, in the order they were done:`, entries, this.budget, "pass a `topic`"));
  }
  sessionsWithSteps(project) {
    return this.deps.db.prepare(`SELECT s.id, s.started_at AS startedAt FROM sessions s WHERE (@project IS NULL OR s.project = @project)
           AND (EXISTS (SELECT 1 FROM session_summaries ss WHERE ss.session_id = s.id)
             OR EXISTS (SELECT 1 FROM turn_insights ti JOIN turns t ON t.id = ti.turn_id WHERE t.session_id = s.id))
         ORDER BY s.started_at DESC LIMIT 50`).all({ project: project ?? null });
  }
  turnSteps(sessionId) {
    return this.deps.engine.reader.turnInsights(sessionId).flatMap((t) => t.playbookSteps.map((p) => ({ step: p.step, command: p.command, why: null, turnSeq: t.turnSeq })));
  }
  profile(args, caller) {
    const scope = this.scope(caller, args.project);
    if ("error" in scope)
      return scope.error;
    if (scope.project === void 0) {
      const known = this.deps.engine.reader.projects().map((p) => `${p.id} (${oneLine(p.name)})`);
      return `Which project? kx keeps one profile per project: ${known.join("; ") || "none yet"}. Pass its id as \`project\`.`;
    }
    const profile = this.deps.engine.profile(scope.project);
    if (!profile)
      return `No profile for ${scope.note} yet.`;
    return redact(cutMiddle(profile.markdown, this.budget * 4));
  }
  turn(args) {
    const turn = this.deps.db.prepare(`SELECT id, seq, started_at AS startedAt, status FROM turns WHERE session_id = ? AND seq = ?`).get(args.session, args.turn);
    if (!turn) {
      const count = this.deps.db.prepare(`SELECT COUNT(*) FROM turns WHERE session_id = ?`).pluck().get(args.session);
      return count ? `Session ${args.session} has turns 1 to ${count}; there is no turn ${args.turn}.` : `kx has no session ${args.session}. Session ids come from the \`search\` tool's hits.`;
    }
    const items = this.deps.db.prepare(`SELECT kind, tool_name AS toolName, text, arguments, output FROM items WHERE turn_id = ? ORDER BY seq`).all(turn.id);
    const parts = items.flatMap((it) => {
      const body = (s) => cutMiddle((s ?? "").trim(), TURN_PART_CHARS);
      switch (it.kind) {
        case "human_message":
          return [`HUMAN:
${body(it.text)}`];
        case "assistant_message":
          return [`AGENT:
${body(it.text)}`];
        case "reasoning":
          return it.text?.trim() ? [`AGENT (reasoning summary):
${body(it.text)}`] : [];
        case "tool_call":
          return [`TOOL CALL ${it.toolName ?? ""}:
${body(it.arguments)}`];
        case "tool_output":
          return [`TOOL OUTPUT:
${body(it.output)}`];
        default:
          return [];
      }
    });
    const heading = `Turn ${turn.seq} of ${this.cite(args.session, turn.seq, turn.startedAt)}, ${turn.status}:`;
    return redact(fitEntries(heading, parts, this.budget, "open the console link for the rest"));
  }
};
var KIND_WORDS = {
  human: "human said",
  assistant: "agent answered",
  reasoning: "agent reasoned",
  tool_call: "tool call",
  tool_output: "tool output",
  insight: "insight",
  summary: "session summary",
  playbook: "playbook"
};
export {
  Memory
};
