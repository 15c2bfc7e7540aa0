// One error shape for every /api refusal (src/contracts/api-error.ts), and the one way a route checks a
// JSON body: @hono/zod-validator with the contract's schema, answering a misfit in that shape.

import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import type { ApiErrorBody, ApiErrorType } from '../contracts/api-error.js';

export const apiError = (type: ApiErrorType, message: string): ApiErrorBody => ({ error: { message, type } });

/** Every issue, field by field: "kx: limit: Number must be greater than or equal to 1". */
export const everyIssue = (error: z.ZodError): string => `kx: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;

/**
 * The JSON body checked against `schema`; a body of the wrong shape is a 400 whose message `explain` writes.
 * A body that is not JSON at all is refused by Hono's validator with an HTTPException, which app.ts answers
 * in the same shape; a body sent without a JSON content-type is checked as `{}`.
 */
export const jsonBody = <S extends z.ZodTypeAny>(schema: S, explain: (error: z.ZodError) => string = everyIssue) =>
  zValidator('json', schema, (result, c) => {
    if (!result.success) return c.json(apiError('invalid_request_error', explain(result.error)), 400);
  });
