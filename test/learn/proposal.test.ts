// The proposal a held turn shows: only what the rewrite model was offered may be cited on the card.

import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/store/approval-store.js';
import { proposalRecord, type Findings } from '../../src/learn/proposal.js';
import type { RewriteOutput } from '../../src/learn/rewrite-model.js';

const ORIGINAL = 'run the integration tests';

const base: ApprovalRecord = {
  id: 'a_1',
  sessionId: 's-1',
  project: 'shop',
  turnKey: 'k',
  ordinal: 0,
  originalHash: 'h',
  clientTurnId: null,
  transport: 'http',
  original: ORIGINAL,
  rewrite: null,
  finalText: null,
  decision: 'pending',
  reason: null,
  gaps: [],
  snippets: [],
  context: null,
  createdAt: '2026-12-03T00:00:00.000Z',
  decidedAt: null,
};

const findings: Findings = {
  gaps: [{ id: 'g_12', topic: 'test database', question: 'why do the tests fail?', evidence: 'relation users does not exist', status: 'open' }],
  summaries: [{ sessionId: 's-old', title: 'Migrated, then the tests passed', highlights: [], nextRepetitions: [], playbook: [] }],
  snippets: [{ ref: 'human:i_7', text: 'run npm run db:migrate first' }],
};

const answer = (cited: Partial<RewriteOutput>): RewriteOutput => ({
  rewritten: `${ORIGINAL}; migrate first`,
  added_anything: true,
  gap_ids: [],
  snippet_refs: [],
  reason: 'Adds the migrate step.',
  ...cited,
});

describe('proposal', () => {
  it('drops a snippet ref the model was not offered', () => {
    const { rec } = proposalRecord(base, answer({ snippet_refs: ['human:i_7', 'human:i_invented', 'summary:s-invented'] }), findings);
    expect(rec.snippets).toEqual([{ ref: 'human:i_7', text: 'run npm run db:migrate first' }]);
  });

  it('keeps a cited summary as a snippet, its title as the text', () => {
    const { rec } = proposalRecord(base, answer({ snippet_refs: ['summary:s-old'] }), findings);
    expect(rec.snippets).toEqual([{ ref: 'summary:s-old', text: 'Migrated, then the tests passed' }]);
  });

  it('drops a gap id the model was not offered', () => {
    const { rec } = proposalRecord(base, answer({ gap_ids: ['g_invented', 'g_12'] }), findings);
    expect(rec.gaps).toEqual([{ gapId: 'g_12', topic: 'test database' }]);
  });

  it('shows the original as the rewrite when the model added nothing', () => {
    const { rec, changed } = proposalRecord(base, answer({ rewritten: ORIGINAL, added_anything: false }), findings);
    expect(changed).toBe(false);
    expect(rec.rewrite).toBe(ORIGINAL);
  });
});
