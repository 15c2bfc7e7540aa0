import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/store/markdown-text.js
var MARKUP = /[\\[\]<>&*_~#|!]/g;
var escapePlain = (s) => s.replace(MARKUP, (c) => c === "&" ? "&amp;" : `\\${c}`);
var flatten = (s) => s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
function mdLine(s) {
  const text = flatten(s);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(/(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
    out += escapePlain(text.slice(last, m.index)).replace(/`/g, "\\`");
    out += m[0].replace(/\|/g, "\\|");
    last = m.index + m[0].length;
  }
  return out + escapePlain(text.slice(last)).replace(/`/g, "\\`");
}
function mdCode(s) {
  const text = flatten(s).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

// dist/insight/learnings-md.js
var when = (iso) => iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "\u2014";
var oneLine = (s) => s.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
var quote = (s) => `\u201C${mdLine(s)}\u201D`;
function insightStatus(mode, q) {
  if (mode === "off")
    return "off (KX_INSIGHT=off)";
  const parts = [];
  const waiting = q.queued + q.running;
  if (waiting)
    parts.push(`${waiting} waiting`);
  if (q.waiting_key)
    parts.push(`${q.waiting_key} waiting for a key`);
  if (q.failed)
    parts.push(`${q.failed} failed`);
  return parts.length ? parts.join(", ") : "up to date";
}
var TITLE_CHARS = 90;
var cut = (s, max) => s.length > max ? `${s.slice(0, max - 1).trimEnd()}\u2026` : s;
function sessionTitle(input) {
  const s = input.session;
  const plain = (t) => t.replace(/\s+/g, " ").trim();
  if (input.summary?.title.trim())
    return mdLine(plain(input.summary.title));
  const first = s.title ? plain(s.title) : "";
  if (first)
    return mdLine(cut(first, TITLE_CHARS));
  return s.projectName ? `Session in ${mdLine(plain(s.projectName))}` : `Session ${mdCode(s.id)}`;
}
function confidenceText(confidence) {
  if (confidence >= 0.9)
    return "asked outright";
  if (confidence >= 0.6)
    return "clearly implied";
  return "a guess";
}
function renderHeader(input) {
  const s = input.session;
  const rows = [
    ["Session", mdCode(s.id)],
    ["Project", s.projectName ? `${mdLine(s.projectName)} (${mdCode(s.project ?? "")})` : "\u2014"],
    ["Client", s.client ? mdLine(s.client) : "\u2014"],
    ["Started", when(s.startedAt)],
    ["Last activity", when(s.lastActivityAt)],
    ["Ended", s.endedAt ? when(s.endedAt) : "not yet"],
    ["Insight", insightStatus(input.insightMode, input.queue)]
  ];
  return [`# ${sessionTitle(input)}`, "", "| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n");
}
function renderSummary(summary) {
  const lines = ["## Summary", "", `_Version ${summary.version}, written ${when(summary.createdAt)}._`, ""];
  const section = (title, items) => {
    if (items.length === 0)
      return;
    lines.push(`### ${title}`, "", ...items, "");
  };
  section("Highlights", summary.highlights.map((h) => `- ${mdLine(h)}`));
  section("Gaps opened", summary.gapsOpened.map((g) => `- ${mdLine(g.topic)} (${mdCode(g.gapId)})`));
  section("Gaps resolved", summary.gapsResolved.map((g) => `- ${mdLine(g.topic)}: ${mdLine(g.how)}`));
  section("Unresolved questions", summary.unresolvedQuestions.map((q) => `- ${mdLine(q)}`));
  section("Next repetitions", summary.nextRepetitions.map((r) => `- [ ] ${mdLine(r)}`));
  section("Playbook", summary.playbook.map((p, i) => `${i + 1}. ${mdLine(p.step)}${p.command ? `: ${mdCode(p.command)}` : ""}${p.why ? ` (${mdLine(p.why)})` : ""}`));
  return lines.join("\n");
}
var STATE_TEXT = {
  none: "no insight for this turn (KX_INSIGHT is not `turn`)",
  queued: "insight waiting to run",
  running: "insight being written",
  done: "",
  failed: "insight failed",
  waiting_key: "insight waiting for a key (set KX_INSIGHT_API_KEY, or keep the session running so kx can borrow its credentials)"
};
var TYPED_CHARS = 300;
function renderTurn(t, startedAt, typed) {
  const typedLine = typed?.trim() ? [`**You typed:** ${quote(cut(typed.replace(/\s+/g, " ").trim(), TYPED_CHARS))}`, ""] : [];
  const head = [`### Turn ${t.turnSeq} \xB7 ${when(startedAt)}`, "", ...typedLine].join("\n");
  if (t.state !== "done") {
    const why = t.error && t.state !== "queued" ? `: ${mdLine(t.error)}` : "";
    return [head, `_${STATE_TEXT[t.state]}${why}._`, ""].join("\n");
  }
  const gapText = (g) => `${mdLine(g.question)} (${mdLine(g.topic)}, ${mdCode(g.gapId)}, ${confidenceText(g.confidence)}). You said: ${quote(g.evidence)}`;
  const gap = t.gaps.length === 0 ? "none" : t.gaps.length === 1 ? gapText(t.gaps[0]) : t.gaps.map((g) => `
  - ${gapText(g)}`).join("");
  const lines = [head, `> ${mdLine(t.summary ?? "")}`, "", `- **Action:** ${mdLine(t.action ?? "")}`, `- **Gap:** ${gap}`, `- **Outcome:** ${mdLine(t.outcome ?? "unclear")}`];
  lines.push(`- **Next time:** ${t.nextTime ? mdLine(t.nextTime) : "\u2014"}`);
  if (t.resolvedGaps.length)
    lines.push(`- **Resolved:** ${t.resolvedGaps.map((r) => `${mdCode(r.gapId)}: ${mdLine(r.how)}`).join("; ")}`);
  const sub = (title, items) => {
    if (items.length)
      lines.push("", `${title}:`, "", ...items.map((i) => `- ${i}`));
  };
  sub("Confusion", t.confusion.map((c) => `${mdLine(c.what)} ${quote(c.evidence)}`));
  sub("Decisions", t.decisions.map((d) => `${mdLine(d.choice)}: ${mdLine(d.why)}`));
  sub("Worked", t.successes.map(mdLine));
  sub("Follow-ups", t.followUps.map(mdLine));
  sub("Steps", t.playbookSteps.map((p) => `${mdLine(p.step)}${p.command ? `: ${mdCode(p.command)}` : ""}`));
  lines.push("");
  return lines.join("\n");
}
var LEARNINGS_LIMIT_BYTES = 200 * 1024;
function renderLearnings(input, turnStarts, limit = LEARNINGS_LIMIT_BYTES) {
  const head = [renderHeader(input), input.summary ? renderSummary(input.summary) : "_No summary yet: it is written when the session ends (`kx end`, or after the idle time)._\n"].join("\n");
  const entries = input.turns.map((t) => renderTurn(t, turnStarts.get(t.turnId) ?? "", input.typed?.get(t.turnId)));
  const pointer = (n) => `_Turns ${input.turns[0]?.turnSeq ?? 1}\u2013${input.turns[n - 1]?.turnSeq ?? n} are in [learnings.archive.md](learnings.archive.md)._
`;
  const body = (n) => [head, "## Turns\n", ...n > 0 ? [pointer(n)] : [], ...entries.slice(n)];
  const entryBytes = entries.map((e) => Buffer.byteLength(e) + 1);
  let rest = Buffer.byteLength(head) + 1 + Buffer.byteLength("## Turns\n") + entryBytes.reduce((a, b) => a + b, 0);
  const sizeWith = (n) => rest + (n > 0 ? Buffer.byteLength(pointer(n)) + 1 : 0) - 1;
  let cut2 = 0;
  while (cut2 < entries.length - 1 && sizeWith(cut2) > limit)
    rest -= entryBytes[cut2++];
  const learnings = body(cut2).join("\n");
  if (cut2 === 0)
    return { learnings, archive: void 0 };
  const moved = input.turns.slice(0, cut2);
  const outcomes = /* @__PURE__ */ new Map();
  for (const t of moved)
    if (t.outcome)
      outcomes.set(t.outcome, (outcomes.get(t.outcome) ?? 0) + 1);
  const topics = [...new Set(moved.flatMap((t) => t.gaps.map((g) => mdLine(g.topic))))];
  const digest = [
    `# Earlier turns: ${sessionTitle(input)}`,
    "",
    `Older turn entries of session ${mdCode(input.session.id)}, moved here so that learnings.md stays under ${Math.round(limit / 1024)} KB. Nothing is deleted.`,
    "",
    "## Digest",
    "",
    `- Turns ${moved[0].turnSeq}\u2013${moved.at(-1).turnSeq}, ${when(turnStarts.get(moved[0].turnId))} to ${when(turnStarts.get(moved.at(-1).turnId))}`,
    `- Outcomes: ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(", ") || "\u2014"}`,
    `- Gap topics: ${topics.join(", ") || "none"}`,
    "",
    "## Turns",
    ""
  ].join("\n");
  return { learnings, archive: [digest, ...entries.slice(0, cut2)].join("\n") };
}

export {
  mdLine,
  mdCode,
  when,
  oneLine,
  renderSummary,
  renderLearnings
};
