// One `kx start`, no per-login setting: an API-key Codex and a ChatGPT-login Codex, one after the
// other through `kx codex`, each reaching its own upstream path with its own credentials.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import type { SessionDetail } from '../../src/store/session-reader.js';
import { codexHomeWithApiKey, codexHomeWithChatGpt, demoProject, EXEC_FLAGS, runKxCodex } from '../helpers/codex-cli.js';
import { tempDir } from '../support/recording.js';
import { API_KEY, FIRST_PROMPT } from './codex-session.js';

const UI_TOKEN = 'both-logins-token-0123456789';

/** `kx start` in a clean environment with only the given settings; resolves with what it printed once it listens. */
function kxStart(settings: Record<string, string>): Promise<{ child: ChildProcess; banner: string; url: string }> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_'))), ...settings };
  const child = spawn(process.execPath, [path.resolve('bin/kx.js'), 'start', '--port', '0'], { cwd: tempDir('kx-cwd-'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /proxy:\s+(http:\/\/\S+)\/v1\s/.exec(out)?.[1];
      if (url && out.includes('or simply:')) resolve({ child, banner: out, url });
    });
    child.once('exit', (code) => reject(new Error(`kx exited with ${code} before listening`)));
  });
}

/** The session Codex printed, from kx's API, once all its requests have an outcome (capture commits off the request path). */
async function recordedSession(kxUrl: string, codexStderr: string): Promise<SessionDetail> {
  const id = /session id: (\S+)/.exec(codexStderr)?.[1] ?? 'missing';
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${kxUrl}/api/sessions/${id}`, { headers: { authorization: `Bearer ${UI_TOKEN}` } });
    if (res.ok) {
      const detail = (await res.json()) as SessionDetail;
      if (detail.requests.length > 0 && detail.requests.every((r) => r.outcome !== null)) return detail;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`session ${id} was not recorded`);
}

describe('one kx for both Codex logins', () => {
  let fake: FakeUpstream | undefined;
  let kx: ChildProcess | undefined;
  afterEach(async () => {
    if (kx && kx.exitCode === null) {
      const exited = new Promise((r) => kx!.once('exit', r));
      kx.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
  });

  it('serves an API-key Codex and a ChatGPT-login Codex, each at its own upstream with its own credentials, and records both', async () => {
    fake = await startFakeUpstream();
    const chatgptBase = `${fake.url}/backend-api/codex`;
    const started = await kxStart({
      KX_UPSTREAM_BASE_URL: fake.baseUrl,
      KX_CHATGPT_BASE_URL: chatgptBase,
      KX_DOCUMENTS_DIR: tempDir('kx-docs-'),
      KX_UI_TOKEN: UI_TOKEN,
      KX_LOG_LEVEL: 'warn',
    });
    kx = started.child;
    expect(started.banner).toContain(`→  ${fake.baseUrl}  (API key)`);
    expect(started.banner).toContain(`→  ${chatgptBase}  (ChatGPT login)`);
    const port = new URL(started.url).port;

    const apiHome = await codexHomeWithApiKey(API_KEY);
    const apiRun = await runKxCodex([...EXEC_FLAGS, FIRST_PROMPT], { HOME: apiHome, CODEX_HOME: apiHome, KX_PORT: port }, demoProject());
    expect(apiRun.code).toBe(0);

    const { home: chatHome, accessToken } = codexHomeWithChatGpt('acct_both_1');
    const chatRun = await runKxCodex([...EXEC_FLAGS, FIRST_PROMPT], { HOME: chatHome, CODEX_HOME: chatHome, KX_PORT: port }, demoProject());
    expect(chatRun.code).toBe(0);
    expect(chatRun.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
    // The insight engine's calls for the first session may land during the second run (it borrows each
    // session's own credentials and upstream), so the calls are told apart by credentials, not by time.
    const calls = fake.requests.filter((r) => r.path.endsWith('/responses'));
    const apiCalls = calls.filter((r) => r.headers.authorization === `Bearer ${API_KEY}`);
    const chatCalls = calls.filter((r) => r.headers.authorization === `Bearer ${accessToken}`);
    expect(apiCalls.length + chatCalls.length).toBe(calls.length);
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(new Set(apiCalls.map((r) => `${r.path} ${r.headers['chatgpt-account-id'] ?? '-'}`))).toEqual(new Set(['/v1/responses -']));
    expect(chatCalls.length).toBeGreaterThan(0);
    expect(new Set(chatCalls.map((r) => `${r.path} ${r.headers['chatgpt-account-id']}`))).toEqual(new Set(['/backend-api/codex/responses acct_both_1']));

    const apiSession = await recordedSession(started.url, apiRun.stderr);
    const chatSession = await recordedSession(started.url, chatRun.stderr);
    expect(apiSession.turns[0]?.items[0]?.text).toBe(FIRST_PROMPT);
    expect(chatSession.turns[0]?.items[0]?.text).toBe(FIRST_PROMPT);
    expect(new Set(apiSession.requests.map((r) => r.upstream))).toEqual(new Set([fake.baseUrl]));
    expect(new Set(chatSession.requests.map((r) => r.upstream))).toEqual(new Set([chatgptBase]));
  }, 120_000); // two real Codex runs on a shared 2-core machine

  it('tells a ChatGPT-login Codex at once which setting to change when KX_CHATGPT_BASE_URL is off, and sends nothing upstream', async () => {
    fake = await startFakeUpstream();
    const started = await kxStart({ KX_CHATGPT_BASE_URL: 'off', KX_UPSTREAM_BASE_URL: fake.baseUrl, KX_DOCUMENTS_DIR: tempDir('kx-docs-'), KX_UI_TOKEN: UI_TOKEN });
    kx = started.child;
    const { home } = codexHomeWithChatGpt('acct_both_2');
    const run = await runKxCodex([...EXEC_FLAGS, FIRST_PROMPT], { HOME: home, CODEX_HOME: home, KX_PORT: new URL(started.url).port }, demoProject());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('KX_CHATGPT_BASE_URL');
    // A 401 status, not the digits: Codex's log timestamps carry microseconds (…06.156401Z).
    expect(run.stderr).not.toMatch(/\b401\b|Unauthorized/);
    expect(fake.requests.filter((r) => r.path.endsWith('/responses'))).toEqual([]);
    // One answer, not retried, and recorded with no upstream.
    const detail = await recordedSession(started.url, run.stderr);
    expect(detail.requests.map((r) => [r.statusCode, r.upstream])).toEqual([[400, null]]);
  }, 60_000);
});
