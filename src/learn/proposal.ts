// The proposal: what past sessions of the project add to a new human message. It gathers what the
// rewrite model may use (open gaps, latest summaries, snippets), asks the model within its time
// limit, and builds the approval record the human will see. Only what was offered may be cited.

import type { HookRequestWithFacts } from '../capture/hook-facts.js';
import { newId } from '../capture/ids.js';
import { redact } from '../capture/redact.js';
import type { ApprovalRecord } from '../store/approval-store.js';
import type { LearnContextSource, LearnGap, LearnSnippet, LearnSummary } from './context-source.js';
import type { HumanMessageRef } from './human-turn.js';
import type { RewriteModel, RewriteOutput } from './rewrite-model.js';

/** What the rewrite model is given about the project's past. */
export interface Findings {
  gaps: LearnGap[];
  summaries: LearnSummary[];
  snippets: LearnSnippet[];
}

export function gatherFindings(ctx: LearnContextSource, text: string, project: string, sessionId: string): Findings {
  return {
    gaps: ctx.openGaps(project),
    summaries: ctx.latestSummaries(project, 3),
    snippets: ctx.search(text, { project, limit: 6, excludeSession: sessionId }),
  };
}

/** The record of a new turn before anything is proposed for it. */
export function newApprovalRecord(req: HookRequestWithFacts, ref: HumanMessageRef, project: string, turnKey: string, context: string | null): ApprovalRecord {
  return {
    id: newId('a'),
    sessionId: req.session.id,
    project,
    turnKey,
    ordinal: ref.ordinal,
    originalHash: ref.textHash,
    clientTurnId: req.parsed.meta.turnId ?? null,
    transport: req.transport,
    original: ref.text,
    rewrite: null,
    finalText: null,
    decision: 'pending',
    reason: null,
    gaps: [],
    snippets: [],
    context,
    createdAt: new Date().toISOString(),
    decidedAt: null,
  };
}

export type RewriteAnswer = { kind: 'answer'; out: RewriteOutput } | { kind: 'cancelled' } | { kind: 'failed'; reason: string };

/** The model's answer, or why there is none: the client left (cancelled), or the call failed or was too slow. */
export async function askRewrite(
  model: RewriteModel,
  input: { sessionId: string; text: string; project: string; findings: Findings },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<RewriteAnswer> {
  const { gaps, summaries, snippets } = input.findings;
  if (!gaps.length && !summaries.length && !snippets.length) {
    return { kind: 'answer', out: { rewritten: input.text, added_anything: false, gap_ids: [], snippet_refs: [], reason: 'No past learnings for this project yet.' } };
  }
  const tooSlow = AbortSignal.timeout(timeoutMs);
  try {
    // Redacted like the insight call's input: a key pasted into the message never leaves for the rewrite model.
    const out = await model.rewrite({ sessionId: input.sessionId, original: redact(input.text), project: input.project, gaps, summaries, snippets }, AbortSignal.any([signal, tooSlow]));
    return { kind: 'answer', out };
  } catch (err) {
    if (signal.aborted) return { kind: 'cancelled' };
    return { kind: 'failed', reason: `rewrite failed: ${tooSlow.aborted ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message}` };
  }
}

/**
 * The record the human is shown: the rewrite (redacted, as the model saw the message), its reason,
 * and the gaps and snippets it cites. `changed` says whether the model added anything at all.
 */
export function proposalRecord(base: ApprovalRecord, out: RewriteOutput, findings: Findings): { rec: ApprovalRecord; changed: boolean } {
  const gapById = new Map(findings.gaps.map((g) => [g.id, g]));
  // A summary is cited as `summary:<session>` (prompts/rewrite.md): kept like a snippet, its title as the text
  // (also when a past session's snippet quoted that summary under the same ref).
  const snippetByRef = new Map([
    ...findings.snippets.map((s) => [s.ref, s] as const),
    ...findings.summaries.map((s) => [`summary:${s.sessionId}`, { ref: `summary:${s.sessionId}`, text: s.title }] as const),
  ]);
  // The model saw the redacted message, so its rewrite is compared (and shown) redacted too.
  const shownOriginal = redact(base.original);
  const changed = out.added_anything && out.rewritten.trim() !== '' && out.rewritten !== shownOriginal;
  const rec: ApprovalRecord = {
    ...base,
    rewrite: changed ? out.rewritten : shownOriginal,
    reason: out.reason,
    // Only what was given may be cited: a model's invented id is dropped.
    gaps: out.gap_ids.filter((id) => gapById.has(id)).map((id) => ({ gapId: id, topic: gapById.get(id)!.topic })),
    snippets: out.snippet_refs.filter((r) => snippetByRef.has(r)).map((r) => snippetByRef.get(r)!),
  };
  return { rec, changed };
}
