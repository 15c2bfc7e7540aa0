// The walkthrough that is the point of kx, with the real Codex CLI and the real context source: session 1
// in capture mode leaves a gap (scripted insight through the fake upstream); `codex exec` starts session 2
// in the same directory in learn mode, and its FIRST message is held with a rewrite and the context on
// the card; after accept, the first upstream request holds both, never the original; kx restarts
// mid-session and later requests still carry the exact approved text; resolving the gap ends learn mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../src/contracts/learn.js';
import { DEFAULT_LEARN } from '../../src/config/config.js';
import { demoProject } from '../helpers/codex-cli.js';
import { insightSettings } from '../support/insight-harness.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { migrateAnswer } from '../support/learn-harness.js';
import { codexTurn, FIRST_PROMPT, IDLE_MS, learnProvider, newCodexHome, REWRITE } from './codex-learn.js';

const QUESTION = 'what is data.csv?';
const GOT_IT = 'got it, thanks';

type Seen = { body: unknown; rawBody: Buffer };
/** The agent's own model calls: no prewarm, no insight or rewrite call. */
const agentCalls = (requests: Seen[]): string[] =>
  requests
    .filter((r) => {
      const b = r.body as { generate?: boolean; text?: { format?: { name?: string } } } | undefined;
      return b?.generate !== false && !b?.text?.format?.name?.startsWith('kx_') && !/turn_insight|session_summary/.test(b?.text?.format?.name ?? '');
    })
    .map((r) => r.rawBody.toString('utf8'));

async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startKx(documentsDir?: string): Promise<Harness> {
  return startHarness(
    {
      ...(documentsDir ? { documentsDir } : {}),
      insight: insightSettings(),
      learn: { ...DEFAULT_LEARN, mode: undefined, inject: 'first-turn', keepaliveMs: IDLE_MS / 3 },
    },
    (fake) => ({ modelAccess: () => ({ baseURL: fake.baseUrl, apiKey: 'sk-rewrite-test', defaultHeaders: {}, dialect: 'platform' }) }),
  );
}

export function firstMessageEndToEnd(transport: 'http' | 'ws'): void {
  const provider = learnProvider(transport);
  describe(`Codex CLI over ${transport === 'http' ? 'HTTP+SSE' : 'WebSocket'}: learn mode from a session's first message`, () => {
    let h: Harness;
    let project: string;
    let home: string;
    let card: ApprovalView;
    let session2 = '';
    let projectId = '';
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' } });

    beforeAll(async () => {
      h = await startKx();
      project = demoProject();
      home = await newCodexHome();
    }, 60_000);
    afterAll(async () => h?.close());

    it('session 1, in capture mode, leaves a gap in the project of its working directory, and no client placeholder project', async () => {
      const run1 = await codexTurn(home, project, provider(h.proxyBase), QUESTION, false);
      expect(run1.code).toBe(0);
      await h.kx.settle();
      const db = h.kx.store.db;
      projectId = db.prepare('SELECT project FROM sessions WHERE id = ?').pluck().get(run1.sessionId) as string;
      expect(db.prepare('SELECT name FROM projects WHERE id = ?').pluck().get(projectId)).toBe(project);
      await until('the gap', () => (db.prepare(`SELECT topic FROM gaps WHERE project = ? AND status = 'open'`).pluck().get(projectId) as string | undefined));
      expect(db.prepare(`SELECT name FROM projects WHERE name LIKE 'client: %' OR name = 'unknown client'`).pluck().all()).toEqual([]);
    }, 90_000);

    it('session 2, started by `codex exec` in learn mode, holds its first message with a rewrite and the context on the card', async () => {
      // Learn mode for that project, named by its working directory as a person types it.
      expect((await api('/api/mode', { method: 'POST', body: JSON.stringify({ mode: 'learn', project }) })).status).toBe(200);
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(FIRST_PROMPT) });
      const before = h.fake.requests.length;
      const pending = new Promise<string>((resolve) => {
        const off = h.kx.live.subscribe((e) => {
          if (e.type === 'approval' && e.status === 'pending') {
            off();
            resolve(e.approvalId);
          }
        });
      });
      const run = codexTurn(home, project, provider(h.proxyBase), FIRST_PROMPT, false);
      const id = await pending;
      const { approvals } = (await (await api('/api/approvals?status=pending')).json()) as { approvals: ApprovalView[] };
      card = approvals.find((a) => a.id === id)!;
      expect(card).toMatchObject({ project: projectId, original: FIRST_PROMPT, rewrite: REWRITE });
      expect(card.context).toContain(QUESTION);
      expect(agentCalls(h.fake.requests.slice(before))).toEqual([]);
      expect((await api(`/api/approvals/${id}`, { method: 'POST', body: JSON.stringify({ decision: 'accept' }) })).status).toBe(200);
      const run2 = await run;
      expect(run2.code).toBe(0);
      session2 = run2.sessionId ?? '';
      const calls = agentCalls(h.fake.requests.slice(before));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls[0]).toContain(JSON.stringify(REWRITE));
      expect(calls[0]).toContain(JSON.stringify(card.context).slice(1, -1));
      for (const c of calls) expect(c).not.toContain(JSON.stringify(FIRST_PROMPT));
    }, 90_000);

    it('after kx restarts mid-session, later requests still carry the exact approved text and context; resolving the gap ends learn mode', async () => {
      const documentsDir = h.config.documentsDir;
      await h.close();
      h = await startKx(documentsDir);
      const run3 = await codexTurn(home, project, provider(h.proxyBase), GOT_IT, true);
      expect(run3.code).toBe(0);
      const calls = agentCalls(h.fake.requests);
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        expect(c).toContain(JSON.stringify(REWRITE));
        expect(c).toContain(JSON.stringify(card.context).slice(1, -1));
        expect(c).not.toContain(JSON.stringify(FIRST_PROMPT));
      }
      expect(calls.at(-1)).toContain(GOT_IT);
      // The scripted insight reads "got it" as the gap understood: every gap session 2 started with is resolved.
      await until('learn mode to end for session 2', () => (h.kx.modes.view().sessions[session2] === 'capture' ? true : undefined));
    }, 90_000);
  });
}
