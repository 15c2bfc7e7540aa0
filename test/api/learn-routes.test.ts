import { afterEach, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { startLearnHarness, type LearnHarness } from '../support/learn-harness.js';

describe('learn routes', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  const call = (path: string, init: RequestInit = {}, headers: Record<string, string> = {}) =>
    fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers } });

  it('shows the global mode in /api/health without the token', async () => {
    h = await startLearnHarness([], { mode: 'learn' });
    const health = (await (await fetch(`${h.kx.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ mode: 'learn', pendingApprovals: 0 });
  });

  it('refuses a mode switch from another origin (CSRF)', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    const res = await call('/api/mode', { method: 'POST', body: JSON.stringify({ mode: 'learn' }) }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(h.kx.modes.view().global).toBe('capture');
  });

  it('refuses the approvals without the token', async () => {
    h = await startLearnHarness([]);
    expect((await fetch(`${h.kx.url}/api/approvals`)).status).toBe(401);
  });

  it('explains a bad decision, an unknown approval and a bad mode', async () => {
    h = await startLearnHarness([]);
    const bad = await call('/api/approvals/a_x', { method: 'POST', body: JSON.stringify({ decision: 'edit' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.stringMatching(/text|Required/) } });
    expect((await call('/api/approvals/a_none', { method: 'POST', body: JSON.stringify({ decision: 'accept' }) })).status).toBe(404);
    expect((await call('/api/mode', { method: 'POST', body: JSON.stringify({ mode: 'teach' }) })).status).toBe(400);
    expect((await call('/api/approvals?status=maybe')).status).toBe(400);
  });

  it('keeps a mode chosen through the API across a restart', async () => {
    h = await startLearnHarness([], { mode: undefined });
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('shop', '/home/ana/shop', '2026-11-20T10:00:00Z')`).run();
    await call('/api/mode', { method: 'POST', body: JSON.stringify({ mode: 'learn', project: 'shop' }) });
    const { ModeBook } = await import('../../src/learn/modes.js');
    const { ApprovalStore } = await import('../../src/store/approval-store.js');
    const { LiveEvents } = await import('../../src/store/live-events.js');
    const again = new ModeBook(new ApprovalStore(h.kx.store.db), new LiveEvents(), undefined);
    expect(again.view()).toEqual({ global: 'capture', projects: { shop: 'learn' }, sessions: {} });
  });

  it('keeps the global mode KX_MODE chose across a restart without it, as `kx mode` does', async () => {
    h = await startLearnHarness([], { mode: 'learn' });
    const { ModeBook } = await import('../../src/learn/modes.js');
    const { ApprovalStore } = await import('../../src/store/approval-store.js');
    const { LiveEvents } = await import('../../src/store/live-events.js');
    expect(new ModeBook(new ApprovalStore(h.kx.store.db), new LiveEvents(), undefined).view().global).toBe('learn');
  });

  it('refuses a mode for a session it does not know, or an oversized id, and sets nothing', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    const post = (body: unknown) => call('/api/mode', { method: 'POST', body: JSON.stringify(body) });
    const unknown = await post({ mode: 'learn', session: 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('no session no-such-session');
    expect((await post({ mode: 'learn', session: 'x'.repeat(100_000) })).status).toBe(400);
    h.kx.store.db.prepare(`INSERT INTO sessions (id, identified_by, started_at) VALUES ('s-known', 'header', '2026-11-20T10:00:00Z')`).run();
    expect((await post({ mode: 'learn', session: 's-known' })).status).toBe(200);
    expect(h.kx.modes.view().sessions).toEqual({ 's-known': 'learn' });
  });
});
