// The real Codex CLI through kx with the insight engine on: two turns, then `kx end`; the notes,
// the summary and the gap land where a person reads them (learnings.md, the summary, /api/gaps).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapView } from '../../src/contracts/insight.js';
import { endCommand } from '../../src/cli/insight-commands.js';
import { runningKx } from '../../src/cli/find-kx.js';
import { codexHomeWithApiKey, demoProject, EXEC_FLAGS, httpProvider, runCodex, type CodexRun } from '../helpers/codex-cli.js';
import { insightSettings } from '../support/insight-harness.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { API_KEY, FIRST_PROMPT } from './codex-session.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const QUESTION = 'what is data.csv?';

describe('Codex CLI through kx with insight on, then kx end', () => {
  let h: Harness;
  let project: string;
  let turn1: CodexRun;
  let turn2: CodexRun;
  let ended = '';
  let sessionId = '';

  beforeAll(async () => {
    h = await startHarness({ insight: insightSettings() });
    project = demoProject();
    const home = await codexHomeWithApiKey(API_KEY);
    const env = { KX_E2E_KEY: API_KEY };
    const provider = httpProvider(h.proxyBase, 'KX_E2E_KEY');
    turn1 = await runCodex({ home, cwd: project, env, args: [...EXEC_FLAGS, ...provider, FIRST_PROMPT] });
    turn2 = await runCodex({ home, cwd: project, env, args: [...EXEC_FLAGS, ...provider, 'resume', '--last', QUESTION] });
    sessionId = turn1.sessionId ?? '';
    await h.kx.settle();
    // `kx end` as a user runs it: it finds kx through KX_PORT and the token through KX_UI_TOKEN.
    const saved = { port: process.env.KX_PORT, token: process.env.KX_UI_TOKEN };
    process.env.KX_PORT = String(h.kx.port);
    process.env.KX_UI_TOKEN = TEST_TOKEN;
    try {
      await endCommand(runningKx(ROOT), sessionId, (line) => (ended += line));
    } finally {
      for (const [k, v] of [['KX_PORT', saved.port], ['KX_UI_TOKEN', saved.token]] as const) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const end = Date.now() + 30_000;
    const file = path.join(h.kx.store.sessionDir(sessionId), 'learnings.md');
    const summarised = () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('## Summary:');
    while (!summarised() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }, 180_000);
  afterAll(async () => h?.close());

  it('runs both turns and ends the session from the command line', () => {
    expect([turn1.code, turn2.code]).toEqual([0, 0]);
    expect(ended).toMatch(new RegExp(`^ended ${sessionId} at .*; summary job j_\\w+ queued`));
  });

  it('writes a learnings.md entry per turn and the summary at the top', () => {
    const md = fs.readFileSync(path.join(h.kx.store.sessionDir(sessionId), 'learnings.md'), 'utf8');
    expect(md).toContain(`| Project | ${project} (`);
    expect(md).toContain('| Insight | up to date |');
    expect(md.split('\n', 1)[0]).toBe('# Session of 2 turns');
    expect(md).toContain('## Summary\n');
    expect(md.match(/^### Turn \d/gm)).toEqual(['### Turn 1', '### Turn 2']);
    expect(md).toContain('- **Action:** Ran ls -la and answered.');
    expect(md).toContain('1. Run the command: `ls -la`');
  });

  it('serves the summary and the gap the human’s question opened through the API', async () => {
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const summary = (await (await fetch(`${h.kx.url}/api/sessions/${sessionId}/summary`, { headers: auth })).json()) as { summary: { version: number; highlights: string[] } };
    expect(summary.summary.version).toBe(1);
    expect(summary.summary.highlights).toEqual([`Asked: ${FIRST_PROMPT}`, `Asked: ${QUESTION}`]);
    const { gaps } = (await (await fetch(`${h.kx.url}/api/gaps?status=open`, { headers: auth })).json()) as { gaps: GapView[] };
    expect(gaps.map((g) => [g.topic, g.question, g.firstSeen.sessionId])).toEqual([['data.csv', QUESTION, sessionId]]);
  });
});
