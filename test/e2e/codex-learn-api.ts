// Learn mode end to end with the real Codex CLI, deciding through the API: one spec, played over
// HTTP+SSE and over WebSocket by the two test files beside it.

import { afterEach, describe, expect, it } from 'vitest';
import { demoProject } from '../helpers/codex-cli.js';
import { projectSlug } from '../../src/capture/project.js';
import { startLearnHarness, teach, type LearnHarness, migrateAnswer } from '../support/learn-harness.js';
import { codexTurn, FIRST_PROMPT, FOLLOW_UP, IDLE_MS, learnProvider, modelCalls, newCodexHome, REWRITE, upstreamTexts } from './codex-learn.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh project folder whose project (by its working directory, as Codex reports it) has the learnings. */
function learntProject(h: LearnHarness): string {
  const project = demoProject();
  teach(h.context, projectSlug(project));
  return project;
}

export function learnThroughTheApi(transport: 'http' | 'ws'): void {
  const provider = learnProvider(transport);
  describe(`Codex CLI over ${transport === 'http' ? 'HTTP+SSE' : 'WebSocket'} in learn mode`, () => {
    let h: LearnHarness;
    afterEach(async () => h?.close());

    it('sends only the approved text, survives a hold longer than its idle timeout, and turn 2 still carries it', async () => {
      // Keepalive frames (WebSocket) well inside Codex's idle timeout; HTTP holds before headers and needs none.
      h = await startLearnHarness('every session', { keepaliveMs: IDLE_MS / 3 });
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(FIRST_PROMPT) });
      const home = await newCodexHome();
      const project = learntProject(h);
      const pending = h.nextPending();
      const turn1 = codexTurn(home, project, provider(h.proxyBase), FIRST_PROMPT, false);
      const approval = await pending;
      expect(approval.original).toBe(FIRST_PROMPT);
      // While it waits, no session is under another project than its card's (over WebSocket, Codex's prewarm frame already started it).
      await h.kx.settle();
      const filed = h.kx.store.db.prepare(`SELECT project FROM sessions`).pluck().all();
      expect(filed).toEqual(transport === 'ws' ? [approval.project] : []);
      await sleep(IDLE_MS * 2);
      expect((await h.decide(approval.id, { decision: 'accept' })).status).toBe(200);
      const run1 = await turn1;
      expect(run1.code).toBe(0);
      expect(run1.stderr).not.toMatch(/Reconnecting|stream disconnected|error/i);
      expect(run1.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
      // One held request and one tool-output follow-up: no retry of the held one.
      expect(modelCalls(h.fake.requests)).toHaveLength(2);
      // The session's folder carries the words typed, held first message or not (storage.md).
      await h.kx.settle();
      expect(h.kx.store.db.prepare(`SELECT folder FROM sessions`).pluck().all()).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}_list-the-files-here_/)]);

      const run2 = await codexTurn(home, project, provider(h.proxyBase), FOLLOW_UP, true);
      expect(run2.code).toBe(0);
      const bodies = upstreamTexts(h.fake.requests);
      expect(bodies.every((b) => !b.includes(JSON.stringify(FIRST_PROMPT)))).toBe(true);
      // Turn 2 resends the whole history (HTTP always; WebSocket on its new socket) with the approved text in it.
      expect(bodies.at(-1)).toContain(JSON.stringify(REWRITE));
      expect(bodies.at(-1)).toContain(JSON.stringify(FOLLOW_UP));
      expect(h.fake.rewriteCalls).toHaveLength(2);
    }, 120_000);

    it('sends the original when nobody decides in time', async () => {
      h = await startLearnHarness('every session', { approvalTimeoutMs: 500 });
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(FIRST_PROMPT) });
      const run = await codexTurn(await newCodexHome(), learntProject(h), provider(h.proxyBase), FIRST_PROMPT, false);
      expect(run.code).toBe(0);
      expect(upstreamTexts(h.fake.requests)[0]).toContain(JSON.stringify(FIRST_PROMPT));
      expect((await h.approvals('all')).map((a) => a.status)).toEqual(['timed_out']);
    }, 60_000);

    it('sends the original when the rewrite call fails', async () => {
      h = await startLearnHarness('every session');
      h.fake.enqueue({ kind: 'rewrite-fail', status: 503 });
      const run = await codexTurn(await newCodexHome(), learntProject(h), provider(h.proxyBase), FIRST_PROMPT, false);
      expect(run.code).toBe(0);
      expect(upstreamTexts(h.fake.requests)[0]).toContain(JSON.stringify(FIRST_PROMPT));
      expect((await h.approvals('all')).map((a) => a.status)).toEqual(['failed']);
    }, 60_000);

    it('cancels the approval and sends nothing when Codex goes away while it waits', async () => {
      h = await startLearnHarness('every session');
      h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(FIRST_PROMPT) });
      const cancelled = new Promise<void>((resolve) => h.kx.live.subscribe((e) => e.type === 'approval' && e.status === 'cancelled' && resolve()));
      const pending = h.nextPending();
      const ctrlC = new AbortController();
      const run = codexTurn(await newCodexHome(), learntProject(h), provider(h.proxyBase), FIRST_PROMPT, false, 30_000, ctrlC.signal);
      await pending;
      ctrlC.abort();
      await cancelled;
      await run;
      expect(modelCalls(h.fake.requests)).toHaveLength(0);
    }, 60_000);
  });
}
