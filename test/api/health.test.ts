// GET /api/health is a contract (src/contracts/health.ts): what a running kx answers fits it exactly.

import { afterEach, describe, expect, it } from 'vitest';
import { healthFacts, healthView, storeHealthView } from '../../src/contracts/health.js';
import { startHarness, type Harness } from '../support/kx-harness.js';

describe('GET /api/health', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('answers without a token in the shape of its contract, every field named there', async () => {
    h = await startHarness();
    const res = await fetch(`${h.kx.url}/api/health`);
    expect(res.status).toBe(200);
    const strict = healthFacts.extend({ ok: healthView.shape.ok, version: healthView.shape.version, store: storeHealthView.strict() }).strict();
    const health = strict.parse(await res.json());
    expect(health).toMatchObject({ ok: true, captureBacklog: 0, mode: 'capture', pendingApprovals: 0, store: { ok: true } });
  });
});
