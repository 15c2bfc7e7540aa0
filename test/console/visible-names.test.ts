// Lookalike project names: the console shows a zero-width or right-to-left character in a folder
// name as ⟨U+XXXX⟩, as the approvals page does, wherever a project's name or folder is shown.

import { describe, expect, it } from 'vitest';
import { projectList, projectProfile, searchResponse, sessionDetail } from '../../ui/src/api/schemas.js';

const LOOKALIKE = '/home/ana/sh\u200bop';
const SHOWN = '/home/ana/sh⟨U+200B⟩op';
const project = { id: 'shop-a1b2c3', name: LOOKALIKE, sessionCount: 1, openGaps: 0, resolvedGaps: 0, lastActivityAt: null };

describe('project names the console shows', () => {
  it('shows hidden characters in the projects list, and keeps the id the views link by', () => {
    const plain = { ...project, id: 'shop-d4e5f6', name: '/home/ana/shop' };
    const out = projectList.parse({ projects: [project, plain] });
    expect(out.projects.map((p) => p.name)).toEqual([SHOWN, '/home/ana/shop']);
    expect(out.projects[0]!.id).toBe('shop-a1b2c3');
  });

  it('shows them in a project page, a session’s folder and a search hit’s project', () => {
    const profile = projectProfile.parse({ project, markdown: '', openGaps: [], resolvedGaps: [], recurringTopics: [], recentSummaries: [] });
    expect(profile.project.name).toBe(SHOWN);
    const session = sessionDetail.parse({
      id: 's1', client: null, userAgent: null, identifiedBy: 'header', startedAt: '2026-01-01T00:00:00Z', lastActivityAt: '2026-01-01T00:00:00Z',
      turnCount: 0, requestCount: 0, usage: { inputTokens: 0, cachedTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 },
      project: 'shop-a1b2c3', cwd: '/home/ana/\u202eshop', endedAt: null, turns: [], preamble: [], requests: [],
    });
    expect(session.cwd).toBe('/home/ana/⟨U+202E⟩shop');
    const hits = searchResponse.parse({ query: 'x', words: ['x'], more: false, hits: [{ docKind: 'human', refId: 'i1', sessionId: 's1', turnId: null, turnSeq: null, project: 'shop-a1b2c3', projectName: LOOKALIKE, snippet: 'x', score: 1 }] });
    expect(hits.hits[0]!.projectName).toBe(SHOWN);
  });
});
