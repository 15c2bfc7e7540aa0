// What changed, as kx publishes it in process and streams it to pages through GET /api/events: each
// status is the closed set its producer writes, so a subscriber's switch is checked.

import { z } from 'zod';
import { jobKind, jobState } from './insight.js';
import { approvalStatus, mode, modeScope } from './learn.js';

/** src/store/records.ts TurnStatus: a turn opens, then ends one of three ways. */
export const turnStatus = z.enum(['open', 'completed', 'failed', 'interrupted']);
export type TurnStatus = z.infer<typeof turnStatus>;
/** A gap first opened, seen again while open, resolved, or seen again (or set open) after resolving. */
export const gapEventStatus = z.enum(['open', 'seen', 'resolved', 'reopened']);

export const liveEvent = z.discriminatedUnion('type', [
  /** Items committed to SQLite and the jsonl files, in session order. */
  z.object({ type: z.literal('items'), sessionId: z.string(), turnId: z.string().nullable(), itemIds: z.array(z.string()) }),
  /** A turn began or its status changed. */
  z.object({ type: z.literal('turn'), sessionId: z.string(), turnId: z.string(), status: turnStatus }),
  /** A session was first stored, or its facts changed (project, mode, end). */
  z.object({ type: z.literal('session'), sessionId: z.string() }),
  /** An insight job changed state. */
  z.object({ type: z.literal('insight'), sessionId: z.string().nullable(), turnId: z.string().nullable(), jobKind, state: jobState }),
  /** A gap opened, was seen again, resolved or reopened. */
  z.object({ type: z.literal('gap'), gapId: z.string(), project: z.string(), status: gapEventStatus }),
  /** A learn-mode approval was created or settled. */
  z.object({ type: z.literal('approval'), approvalId: z.string(), sessionId: z.string(), status: approvalStatus, reason: z.string().optional() }),
  /** An answer reached the client but kx could not decode its copy (an unknown or corrupt content-encoding). */
  z.object({ type: z.literal('undecodable'), sessionId: z.string(), requestId: z.string(), reason: z.string() }),
  /** The learn/capture mode in force changed. */
  z.object({ type: z.literal('mode'), scope: modeScope, target: z.string().nullable(), mode }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;
