// The one shape of every error kx's /api answers, so the console and the CLI read any of them the same way.

import { z } from 'zod';

/** invalid_request_error: the request is wrong (as OpenAI names it, which kx's proxy errors already use). */
export const apiErrorType = z.enum(['invalid_request_error', 'not_found', 'conflict', 'unauthorized', 'forbidden_host', 'forbidden_origin', 'internal_error']);
export type ApiErrorType = z.infer<typeof apiErrorType>;

export const apiErrorBody = z.object({ error: z.object({ message: z.string(), type: z.string() }) });
export type ApiErrorBody = z.infer<typeof apiErrorBody>;
