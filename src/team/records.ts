// The shapes that cross to and from the team database, checked once when they come back: another
// machine (or anyone with the database's password) wrote them, so they are untrusted input.

import { z } from 'zod';

export const GapData = z.object({
  topic: z.string(),
  question: z.string(),
  evidence: z.string(),
  status: z.enum(['open', 'resolved']),
  timesSeen: z.number().int().min(1),
  firstSeen: z.object({ sessionId: z.string(), turnId: z.string(), at: z.string() }),
  lastSeen: z.object({ sessionId: z.string(), turnId: z.string(), at: z.string() }),
  resolved: z
    .object({ how: z.string().nullable(), by: z.enum(['model', 'person']), note: z.string().nullable(), at: z.string(), author: z.string() })
    .nullable(),
});
export type GapData = z.infer<typeof GapData>;

/** A row of team_records as a pull reads it. */
export const TeamRecord = z.object({
  machine_id: z.string().min(1),
  kind: z.enum(['note', 'gap', 'summary']),
  local_id: z.string().min(1),
  project_key: z.string().min(1),
  author: z.string(),
  session_id: z.string().nullable(),
  data: z.unknown(),
  deleted: z.boolean(),
  changed_at: z.coerce.date(),
  changed_by: z.string(),
  change_seq: z.coerce.number().int(),
});
export type TeamRecord = z.infer<typeof TeamRecord>;

/** A record as a push sends it (the server gives it its change_seq). */
export interface OutgoingRecord {
  machine_id: string;
  kind: 'note' | 'gap' | 'summary';
  local_id: string;
  project_key: string;
  author: string;
  session_id: string | null;
  data: unknown;
  deleted: boolean;
  changed_at: string;
  changed_by: string;
}

/** Who this kx is to the team: a machine id made once per documents folder, and a person's name. */
export interface TeamIdentity {
  machineId: string;
  author: string;
}
