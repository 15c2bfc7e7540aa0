// What search indexes of the insight engine's answers: a turn's insight (its notes) and its playbook steps,
// a session's summary and its playbook. Indexing the same kind and ref again replaces the document, so a new
// summary version takes the old one's place.

import type { SearchDocument } from '../store/search-index.js';
import type { SessionSummaryOutput, TurnInsightOutput } from './schemas.js';

/** An answer the engine just stored, told to whoever keeps derived copies of it (kx.ts: the search index). */
export type StoredInsight =
  | { kind: 'turn'; sessionId: string; turnId: string; project: string; output: TurnInsightOutput }
  | { kind: 'summary'; sessionId: string; project: string; version: number; output: SessionSummaryOutput };

const lines = (parts: Array<string | null | undefined>): string => parts.filter((p): p is string => !!p && p.trim() !== '').join('\n');
const steps = (list: Array<{ step: string; command: string | null; why?: string | null }>): string =>
  lines(list.map((s) => lines([s.step, s.command, s.why])));

export function insightSearchDocs(stored: StoredInsight): SearchDocument[] {
  const docs: SearchDocument[] = [];
  if (stored.kind === 'turn') {
    const o = stored.output;
    const where = { sessionId: stored.sessionId, turnId: stored.turnId, project: stored.project };
    docs.push({
      docKind: 'insight',
      refId: stored.turnId,
      ...where,
      text: lines([
        o.summary,
        o.action,
        ...o.gaps.map((g) => `${g.topic}: ${g.question}`),
        ...o.confusion.map((c) => c.what),
        ...o.decisions.map((d) => `${d.choice} (${d.why})`),
        ...o.successes,
        ...o.follow_ups,
        ...o.resolved_gaps.map((r) => r.how),
        o.next_time,
      ]),
    });
    if (o.search_terms.length) docs.push({ docKind: 'search_terms', refId: stored.turnId, ...where, text: o.search_terms.join('\n') });
    if (o.playbook_steps.length) docs.push({ docKind: 'playbook', refId: stored.turnId, ...where, text: steps(o.playbook_steps) });
    return docs;
  }
  const o = stored.output;
  const where = { sessionId: stored.sessionId, turnId: null, project: stored.project };
  docs.push({ docKind: 'summary', refId: stored.sessionId, ...where, text: lines([o.title, ...o.highlights, ...o.unresolved_questions, ...o.next_repetitions]) });
  if (o.playbook.length) docs.push({ docKind: 'playbook', refId: `summary:${stored.sessionId}`, ...where, text: steps(o.playbook) });
  return docs;
}
