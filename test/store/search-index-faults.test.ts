import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/contracts/live-events.js';
import { SessionStore } from '../../src/store/session-store.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { responsesBody, rawRequest } from '../../harness/drivers/http-client.js';

describe('search index faults', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('keeps capturing and announcing items when indexing them fails', async () => {
    h = await startHarness();
    h.kx.store.db.exec('DROP TABLE search_docs');
    const events: LiveEvent[] = [];
    h.kx.live.subscribe((e) => events.push(e));
    const res = await rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': 'index-broken' },
      body: responsesBody('hello while the index is broken'),
    });
    expect(res.status).toBe(200);
    await h.kx.settle();
    expect(h.kx.reader.getSession('index-broken')!.turns[0]!.items[0]!.text).toBe('hello while the index is broken');
    expect(events.some((e) => e.type === 'items' && e.sessionId === 'index-broken')).toBe(true);
  });

  it('starts and captures when the index is broken before kx starts', async () => {
    const dir = tempDir('kx-docs-');
    const store = new SessionStore({ documentsDir: dir });
    store.db.exec('DROP TABLE search_docs');
    seedSessions(store.db, { sessions: 1, turnsPerSession: 1 }); // items the index has yet to take in
    store.close();
    h = await startHarness({ documentsDir: dir });
    const res = await rawRequest(`${h.proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': 'index-broken-at-start' },
      body: responsesBody('hello'),
    });
    expect(res.status).toBe(200);
    await h.kx.settle();
    expect(h.kx.reader.getSession('index-broken-at-start')).toBeDefined();
  });
});
