// Team memory's notes and summaries reach the search index the way local ones do: through the insight
// engine's own search documents (search-docs.ts), checked against the model's output schemas first,
// since another machine wrote them. A tombstone indexes the same documents empty.

import { z } from 'zod';
import type { SearchDocument, SearchIndex } from '../store/search-index.js';
import type { IndexTeamRecord } from '../team/apply.js';
import { SessionSummaryOutput, TurnInsightOutput } from './schemas.js';
import { insightSearchDocs } from './search-docs.js';

// A teammate's kx from before search terms sends notes without them: still a note, with none.
const NotePayload = z.object({ output: TurnInsightOutput.extend({ search_terms: z.array(z.string()).default([]) }) });
const SummaryPayload = z.object({ version: z.number().int(), output: SessionSummaryOutput });

function docsOf(r: Parameters<IndexTeamRecord>[0]): SearchDocument[] | string {
  const sessionId = r.sessionId ?? '';
  if (r.kind === 'note') {
    const p = NotePayload.safeParse(r.data);
    if (!p.success) return `a malformed note: ${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`;
    return insightSearchDocs({ kind: 'turn', sessionId, turnId: r.localId, project: r.project, output: p.data.output });
  }
  const p = SummaryPayload.safeParse(r.data);
  if (!p.success) return `a malformed summary: ${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`;
  return insightSearchDocs({ kind: 'summary', sessionId, project: r.project, version: p.data.version, output: p.data.output });
}

// Empty, with one playbook step so the playbook document is emptied too.
const EMPTY_NOTE: TurnInsightOutput = { summary: '', action: '', outcome: 'unclear', gaps: [], confusion: [], decisions: [], successes: [], follow_ups: [], resolved_gaps: [], next_time: null, playbook_steps: [{ step: '', command: null }], search_terms: [] };
const EMPTY_SUMMARY: SessionSummaryOutput = { title: '', highlights: [], unresolved_questions: [], next_repetitions: [], playbook: [{ step: '', command: null, why: null }] };

export function teamIndexer(search: Pick<SearchIndex, 'indexDocument'>): IndexTeamRecord {
  return (r) => {
    const docs = r.deleted
      ? r.kind === 'note'
        ? insightSearchDocs({ kind: 'turn', sessionId: r.sessionId ?? '', turnId: r.localId, project: r.project, output: EMPTY_NOTE })
        : insightSearchDocs({ kind: 'summary', sessionId: r.sessionId ?? '', project: r.project, version: 0, output: EMPTY_SUMMARY })
      : docsOf(r);
    if (typeof docs === 'string') return docs;
    for (const doc of docs) search.indexDocument(doc);
    return undefined;
  };
}
