// What learn mode reads from the insight engine and the search index, behind one small seam so it
// can be built, tested and run before (or without) them: the project of a session, its open gaps,
// its latest session summaries and the past snippets most relevant to the human's message.

export interface LearnGap {
  id: string;
  topic: string;
  question: string;
  evidence: string;
  status: 'open' | 'resolved';
  /** Set when the gap came from another machine through team memory (src/team/): who, which session, when. */
  origin?: string;
}

export interface LearnSummary {
  sessionId: string;
  title: string;
  highlights: string[];
  nextRepetitions: string[];
  playbook: { step: string; command: string | null }[];
}

export interface LearnSnippet {
  /** A stable reference the rewrite cites, e.g. `summary:<session>` or `human:<item id>`. */
  ref: string;
  text: string;
}

export interface LearnContextSource {
  /** The project a session belongs to, when the insight engine has placed it. */
  projectOf(sessionId: string): string | undefined;
  /** The id the store gives a project of this name (its working directory), if any. */
  projectIdByName?(name: string): string | undefined;
  openGaps(project: string): LearnGap[];
  /** Newest first. */
  latestSummaries(project: string, limit: number): LearnSummary[];
  /** Past work of this project only that the query is about, best first, none from `excludeSession` (past-work.ts in the real source). */
  search(query: string, opts: { project: string; limit: number; excludeSession?: string }): LearnSnippet[];
  /** The status of gaps by id (to end learn mode when every gap a session started with is resolved). */
  gapStatus(ids: readonly string[]): Map<string, 'open' | 'resolved'>;
  /**
   * The project's profile essentials for context at session start, with the past work that matches
   * the session's first message when it is given (never the asking session's own); undefined when there is none.
   */
  profileEssentials(project: string, firstMessage?: string, excludeSession?: string): string | undefined;
}

/** An in-memory source for tests and demos; `search` ranks by shared words, scoped by project. */
export class InMemoryContextSource implements LearnContextSource {
  readonly sessions = new Map<string, string>();
  readonly gaps: Array<LearnGap & { project: string }> = [];
  readonly summaries: Array<LearnSummary & { project: string }> = [];
  readonly snippets: Array<LearnSnippet & { project: string }> = [];
  readonly profiles = new Map<string, string>();

  /** `defaultProject`: the project of every session not listed in `sessions` (a demo with one project). */
  constructor(private readonly defaultProject?: string) {}

  projectOf(sessionId: string): string | undefined {
    return this.sessions.get(sessionId) ?? this.defaultProject;
  }
  openGaps(project: string): LearnGap[] {
    return this.gaps.filter((g) => g.project === project && g.status === 'open');
  }
  latestSummaries(project: string, limit: number): LearnSummary[] {
    return this.summaries.filter((s) => s.project === project).slice(-limit).reverse();
  }
  search(query: string, opts: { project: string; limit: number }): LearnSnippet[] {
    const words = new Set(query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
    return this.snippets
      .filter((s) => s.project === opts.project)
      .map((s) => ({ s, score: (s.text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => words.has(w)).length }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.limit)
      .map(({ s }) => ({ ref: s.ref, text: s.text }));
  }
  gapStatus(ids: readonly string[]): Map<string, 'open' | 'resolved'> {
    return new Map(this.gaps.filter((g) => ids.includes(g.id)).map((g) => [g.id, g.status]));
  }
  profileEssentials(project: string): string | undefined {
    return this.profiles.get(project);
  }
}
