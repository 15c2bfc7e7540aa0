// What the model must answer, as zod schemas: sent as the structured-output format and used to
// parse the answer once at the boundary. The prompts in prompts/ describe the same fields in words.

import { z } from 'zod';

// Structured outputs need every field present: "none" is an empty list or null, never a missing key.
export const TurnInsightOutput = z.object({
  summary: z.string(),
  action: z.string(),
  outcome: z.enum(['succeeded', 'partly', 'failed', 'unclear']),
  gaps: z.array(
    z.object({
      topic: z.string(),
      question: z.string(),
      evidence: z.string(),
      confidence: z.number().min(0).max(1),
      existing_gap_id: z.string().nullable(),
    }),
  ),
  confusion: z.array(z.object({ what: z.string(), evidence: z.string() })),
  decisions: z.array(z.object({ choice: z.string(), why: z.string() })),
  successes: z.array(z.string()),
  follow_ups: z.array(z.string()),
  resolved_gaps: z.array(z.object({ gap_id: z.string(), how: z.string() })),
  next_time: z.string().nullable(),
  playbook_steps: z.array(z.object({ step: z.string(), command: z.string().nullable() })),
  /** Words a person would search with to find this turn again (indexed for search, never shown as a note). */
  search_terms: z.array(z.string()),
});
export type TurnInsightOutput = z.infer<typeof TurnInsightOutput>;
export const TURN_INSIGHT_SCHEMA = 'turn_insight';

export const SessionSummaryOutput = z.object({
  title: z.string(),
  highlights: z.array(z.string()),
  unresolved_questions: z.array(z.string()),
  next_repetitions: z.array(z.string()),
  playbook: z.array(z.object({ step: z.string(), command: z.string().nullable(), why: z.string().nullable() })),
});
export type SessionSummaryOutput = z.infer<typeof SessionSummaryOutput>;
export const SESSION_SUMMARY_SCHEMA = 'session_summary';
