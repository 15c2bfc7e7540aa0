// Runs the real Codex CLI (@openai/codex, pinned in test/tools/package.json; 0.169 beside it) the way a user does, in a
// throwaway CODEX_HOME and project folder, so end-to-end tests see exactly what Codex sends.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toolBin, toolPackageDir } from '../../harness/drivers/test-tools.js';
import { tempDir } from '../support/recording.js';

/** The Codex the e2e tests run (test/tools/package.json pins it), and the older one one test keeps running. */
export const CODEX = '@openai/codex';
export const CODEX_0_169 = '@openai/codex-0.169';

/** The Codex launcher script from the test tools (it picks the platform binary). */
export function codexBin(codexPackage = CODEX): string {
  const pkgPath = path.join(toolPackageDir(codexPackage), 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.codex!;
  return path.join(path.dirname(pkgPath), rel);
}

export interface CodexRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The session id Codex printed ("session id: …"). */
  sessionId?: string;
}

export interface RunOptions {
  home: string;
  cwd: string;
  args: string[];
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  /** Interrupts Codex (SIGINT, as Ctrl-C does; the launcher passes it to the binary) when aborted. */
  interrupt?: AbortSignal;
  /** Which installed Codex package runs (default: the pinned one). */
  codex?: string;
}

export function runCodex(opts: RunOptions): Promise<CodexRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [codexBin(opts.codex), ...opts.args], {
      cwd: opts.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: opts.home,
        CODEX_HOME: opts.home,
        LANG: 'C.UTF-8',
        TERM: 'dumb',
        NO_COLOR: '1',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    opts.interrupt?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const sessionId = /session id: (\S+)/.exec(stderr)?.[1];
      resolve({ code, stdout, stderr, ...(sessionId ? { sessionId } : {}) });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** `kx codex [args]` as a user runs it: only the pinned Codex on PATH, kx found through KX_PORT. */
export function runKxCodex(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/kx.js'), 'codex', ...args], {
      cwd,
      env: { PATH: `${path.dirname(toolBin('codex'))}:${path.dirname(process.execPath)}:/usr/bin:/bin`, LANG: 'C.UTF-8', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end();
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh CODEX_HOME logged in with an API key through `codex login --with-api-key`, as a user would. */
export async function codexHomeWithApiKey(apiKey: string): Promise<string> {
  const home = tempDir('kx-codex-home-');
  const run = await runCodex({ home, cwd: home, args: ['login', '--with-api-key'], stdin: `${apiKey}\n` });
  if (run.code !== 0) throw new Error(`codex login failed (${run.code}): ${run.stderr}`);
  return home;
}

/**
 * A fresh CODEX_HOME that looks logged in with ChatGPT: unsigned JWTs that never leave loopback.
 * Returns the access token so a test can check it went upstream and nowhere else.
 */
export function codexHomeWithChatGpt(accountId: string): { home: string; accessToken: string } {
  const home = tempDir('kx-codex-home-');
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 30 * 86400;
  const claims = {
    email: 'dev@example.com',
    exp,
    iat: exp - 3600,
    'https://api.openai.com/auth': { chatgpt_account_id: accountId, chatgpt_plan_type: 'pro', chatgpt_user_id: 'user_fake' },
  };
  const accessToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.fake-signature`;
  const auth = {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: accessToken, access_token: accessToken, refresh_token: 'rt_fake', account_id: accountId },
    last_refresh: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify(auth), { mode: 0o600 });
  return { home, accessToken };
}

/** A small project for Codex to look at: the tool call lists it. */
export function demoProject(): string {
  // Nested in a private parent, so `ls -la` prints the same `..` line in every run.
  const dir = path.join(tempDir('kx-codex-project-'), 'demo-project');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'README.md'), '# demo\n');
  fs.writeFileSync(path.join(dir, 'hello.py'), 'print("hello")\n');
  fs.writeFileSync(path.join(dir, 'data.csv'), 'a,b\n1,2\n');
  return dir;
}

/** `codex exec` flags every e2e run shares: no git repo needed, no sandbox (containers lack user namespaces). */
export const EXEC_FLAGS = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox'];

/** Codex over its default WebSocket transport, at a base URL (API-key login: the built-in provider). */
export function builtInProvider(baseUrl: string): string[] {
  return ['-c', `openai_base_url=${JSON.stringify(baseUrl)}`];
}

/** Codex over HTTP+SSE: a custom provider without WebSocket support, keyed from an env var. */
export function httpProvider(baseUrl: string, envKey: string): string[] {
  return [
    '-c',
    `model_providers.kxhttp={ name = "kx-http", base_url = ${JSON.stringify(baseUrl)}, env_key = "${envKey}", wire_api = "responses", supports_websockets = false }`,
    '-c',
    'model_provider="kxhttp"',
  ];
}

/** What Codex printed, without what differs between any two runs (ids, timings, token counts, paths). */
export function normalizeTranscript(text: string, replacements: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(replacements)) out = out.split(from).join(to);
  return out
    .replace(/session id: \S+/g, 'session id: <id>')
    .replace(/Wall time [\d.]+ seconds/g, 'Wall time <t> seconds')
    .replace(/succeeded in \d+ms/g, 'succeeded in <t>ms')
    .replace(/tokens used\n[\d,]+/g, 'tokens used\n<n>')
    .replace(/codex_home: AbsolutePathBuf\("[^"]*"\)/g, 'codex_home: <home>')
    .replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z.*$/gm, '<log line>');
}
