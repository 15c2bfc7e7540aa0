// Captures what the pinned agent CLIs really send, for test/fixtures/<client>/: each CLI runs against
// the project's fake upstream (Chat Completions) in a throwaway HOME and project, types the e2e
// prompts (a tool call, a follow-up in the same conversation, a new conversation), and every request
// is written as NN-request.json (headers without credentials, the body as JSON).
//   npx tsx scripts/capture-agent-fixtures.ts [opencode|qwen-code|pi ...]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeUpstream } from '../harness/fake-upstream/server.js';
import { AGENTS, configureAgent, makeProject, PROMPTS, runAgent, type AgentName } from '../harness/drivers/agent-clis.js';
import { ensureTestTools, toolPackageDir } from '../harness/drivers/test-tools.js';

const VERSIONS: Record<AgentName, string> = { opencode: 'opencode-ai', 'qwen-code': '@qwen-code/qwen-code', pi: '@mariozechner/pi-coding-agent' };
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'cookie']);
const PROJECT = '/home/dev/demo-project';
const HOME = '/home/dev';

ensureTestTools();
const wanted = (process.argv.slice(2) as AgentName[]).filter((a) => AGENTS.includes(a));
for (const agent of wanted.length ? wanted : AGENTS) {
  const version = (JSON.parse(fs.readFileSync(path.join(toolPackageDir(VERSIONS[agent]), 'package.json'), 'utf8')) as { version: string }).version;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `kx-capture-${agent}-`));
  const setup = { home: path.join(root, 'home'), cwd: path.join(root, 'demo-project'), baseUrl: '', apiKey: 'sk-capture-0000000000000000' };
  makeProject(setup.cwd);
  const fake = await startFakeUpstream();
  setup.baseUrl = fake.baseUrl;
  configureAgent(agent, setup);
  const runs = [
    await runAgent(agent, setup, PROMPTS.first),
    await runAgent(agent, setup, PROMPTS.second, { resume: true }),
    await runAgent(agent, setup, PROMPTS.fresh),
  ];
  await fake.close();
  const out = path.resolve('test/fixtures', `${agent}-${version}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  // The capture machine's scratch paths become the fixed /home/dev paths, so fixtures do not change per run.
  const scrub = (text: string): string => text.split(setup.cwd).join(PROJECT).split(setup.home).join(HOME).split(fake.baseUrl).join('http://127.0.0.1:9100/v1');
  fake.requests.forEach((r, i) => {
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, SECRET_HEADERS.has(k) ? 'REDACTED' : v]));
    const file = { seq: i + 1, method: r.method, url: r.path, headers, body: r.body };
    fs.writeFileSync(path.join(out, `${String(i + 1).padStart(2, '0')}-request.json`), scrub(JSON.stringify(file, null, 2)) + '\n');
  });
  fs.writeFileSync(path.join(out, 'cli-output.txt'), scrub(runs.map((r, i) => `## run ${i + 1} (exit ${r.code})\n### stdout\n${r.stdout}\n### stderr\n${r.stderr}\n`).join('\n')));
  console.log(`${agent} ${version}: ${fake.requests.length} requests → ${path.relative(process.cwd(), out)}; exits ${runs.map((r) => r.code).join(', ')}`);
}
