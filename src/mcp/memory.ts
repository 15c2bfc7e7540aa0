// What the agent may ask kx about the past, as text written for a model: small (a token budget per
// answer), cited (session, turn, date, console link), and scoped to the asking session's project unless
// the agent asks for another. Read-only: nothing here writes, resolves or decides.

import path from 'node:path';
import type Database from 'better-sqlite3';
import type { GapView, SessionSummaryView } from '../contracts/insight.js';
import { redact } from '../capture/redact.js';
import type { InsightDesk } from '../insight/desk.js';
import { when } from '../insight/learnings-md.js';
import { oneLine, oneLineCut } from '../text/one-line.js';
import { projectIdOfCwd, projectOfFolder } from '../capture/project.js';
import { MATCH_END, MATCH_START, type SearchIndex } from '../store/search-index.js';
import type { MatchedDoc, SessionHit } from '../store/retrieval.js';
import { isTypedRef, messageOf, type Rewrite } from '../store/typed-text-docs.js';
import type { SearchDocKindView } from '../contracts/console.js';
import type { SearchThread } from '../store/search-thread.js';
import { gapOrigins, hitOrigin, teamLabel } from '../team/team-view.js';
import { ANSWER_BUDGET_TOKENS, fitEntries } from './budget.js';
import { cutToFit } from '../text/head-and-tail.js';
import { DATA_NOTE, dataBlock, dataInline } from '../store/quoted-data.js';
import { MemoryQueries } from '../store/memory-queries.js';
import { ambiguousName, matchName, sessionIdsStarting } from '../store/name-match.js';
import { queryWords } from '../store/query-words.js';
import { topicTest } from './playbook-topic.js';

/** A recorded field on one line, quoted: it cannot close or forge the answer's structure. */
const q = (text: string): string => dataInline('quote', text);

/** Who is asking: the Codex session (from the call's `_meta`), else a project the server URL names. */
export interface Caller {
  sessionId?: string;
  /** `?project=` on the MCP URL, for clients that cannot say which session they are. */
  project?: string;
}

export interface MemoryDeps {
  db: Database.Database;
  search: SearchIndex;
  /** Where searches run: by default on the search index's own connection; kx gives a thread of its own (search-thread.ts). */
  sessions?: Pick<SearchThread, 'sessions'>;
  engine: InsightDesk;
  /** kx's own origin, e.g. http://127.0.0.1:8787, for console links (known once kx listens). */
  baseUrl: () => string;
  budgetTokens?: number;
}

/** Where a question looks: one project, or all of them (`project: "all"`, or when kx cannot tell). */
type Scope = { project: string | undefined; note: string } | { error: string };

const ALL = new Set(['all', '*', 'any']);
/** Characters one tool output or message may take in a `turn` answer before its middle is cut. */
const TURN_PART_CHARS = 1600;
/** Characters of one search hit's passage: FTS5 counts tokens, and one token of a log can be huge. */
const SNIPPET_CHARS = 360;
/** Sessions a playbook topic is looked up in by search, beside the latest ones, and where. */
const TOPIC_SESSIONS = 50;
const TOPIC_KINDS: SearchDocKindView[] = ['insight', 'summary', 'playbook', 'search_terms', 'human'];
/** Characters of the query an answer quotes back: the agent wrote it, the budget is for what was found. */
const QUERY_SHOWN_CHARS = 80;

export class Memory {
  private readonly budget: number;
  private readonly queries: MemoryQueries;

  constructor(private readonly deps: MemoryDeps) {
    this.budget = deps.budgetTokens ?? ANSWER_BUDGET_TOKENS;
    this.queries = new MemoryQueries(deps.db);
  }

  /** A console link to a session, or to one of its turns. */
  link(sessionId: string, turnSeq?: number | null): string {
    const s = encodeURIComponent(sessionId);
    return `${this.deps.baseUrl()}/ui/#/sessions/${s}${turnSeq ? `/turns/${turnSeq}` : ''}`;
  }

  /** A session and where to read it; a teammate's session, shared through team memory, has no console page here. */
  private cite(sessionId: string | null, turnSeq: number | null, at: string | null | undefined): string {
    if (!sessionId) return '';
    const where = this.queries.isStored(sessionId) ? this.link(sessionId, turnSeq) : 'a teammate\'s session, not on this machine: no console page here';
    return `session ${sessionId}${turnSeq ? ` turn ${turnSeq}` : ''}${at ? `, ${when(at)}` : ''} (${where})`;
  }

  private sessionProject(sessionId: string | undefined): string | undefined {
    if (!sessionId) return undefined;
    return this.queries.sessionProject(sessionId);
  }

  /** A project named by id, by its working directory or a folder inside it, or by a path under kx's naming rule. */
  private findProject(name: string): string | undefined {
    const reader = this.deps.engine.reader;
    const exact = reader.projectId(name);
    if (exact) return exact;
    // A folder names the deepest project holding it, else the one the rule gives it: by its git remote when it has one.
    if (path.isAbsolute(name)) return projectOfFolder(reader.projects(), name)?.id;
    return reader.projectId(projectIdOfCwd(name.replace(/\/+$/, '')));
  }

  /** The project `asked` names; one kx does not know is an error listing those it knows, never every project. */
  private named(asked: string, where: string): Scope {
    if (ALL.has(asked.toLowerCase())) return { project: undefined, note: 'all projects' };
    const id = this.findProject(asked);
    if (id) return { project: id, note: `project ${id}` };
    const known = this.deps.engine.reader.projects().map((p) => `${p.id} ${q(p.name)}`);
    return { error: `kx knows no project "${asked}"${where}. Known projects: ${known.join('; ') || 'none yet'}. Pass one of these ids as \`project\`, or "all".` };
  }

  scope(caller: Caller, projectArg: string | undefined): Scope {
    const asked = projectArg?.trim();
    if (asked) return this.named(asked, '');
    const own = this.sessionProject(caller.sessionId);
    if (own) return { project: own, note: `project ${own} (the asking session's)` };
    const fromUrl = caller.project?.trim();
    if (fromUrl) return this.named(fromUrl, " (the MCP server's URL names it: ?project=, the folder its client started in)");
    return { project: undefined, note: 'all projects (kx cannot tell which project is asking; pass `project` to narrow)' };
  }

  async search(args: { query: string; project?: string; limit?: number }, caller: Caller): Promise<string> {
    const scope = this.scope(caller, args.project);
    if ('error' in scope) return scope.error;
    const limit = Math.min(Math.max(args.limit ?? 8, 1), 20);
    const sessions = this.deps.sessions ?? { sessions: async (q: string, o: Parameters<SearchThread['sessions']>[1]) => this.deps.search.retrieval.sessions(q, o) };
    const hits = await sessions.sessions(args.query, {
      limit,
      ...(scope.project !== undefined ? { project: scope.project } : {}),
      ...(caller.sessionId ? { excludeSession: caller.sessionId } : {}),
    });
    const asked = oneLineCut(args.query, QUERY_SHOWN_CHARS);
    if (hits.length === 0 && queryWords(args.query).length === 0) {
      return redact(`Nothing to look for in "${asked}": every word of it is one that nearly every session has ("how", "we", "fix", "last time"). Ask with a few distinctive words of the problem instead: an error name, a file, a component, the symptom.`);
    }
    if (hits.length === 0) {
      const tryAll = scope.project !== undefined ? ' Try other words, or `project: "all"` to look beyond this project.' : ' Try other words.';
      return redact(`No past session in ${scope.note} matches "${asked}".${tryAll}`);
    }
    const entries = hits.map((h, i) => this.hitEntry(h, i + 1));
    const heading = `${hits.length} session${hits.length === 1 ? '' : 's'} matching "${asked}" in ${scope.note}, best first${caller.sessionId && this.queries.isStored(caller.sessionId) ? ' (this session left out)' : ''}. Read one in full with the \`turn\` tool. ${DATA_NOTE}`;
    return redact(fitEntries(heading, entries, this.budget, 'lower `limit` or use more specific words'));
  }

  /** One hit: where it is, why it matched, its passages (what the person typed quoted once) and the turn's answer. */
  private hitEntry(h: SessionHit, n: number): string {
    const at = this.queries.startedAt(h.turnId, h.sessionId);
    const shared = h.docs.map((d) => hitOrigin(this.deps.db, d.docKind, d.refId)).find((o) => o !== undefined);
    const where = `${h.sessionId ? this.cite(h.sessionId, h.turnSeq, at) : `project ${h.project ?? '?'}`}${shared ? ` (${teamLabel(shared)})` : ''}`;
    const rewrites = new Map(h.docs.map((d) => [d.refId, d.docKind === 'human' ? this.queries.rewriteOf(d.refId) : undefined]));
    const docs = h.docs.slice(0, 3);
    // The fix is usually in the agent's answer, which may hold none of the query's words.
    const answer = h.turnId ? this.queries.lastAnswer(h.turnId) : undefined;
    const answered = answer && !docs.some((d) => d.refId === answer.id) ? [`   [agent's answer in that turn] ${q(cutToFit(oneLine(answer.text), SNIPPET_CHARS))}`] : [];
    // What was typed, when it matched too, is its own passage (search-index.ts's `typed:` documents): quoted once.
    const typedShown = new Set(docs.flatMap((d) => (isTypedRef(d.refId) ? [messageOf(d.refId)] : [])));
    const passages = [...docs.flatMap((d) => passageLines(d, rewrites.get(d.refId), typedShown.has(d.refId))), ...answered];
    return [`${n}. ${where}`, `   ${whyMatched(h, (d) => fieldOf(d, rewrites.get(d.refId)))}`, ...passages].join('\n');
  }

  gaps(args: { project?: string; status?: 'open' | 'resolved' }, caller: Caller): string {
    const scope = this.scope(caller, args.project);
    if ('error' in scope) return scope.error;
    const gaps = this.deps.engine.reader.gaps({ ...(args.status ? { status: args.status } : {}), ...(scope.project ? { project: scope.project } : {}) });
    const which = args.status ?? 'open or resolved';
    if (gaps.length === 0) return `No ${args.status ? `${args.status} ` : ''}gaps noted in ${scope.note}.`;
    const origins = gapOrigins(this.deps.db, gaps.map((g) => g.id));
    const entries = gaps.map((g: GapView) => {
      const origin = origins.get(g.id);
      const first = `${this.cite(g.firstSeen.sessionId, this.queries.turnSeq(g.firstSeen.turnId), g.firstSeen.at)}${origin ? ` (${teamLabel({ author: origin.author, at: origin.at })})` : ''}`;
      const lines = [`- ${g.status.toUpperCase()} ${q(g.topic)}: ${q(g.question)} (gap ${g.id}, seen ${g.timesSeen}×)`, `  Evidence: ${q(g.evidence)}`, `  First seen: ${first}`];
      if (g.lastSeen.sessionId !== g.firstSeen.sessionId || g.lastSeen.turnId !== g.firstSeen.turnId) {
        lines.push(`  Last seen: ${this.cite(g.lastSeen.sessionId, this.queries.turnSeq(g.lastSeen.turnId), g.lastSeen.at)}`);
      }
      if (g.resolved) {
        const how = g.resolved.by === 'person' ? `marked resolved by ${g.resolved.author ? `${g.resolved.author} (a teammate)` : 'the person'}${g.resolved.note ? `: ${q(g.resolved.note)}` : ''}` : q(g.resolved.how ?? '');
        lines.push(`  Resolved ${when(g.resolved.at)}: ${how}`);
      }
      return lines.join('\n');
    });
    return redact(fitEntries(`${gaps.length} ${which} gap${gaps.length === 1 ? '' : 's'} in ${scope.note}, most seen first. ${DATA_NOTE}`, entries, this.budget, 'pass `status` to see only open or only resolved ones'));
  }

  playbook(args: { project?: string; topic?: string }, caller: Caller): string {
    const scope = this.scope(caller, args.project);
    if ('error' in scope) return scope.error;
    const about = args.topic?.trim() ? (topicTest(args.topic) ?? (() => false)) : undefined;
    const entries: string[] = [];
    /** What each session with steps is about, for an answer where none is about the topic. */
    const subjects: string[] = [];
    for (const session of this.sessionsWithSteps(scope.project, args.topic)) {
      const summary: SessionSummaryView | null = this.deps.engine.reader.summary(session.id);
      const steps = this.sessionSteps(session.id, summary);
      if (steps.length === 0) continue;
      subjects.push(summary?.title ?? steps.find((p) => p.about)?.about ?? '');
      // The steps about the topic (or whose turn is); none of them, all of a session whose summary is about it.
      const own = about ? steps.filter((p) => about(`${p.step}\n${p.command ?? ''}\n${p.why ?? ''}\n${p.about ?? ''}`)) : steps;
      const kept = own.length || !about || !summary || !about(`${summary.title}\n${summary.highlights.join('\n')}`) ? own : steps;
      if (kept.length === 0) continue;
      const lines = kept.map((p, i) => `  ${i + 1}. ${q(p.step)}${p.command ? ` command: ${dataInline('command', p.command)}` : ''}${p.why ? ` why: ${q(p.why)}` : ''}${p.turnSeq ? ` [turn ${p.turnSeq}]` : ''}`);
      entries.push([`- ${summary ? `${q(summary.title)}, ` : ''}${this.playbookSource(session, summary)}`, ...lines].join('\n'));
    }
    const topic = args.topic ? ` about "${oneLine(args.topic)}"` : '';
    if (entries.length === 0 && subjects.length > 0) return redact(noStepAbout(args.topic ?? '', scope.note, subjects));
    if (entries.length === 0) return `No playbook steps in ${scope.note} yet: they are written by kx's insight engine after turns and when a session ends.`;
    return redact(fitEntries(`Steps that worked${topic} in ${scope.note}, newest session first, in the order they were done. ${DATA_NOTE}`, entries, this.budget, 'pass a `topic`'));
  }

  /** A session's console link; a teammate's session, of which this machine has the shared summary only, has no page here: whose it is instead. */
  private playbookSource(session: { id: string; startedAt: string }, summary: SessionSummaryView | null): string {
    if (!summary?.sharedBy || this.queries.isStored(session.id)) return this.cite(session.id, null, session.startedAt);
    const who = oneLine(summary.sharedBy);
    return `${who}'s session ${session.id}, ${when(session.startedAt)}, shared through team memory: the session is on ${who}'s machine, so kx here has its summary only, with no console page`;
  }

  /**
   * The latest sessions with steps; with a topic, also older ones the search index finds it in (their notes, summaries,
   * steps or messages), so a topic is not lost behind 50 newer sessions. Newest first.
   */
  private sessionsWithSteps(project: string | undefined, topic: string | undefined): Array<{ id: string; startedAt: string }> {
    const latest = this.queries.sessionsWithSteps(project);
    if (!topic?.trim()) return latest;
    const seen = new Set(latest.map((s) => s.id));
    const found = this.deps.search.retrieval.sessions(topic, { limit: TOPIC_SESSIONS, kinds: TOPIC_KINDS, ...(project !== undefined ? { project } : {}) });
    const older = found.flatMap((h) => (h.sessionId && !seen.has(h.sessionId) ? [{ id: h.sessionId, startedAt: this.queries.startedAt(null, h.sessionId) ?? '' }] : []));
    return [...latest, ...older].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * A session's steps: its summary's, else its turns' notes'. Each with the turn that ran it (a summary's step is
   * the turn's that ran the same command or step) and what that turn was about.
   */
  private sessionSteps(sessionId: string, summary: SessionSummaryView | null): PlaybookStep[] {
    const fromTurns = this.deps.engine.reader
      .turnInsights(sessionId)
      .flatMap((t) => t.playbookSteps.map((p): PlaybookStep => ({ step: p.step, command: p.command, why: null, turnSeq: t.turnSeq, about: t.summary })));
    if (!summary?.playbook.length) return fromTurns;
    return summary.playbook.map((p) => {
      const same = fromTurns.find((t) => (p.command?.trim() ? t.command?.trim() === p.command.trim() : t.step.trim() === p.step.trim()));
      return { ...p, turnSeq: same?.turnSeq ?? null, about: same?.about ?? null };
    });
  }

  profile(args: { project?: string }, caller: Caller): string {
    const scope = this.scope(caller, args.project);
    if ('error' in scope) return scope.error;
    if (scope.project === undefined) {
      const known = this.deps.engine.reader.projects().map((p) => `${p.id} ${q(p.name)}`);
      return `Which project? kx keeps one profile per project: ${known.join('; ') || 'none yet'}. Pass its id as \`project\`.`;
    }
    const profile = this.deps.engine.profile(scope.project);
    if (!profile) return `No profile for ${scope.note} yet.`;
    return redact(`kx's profile of ${scope.note}. ${DATA_NOTE}\n${dataBlock('profile', cutToFit(profile.markdown, this.budget * 4 - 400))}`);
  }

  /** A session by its id or, as the CLI takes it, a start of its id only one session has. */
  private sessionNamed(given: string): { id: string } | { error: string } {
    const found = matchName(given.trim(), sessionIdsStarting(this.deps.db, given.trim()), (id) => [id]);
    if ('found' in found) return { id: found.found };
    if ('ambiguous' in found) return { error: `${ambiguousName('Session', given, found.ambiguous)}.` };
    return { error: `kx has no session ${given}. Session ids come from the \`search\` tool's hits.` };
  }

  turn(args: { session: string; turn: number }): string {
    const named = this.sessionNamed(args.session);
    if ('error' in named) return named.error;
    const session = named.id;
    const turn = this.queries.turn(session, args.turn);
    if (!turn) {
      const count = this.queries.turnsOf(session);
      return count ? `Session ${session} has turns 1 to ${count}; there is no turn ${args.turn}.` : `Session ${session} has no turn recorded yet.`;
    }
    const parts = this.queries.items(turn.id).flatMap((it) => {
      const body = (s: string | null) => cutToFit((s ?? '').trim(), TURN_PART_CHARS);
      switch (it.kind) {
        case 'human_message':
          if (it.typed !== null && it.edited === 1) return [dataBlock('human', body(it.typed)), dataBlock('sent_edited', body(it.text), { note: SENT_EDITED })];
          if (it.typed !== null) return [dataBlock('human', body(it.typed)), dataBlock('sent_rewritten', body(it.text), { note: SENT_REWRITTEN })];
          return [dataBlock('human', body(it.text))];
        case 'assistant_message':
          return [dataBlock('agent', body(it.text))];
        case 'reasoning':
          return it.text?.trim() ? [dataBlock('agent_reasoning_summary', body(it.text))] : [];
        case 'tool_call':
          return [dataBlock('tool_call', body(it.arguments), { tool: it.toolName ?? undefined })];
        case 'tool_output':
          return [dataBlock('tool_output', body(it.output))];
        default:
          return [];
      }
    });
    const heading = `Turn ${turn.seq} of session ${session}, ${when(turn.startedAt)} (${this.link(session, turn.seq)}), ${turn.status}, in order. ${DATA_NOTE}`;
    return redact(fitEntries(heading, parts, this.budget, 'open the console link for the rest'));
  }
}

interface PlaybookStep {
  step: string;
  command: string | null;
  why: string | null;
  turnSeq: number | null;
  /** What the turn that ran it was about (its note's summary), when known. */
  about: string | null;
}

/** The answer when steps exist but none is about the topic: what they are about, and how to see them all. */
function noStepAbout(topic: string, where: string, subjects: readonly string[]): string {
  const named = [...new Set(subjects.filter((s) => s.trim()).map((s) => oneLineCut(s, 80)))].slice(0, 8);
  const list = named.length ? ` The sessions with steps there are about: ${named.map(q).join('; ')}.` : '';
  const why = queryWords(topic).length ? 'no step, nor the session or turn it came from, has a word of it in any form' : 'it has no word to look for, only words nearly every text has';
  return `No playbook step in ${where} is about "${oneLineCut(topic, QUERY_SHOWN_CHARS)}": ${why}.${list} Try other words, or call playbook without a \`topic\` to see every step.`;
}

const KIND_WORDS: Record<string, string> = {
  human: 'human said',
  assistant: 'agent answered',
  reasoning: 'agent reasoned',
  tool_call: 'tool call',
  tool_output: 'tool output',
  insight: 'insight',
  summary: 'session summary',
  playbook: 'playbook',
  search_terms: "kx's search terms for the turn",
};

/** A hit's passage on one line, matches in bold; neighbouring matches read as one (**staging secrets**). */
function passage(snippet: string): string {
  return cutToFit(oneLine(snippet), SNIPPET_CHARS)
    .replace(new RegExp(`${MATCH_END}(\\s+)${MATCH_START}`, 'g'), '$1')
    .split(MATCH_START).join('**').split(MATCH_END).join('**');
}

/** What a human message learn mode rewrote is said to be, beside what the human typed. */
const SENT_REWRITTEN = "what kx's learn mode sent upstream in place of the human's message above: its rewrite, as the human approved it";

/** What a message the person edited in learn mode's card is said to be: their words, not kx's. */
const SENT_EDITED = "what was sent upstream in place of the human's message above: kx's learn mode proposed a rewrite and the person edited it, so these are the person's words";

/** Where a document is, in words; a human message learn mode sent rewritten is named as that. */
function fieldOf(d: MatchedDoc, rewrite: Rewrite | undefined): string {
  if (rewrite) return rewrite.edited ? "the human's message as they edited it" : "the human's message as sent rewritten";
  return KIND_WORDS[d.docKind] ?? d.docKind;
}

/**
 * A document's quoted lines: for a message sent rewritten, what the human typed (unless a passage of it is quoted
 * already), then where the match is in what was sent, named as kx's rewrite or as the person's own edit of it.
 */
function passageLines(d: MatchedDoc, rewrite: Rewrite | undefined, typedQuoted: boolean): string[] {
  if (!rewrite) return [`   [${KIND_WORDS[d.docKind] ?? d.docKind}] ${q(passage(d.snippet))}`];
  const sent = `   [${rewrite.edited ? 'sent as edited by the person' : "sent rewritten by kx's learn mode"}] ${q(passage(d.snippet))}`;
  return typedQuoted ? [sent] : [`   [human said] ${q(cutToFit(oneLine(rewrite.typed), SNIPPET_CHARS))}`, sent];
}

/**
 * Why a session matched, as its hit's line says it: which query words, found in which fields (each field named
 * once, with the words of all its documents); and whether its meaning is close (embeddings).
 */
function whyMatched(h: { docs: readonly MatchedDoc[]; near?: { distance: number } }, fieldOf: (d: MatchedDoc) => string): string {
  const byField = new Map<string, Set<string>>();
  for (const d of h.docs.filter((d) => d.words.length)) {
    const field = fieldOf(d);
    byField.set(field, new Set([...(byField.get(field) ?? []), ...d.words]));
  }
  const words = [...byField].map(([field, ws]) => `${[...ws].map((w) => `"${w}"`).join(', ')} in ${field}`).join('; ');
  if (!h.near) return `matched ${words || 'stemmed forms of the query words'}`;
  const meaning = `close to the query (embeddings, cosine similarity ${(1 - h.near.distance).toFixed(2)})`;
  return words ? `matched ${words}; found by meaning too: ${meaning}` : `found by meaning, none of its words: ${meaning}`;
}
