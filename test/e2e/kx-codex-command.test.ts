// `kx codex [args]`: the user's Codex, pointed at a running kx without editing any config.

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { codexHomeWithApiKey, codexHomeWithChatGpt, demoProject, runKxCodex } from '../helpers/codex-cli.js';
import { startFakeUpstream } from '../../harness/fake-upstream/server.js';
import { startKx } from '../../src/kx.js';
import { testConfig } from '../support/kx-harness.js';
import { API_KEY, FIRST_PROMPT } from './codex-session.js';

describe('kx codex', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('runs Codex through the running kx with the overrides for an API-key login, and the session is recorded', async () => {
    h = await startHarness();
    const port = new URL(h.kx.url).port;
    const home = await codexHomeWithApiKey(API_KEY);
    const project = demoProject();
    const run = await runKxCodex(
      ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', FIRST_PROMPT],
      { HOME: home, CODEX_HOME: home, KX_PORT: port },
      project,
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
    // kx codex writes nothing into the user's project.
    expect(fs.readdirSync(project).sort()).toEqual(['README.md', 'data.csv', 'hello.py']);
    await h.kx.settle();
    const sessionId = /session id: (\S+)/.exec(run.stderr)?.[1];
    expect(h.kx.reader.getSession(sessionId ?? '')?.turns[0]?.items[0]?.text).toBe(FIRST_PROMPT);
  });

  it('on a ChatGPT login, sends the turn through kx to the ChatGPT backend path with the login token', async () => {
    const fake = await startFakeUpstream();
    const kx = await startKx(testConfig(fake.baseUrl, { chatgptBaseUrl: new URL('/backend-api/codex', fake.url) }));
    try {
      const { home, accessToken } = codexHomeWithChatGpt('acct_e2e_1');
      const run = await runKxCodex(
        ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', FIRST_PROMPT],
        { HOME: home, CODEX_HOME: home, KX_PORT: new URL(kx.url).port },
        demoProject(),
      );
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
      const upstream = fake.requests.filter((r) => r.path.endsWith('/responses'));
      expect(upstream.length).toBeGreaterThan(0);
      expect(upstream.every((r) => r.path === '/backend-api/codex/responses')).toBe(true);
      expect(upstream[0]!.headers.authorization).toBe(`Bearer ${accessToken}`);
      expect(upstream[0]!.headers['chatgpt-account-id']).toBe('acct_e2e_1');
      await kx.settle();
      const sessionId = /session id: (\S+)/.exec(run.stderr)?.[1];
      expect(kx.reader.getSession(sessionId ?? '')?.turns[0]?.items.map((i) => i.kind)).toEqual([
        'human_message',
        'reasoning',
        'tool_call',
        'tool_output',
        'assistant_message',
      ]);
      const dump = JSON.stringify(kx.store.db.prepare('SELECT * FROM requests').all()) + JSON.stringify(kx.store.db.prepare('SELECT * FROM items').all());
      expect(dump).not.toContain(accessToken.split('.')[1]!);
    } finally {
      await kx.close();
      await fake.close();
    }
  });

  it('says how to start kx when nothing answers on its port, and does not run Codex', async () => {
    const home = await codexHomeWithApiKey(API_KEY);
    const run = await runKxCodex(['exec', '--skip-git-repo-check', 'hello'], { HOME: home, CODEX_HOME: home, KX_PORT: '1' }, demoProject());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kx: kx is not answering at http:\/\/127\.0\.0\.1:1 \(tried for the documents folder .*\): start it with kx start, or point it at the running one with KX_DOCUMENTS_DIR or KX_PORT\n$/);
  });

  it('says how to install Codex when no codex is on PATH, in one line', async () => {
    const run = await runKxCodex(['exec', 'hello'], { HOME: demoProject(), KX_PORT: '1', PATH: '/usr/bin:/bin' }, demoProject());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('kx: kx codex runs the codex on your PATH, and there is none. Install Codex (npm install -g @openai/codex), then try again\n');
  });
});
