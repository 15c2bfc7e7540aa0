// The past sessions a new message is about, as what helps: what was asked there and what the agent
// answered (the fix), or the session's summary when no answer was recorded. Found by kx's one retrieval
// (retrieval.ts, the words queryWords keeps), and only sessions related enough (related-sessions.ts).

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { allRows, oneRow } from '../store/checked-rows.js';
import type { SearchDocKindView } from '../contracts/console.js';
import type { MatchedDoc, Retrieval, SessionHit } from '../store/retrieval.js';
import { queryWords } from '../store/query-words.js';
import type { InsightReader } from '../insight/insight-reader.js';
import { isRelated, wordsHeld } from './related-sessions.js';
import { cutAtSentences, firstSentences } from './sentences.js';
import { SaidBefore } from './near-duplicates.js';

/** What a past snippet may be: words people and the model wrote, and the insight engine's documents. */
const SNIPPET_KINDS: SearchDocKindView[] = ['human', 'assistant', 'insight', 'summary', 'playbook'];
/** A message's words looked up, at most (a pasted log would otherwise cost a query a word). */
const MAX_QUERY_WORDS = 24;
/** Characters of what was asked and of the answer: enough for a symptom and for a fix. */
const ASKED_CHARS = 200;
const ANSWER_CHARS = 600;

/** One past session's lesson for a new message. */
export interface PastLesson {
  sessionId: string;
  /** `assistant:<item>` for the answer quoted, `summary:<session>` for a summary. */
  ref: string;
  /** The session's start, YYYY-MM-DD. */
  day: string;
  asked: string;
  answer: string;
}

const turnDoc = z.object({ kind: z.enum(['human', 'assistant']), refId: z.string(), text: z.string() });
type TurnDoc = z.infer<typeof turnDoc>;
const TURN_DOCS = `SELECT d.doc_kind AS kind, d.ref_id AS refId, d.text AS text
  FROM search_docs_meta m JOIN search_docs d ON d.rowid = m.rowid
  WHERE m.session_id = ? AND d.turn_id IS ? AND d.doc_kind IN ('human', 'assistant') ORDER BY m.rowid`;

export class PastWork {
  private startStatement: Database.Statement | undefined;
  private docsStatement: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly retrieval: Pick<Retrieval, 'sessions'>,
    private readonly reader: Pick<InsightReader, 'summary'>,
  ) {}

  /** Of the `limit` best sessions of `project` for the message, those it is about, best first. */
  lessons(message: string, opts: { project: string; limit: number; excludeSession?: string }): PastLesson[] {
    const all = queryWords(message);
    const words = all.slice(0, MAX_QUERY_WORDS);
    if (words.length === 0) return [];
    // The message itself when short, so the retrieval sees its phrases ("logged out") as MCP search does.
    const query = all.length > MAX_QUERY_WORDS ? words.join(' ') : message;
    const hits = this.retrieval.sessions(query, {
      project: opts.project,
      kinds: SNIPPET_KINDS,
      limit: opts.limit,
      ...(opts.excludeSession !== undefined ? { excludeSession: opts.excludeSession } : {}),
    });
    const lessons: PastLesson[] = [];
    for (const hit of hits) {
      if (!hit.sessionId || !isRelated(hit.words, words)) continue;
      const lesson = this.lessonOf(hit, hit.sessionId, words);
      if (lesson) lessons.push(lesson);
    }
    return lessons;
  }

  /** The turn that matched best, asked and answered; else the session's summary. */
  private lessonOf(hit: SessionHit, sessionId: string, words: readonly string[]): PastLesson | undefined {
    this.startStatement ??= this.db.prepare(`SELECT started_at FROM sessions WHERE id = ?`).pluck();
    const day = (oneRow(z.string(), 'session start', this.startStatement, sessionId) ?? '').slice(0, 10);
    const docs = this.turnDocs(sessionId, bestTurn(hit.docs, words) ?? hit.turnId);
    const asked = docs.find((d) => d.kind === 'human')?.text ?? '';
    const answer = docs.filter((d) => d.kind === 'assistant').at(-1);
    if (answer) return { sessionId, ref: `assistant:${answer.refId}`, day, asked: firstSentences(asked, ASKED_CHARS), answer: cutAtSentences(answer.text, ANSWER_CHARS) };
    const summary = this.reader.summary(sessionId);
    if (!summary) return undefined;
    const told = [summary.title.replace(/[.!?]?$/, '.'), ...summary.highlights].join('\n');
    return { sessionId, ref: `summary:${sessionId}`, day, asked: firstSentences(asked, ASKED_CHARS), answer: cutAtSentences(told, ANSWER_CHARS) };
  }

  /** The turn's human and agent messages as indexed (stored redacted), in order; `turn` null: those of no turn. */
  private turnDocs(sessionId: string, turn: string | null): TurnDoc[] {
    this.docsStatement ??= this.db.prepare(TURN_DOCS);
    return allRows(turnDoc, 'past message', this.docsStatement, sessionId, turn);
  }
}

/**
 * The turn whose matched documents (the question, the answer, the notes on it) together hold the most of the
 * message's words: a thank-you that repeats two words is not where the problem was solved. On a tie, the turn
 * of the better document; null when no matched document is in a turn.
 */
export function bestTurn(docs: readonly MatchedDoc[], words: readonly string[]): string | null {
  const held = new Map<string, Set<string>>();
  for (const d of docs) {
    if (d.turnId === null) continue;
    const set = held.get(d.turnId) ?? new Set<string>();
    for (const w of wordsHeld(d.words, words)) set.add(w);
    held.set(d.turnId, set);
  }
  let best: string | null = null;
  for (const [turn, set] of held) if (best === null || set.size > held.get(best)!.size) best = turn;
  return best;
}

/**
 * Lessons as lines, each saying only what no earlier line (nor `already`) said: a lesson whose answer adds
 * nothing new is left out, since the symptom alone does not help.
 */
export function lessonLines(lessons: readonly PastLesson[], already: readonly string[] = []): Array<{ lesson: PastLesson; line: string }> {
  const said = new SaidBefore(already);
  return lessons.flatMap((lesson) => {
    const asked = said.news(lesson.asked);
    // An answer that only repeats its question ("You said: …") says nothing either.
    const answer = new SaidBefore([lesson.asked]).news(said.news(lesson.answer));
    if (!answer) return [];
    said.remember(asked);
    said.remember(answer);
    const told = lesson.ref.startsWith('summary:') ? 'Summary' : 'Answer';
    return [{ lesson, line: `${asked ? `Asked (${lesson.day}): ${asked} · ` : `(${lesson.day}) `}${told}: ${answer}` }];
  });
}
