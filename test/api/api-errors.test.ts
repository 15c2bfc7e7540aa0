// Every /api refusal of a bad request has one shape, { error: { message, type: 'invalid_request_error' } },
// whichever route refused it (src/contracts/api-error.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorBody } from '../../src/contracts/api-error.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

describe('one API error shape', () => {
  let h: InsightHarness;
  beforeAll(async () => {
    h = await startInsightHarness();
  }, 60_000);
  afterAll(async () => h?.close());

  const refusal = async (route: string, body?: string) => {
    const res = await fetch(`${h.kx.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, body: apiErrorBody.parse(await res.json()) };
  };

  it.each([
    ['a bad session-list query', '/api/sessions?limit=0', undefined],
    ['a bad gap status filter', '/api/gaps?status=gone', undefined],
    ['a bad approvals filter', '/api/approvals?status=gone', undefined],
    ['a gap update of the wrong shape', '/api/gaps/g_1', '{"status":"gone"}'],
    ['a decision of the wrong shape', '/api/approvals/a_1', '{"decision":"edit"}'],
    ['a mode of the wrong shape', '/api/mode', '{"mode":"teach"}'],
    ['a gap update that is not JSON', '/api/gaps/g_1', '{"status":'],
    ['a decision that is not JSON', '/api/approvals/a_1', 'accept'],
    ['a mode that is not JSON', '/api/mode', '{mode: learn}'],
  ])('answers %s with 400 and invalid_request_error', async (_what, route, body) => {
    const { status, body: error } = await refusal(route, body);
    expect(status).toBe(400);
    expect(error.error.type).toBe('invalid_request_error');
    expect(error.error.message.length).toBeGreaterThan(0);
  });
});
