// Runs the real agent CLIs pinned in test/tools/package.json (opencode, Qwen Code, pi) the way a user does: a
// throwaway HOME and project folder, an OpenAI-compatible base URL, a prompt on the command line,
// and the CLI's own "continue" flag for a second prompt in the same conversation. Used by the e2e
// tests and by scripts/capture-agent-fixtures.ts, so fixtures and tests see the same requests.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureTestTools, toolBin } from './test-tools.js';

export type AgentName = 'opencode' | 'qwen-code' | 'pi';
export const AGENTS: readonly AgentName[] = ['opencode', 'qwen-code', 'pi'];

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AgentSetup {
  /** The client's HOME: its config, sessions and caches live here. */
  home: string;
  /** The project folder the client runs in. */
  cwd: string;
  /** An OpenAI-compatible base URL ending in /v1. */
  baseUrl: string;
  apiKey: string;
}

const MODEL = 'gpt-5';

/** Writes the client's own config so it talks to `baseUrl` with `apiKey` and model gpt-5. */
export function configureAgent(agent: AgentName, s: AgentSetup): void {
  fs.mkdirSync(s.home, { recursive: true });
  if (agent === 'opencode') {
    const dir = path.join(s.home, '.config', 'opencode');
    fs.mkdirSync(dir, { recursive: true });
    const config = {
      $schema: 'https://opencode.ai/config.json',
      autoupdate: false,
      share: 'disabled',
      model: `kx/${MODEL}`,
      small_model: `kx/${MODEL}`,
      provider: {
        kx: {
          npm: '@ai-sdk/openai-compatible',
          name: 'kx',
          options: { baseURL: s.baseUrl, apiKey: s.apiKey },
          models: { [MODEL]: { name: MODEL, tool_call: true } },
        },
      },
      permission: { bash: 'allow', edit: 'allow', read: 'allow', external_directory: 'allow' },
    };
    fs.writeFileSync(path.join(dir, 'opencode.json'), JSON.stringify(config, null, 2));
  } else if (agent === 'pi') {
    const dir = path.join(s.home, '.pi', 'agent');
    fs.mkdirSync(dir, { recursive: true });
    const models = {
      providers: {
        kx: { baseUrl: s.baseUrl, api: 'openai-completions', apiKey: 'KX_TEST_API_KEY', models: [{ id: MODEL, name: MODEL, reasoning: false, input: ['text'], contextWindow: 128000, maxTokens: 8192 }] },
      },
    };
    fs.writeFileSync(path.join(dir, 'models.json'), JSON.stringify(models, null, 2));
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ defaultProvider: 'kx', defaultModel: MODEL }, null, 2));
  } else {
    const dir = path.join(s.home, '.qwen');
    fs.mkdirSync(dir, { recursive: true });
    const settings = {
      security: { auth: { selectedType: 'openai' } },
      model: { name: MODEL },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
      // A prompt given as a positional argument runs the shell tool in node-pty, which on Linux can
      // lose a fast command's output when it exits before the first read (node-pty#726): `ls` then
      // came back "(empty)" now and then under load. child_process is what Qwen Code itself uses for `-p`.
      tools: { shell: { enableInteractiveShell: false } },
    };
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

function argsFor(agent: AgentName, prompt: string, resume: boolean): string[] {
  // `opencode run` quotes an argument that holds spaces before joining them; words as separate
  // arguments reach the model as typed.
  if (agent === 'opencode') return ['run', ...(resume ? ['--continue'] : []), '--model', `kx/${MODEL}`, ...prompt.split(' ')];
  if (agent === 'pi') return ['--provider', 'kx', '--model', MODEL, ...(resume ? ['--continue'] : []), '-p', prompt];
  return ['--yolo', '--auth-type', 'openai', '--model', MODEL, ...(resume ? ['--continue'] : []), prompt];
}

function envFor(agent: AgentName, s: AgentSetup): Record<string, string> {
  const base = baseEnv(s.home);
  if (agent === 'opencode') {
    return { ...base, OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_DISABLE_DEFAULT_PLUGINS: '1', OPENCODE_DISABLE_SHARE: '1' };
  }
  if (agent === 'pi') return { ...base, KX_TEST_API_KEY: s.apiKey, PI_OFFLINE: '1' };
  return { ...base, OPENAI_API_KEY: s.apiKey, OPENAI_BASE_URL: s.baseUrl, OPENAI_MODEL: MODEL };
}

/** The environment a client runs in: a throwaway HOME and XDG folders, no colours, no registry. */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    CI: '1',
    // The npm registry is the one network kx's tests may use, but the clients need none: opencode's
    // background install of its plugin package into its config folder fails at once (no retries) and the run goes on.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
  };
}

const BINS: Record<AgentName, string> = { opencode: 'opencode', 'qwen-code': 'qwen', pi: 'pi' };

/** One prompt, as a user types it on the command line; `resume` continues the last conversation. */
export function runAgent(agent: AgentName, s: AgentSetup, prompt: string, opts: { resume?: boolean; timeoutMs?: number; bin?: string } = {}): Promise<AgentRun> {
  if (!opts.bin) ensureTestTools(); // scripts/capture-agent-fixtures.ts has no test setup to install them
  return runCli(opts.bin ?? toolBin(BINS[agent]), argsFor(agent, prompt, opts.resume ?? false), s.cwd, envFor(agent, s), opts.timeoutMs);
}

/** Runs a CLI to its end with stdin closed (no prompt waits for a human), killed after `timeoutMs`. */
export function runCli(bin: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs = 120_000): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** The demo project every client works in: a fixed set of files, so `ls` prints the same names. */
export function makeProject(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'), '# demo\n');
  fs.writeFileSync(path.join(dir, 'hello.py'), 'print("hello")\n');
  fs.writeFileSync(path.join(dir, 'data.csv'), 'a,b\n1,2\n');
}

/** The three prompts each e2e run types: a tool call, a follow-up in the same conversation, a new one. */
export const PROMPTS = {
  first: 'list the files in this folder',
  second: 'thanks, which one is the python script?',
  fresh: 'say hello in a new conversation',
} as const;
