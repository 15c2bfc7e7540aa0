// Captures what agent CLIs really send, for test/fixtures/<client>-<version>/: each CLI runs against
// the project's fake upstream (Chat Completions) in a throwaway HOME and project, types the e2e
// prompts (a tool call, a follow-up in the same conversation, a new conversation), and every request
// is written as NN-request.json (headers without credentials, the body as JSON).
//   npx tsx scripts/capture-agent-fixtures.ts [opencode|qwen-code|pi ...]
// CLIs that are not pinned (older versions, clients with no e2e test) run from a folder they were
// installed in outside the repository, never from its install:
//   npx tsx scripts/capture-agent-fixtures.ts --cli qwen-code=/tmp/clis/qwen015 --cli grok=/tmp/clis/grok

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeUpstream } from '../harness/fake-upstream/server.js';
import { AGENTS, baseEnv, configureAgent, makeProject, PROMPTS, runAgent, runCli, type AgentName, type AgentRun, type AgentSetup } from '../harness/drivers/agent-clis.js';
import { ensureTestTools, toolPackageDir } from '../harness/drivers/test-tools.js';

const PACKAGES: Record<AgentName | 'grok', string> = {
  opencode: 'opencode-ai',
  'qwen-code': '@qwen-code/qwen-code',
  pi: '@mariozechner/pi-coding-agent',
  grok: '@vibe-kit/grok-cli',
};
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'cookie']);
const PROJECT = '/home/dev/demo-project';
const HOME = '/home/dev';

interface Target {
  client: AgentName | 'grok';
  /** The folder holding node_modules/<package>; the pinned test tools when absent. */
  prefix?: string;
}

/** Grok CLI has no "continue" flag: every `-p` run is a new conversation, so it types the first prompt twice. */
async function runGrok(bin: string, s: AgentSetup): Promise<AgentRun[]> {
  const env = { ...baseEnv(s.home), GROK_API_KEY: s.apiKey, GROK_BASE_URL: s.baseUrl, GROK_MODEL: 'gpt-5' };
  const run = (prompt: string): Promise<AgentRun> => runCli(bin, ['-d', s.cwd, '-p', prompt], s.cwd, env);
  return [await run(PROMPTS.first), await run(PROMPTS.fresh), await run(PROMPTS.first)];
}

async function runTarget(t: Target, s: AgentSetup): Promise<AgentRun[]> {
  const bin = t.prefix ? path.join(t.prefix, 'node_modules', '.bin', t.client === 'qwen-code' ? 'qwen' : t.client) : undefined;
  if (t.client === 'grok') return runGrok(bin!, s);
  const agent = t.client;
  configureAgent(agent, s);
  const opts = bin ? { bin } : {};
  return [
    await runAgent(agent, s, PROMPTS.first, opts),
    await runAgent(agent, s, PROMPTS.second, { ...opts, resume: true }),
    await runAgent(agent, s, PROMPTS.fresh, opts),
  ];
}

async function capture(t: Target): Promise<void> {
  const pkgDir = t.prefix ? path.join(t.prefix, 'node_modules', PACKAGES[t.client]) : toolPackageDir(PACKAGES[t.client]);
  const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `kx-capture-${t.client}-`));
  const setup = { home: path.join(root, 'home'), cwd: path.join(root, 'demo-project'), baseUrl: '', apiKey: 'sk-capture-0000000000000000' };
  makeProject(setup.cwd);
  fs.mkdirSync(setup.home, { recursive: true });
  const fake = await startFakeUpstream();
  setup.baseUrl = fake.baseUrl;
  const runs = await runTarget(t, setup);
  await fake.close();
  const out = path.resolve('test/fixtures', `${t.client}-${version}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  // The capture machine's scratch paths become the fixed /home/dev paths, so fixtures do not change per run.
  // Qwen Code also names its memory folder after the project path, slashes turned to dashes.
  const scrub = (text: string): string =>
    text.split(setup.cwd).join(PROJECT).split(setup.cwd.replaceAll('/', '-')).join(PROJECT.replaceAll('/', '-')).split(setup.home).join(HOME).split(fake.baseUrl).join('http://127.0.0.1:9100/v1').split(setup.apiKey).join('REDACTED');
  fake.requests.forEach((r, i) => {
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, SECRET_HEADERS.has(k) ? 'REDACTED' : v]));
    const file = { seq: i + 1, method: r.method, url: r.path, headers, body: r.body };
    fs.writeFileSync(path.join(out, `${String(i + 1).padStart(2, '0')}-request.json`), scrub(JSON.stringify(file, null, 2)) + '\n');
  });
  fs.writeFileSync(path.join(out, 'cli-output.txt'), scrub(runs.map((r, i) => `## run ${i + 1} (exit ${r.code})\n### stdout\n${r.stdout}\n### stderr\n${r.stderr}\n`).join('\n')));
  console.log(`${t.client} ${version}: ${fake.requests.length} requests → ${path.relative(process.cwd(), out)}; exits ${runs.map((r) => r.code).join(', ')}`);
}

function targets(argv: string[]): Target[] {
  const out: Target[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cli') {
      const [client, prefix] = (argv[++i] ?? '').split('=');
      if (!(client! in PACKAGES) || !prefix) throw new Error(`--cli wants <${Object.keys(PACKAGES).join('|')}>=<install folder>`);
      out.push({ client: client as Target['client'], prefix: path.resolve(prefix) });
    } else if (AGENTS.includes(argv[i] as AgentName)) out.push({ client: argv[i] as AgentName });
  }
  return out.length ? out : AGENTS.map((client) => ({ client }));
}

const wanted = targets(process.argv.slice(2));
if (wanted.some((t) => !t.prefix)) ensureTestTools();
for (const t of wanted) await capture(t);
