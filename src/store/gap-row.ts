// A row of the gaps table as SQLite returns it (`SELECT * FROM gaps`): read by the insight reader and by
// team memory's push, each checked against this one shape.

import { z } from 'zod';

const text = z.string();
const maybeText = z.string().nullable();

export const gapRow = z.object({
  id: text,
  project: text,
  topic: text,
  question: text,
  evidence: text,
  status: z.enum(['open', 'resolved']),
  times_seen: z.number(),
  first_seen_session_id: text,
  first_seen_turn_id: text,
  first_seen_at: text,
  last_seen_session_id: text,
  last_seen_turn_id: text,
  last_seen_at: text,
  resolved_turn_id: maybeText,
  resolved_how: maybeText,
  resolved_by: z.enum(['model', 'person']).nullable(),
  resolved_note: maybeText,
  resolved_at: maybeText,
});
export type GapRow = z.infer<typeof gapRow>;
