// Popular agent CLIs beside Codex, as they really talk (opencode, Qwen Code, pi; pinned in
// package.json): each types a prompt that makes the model call its shell tool, a second prompt in the
// same conversation and a prompt in a new conversation, once straight to the fake upstream and once
// through kx. The outputs must match, and kx must file what a person would read: one session per
// conversation, exactly the typed prompts as human messages, the tool call and its output, background
// calls apart, the client's own context as context, the project from its working directory, no key.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { configureAgent, makeProject, PROMPTS, runAgent, type AgentName, type AgentRun } from '../../harness/drivers/agent-clis.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';

const KEY = ['sk-', 'agentCliKey0123456789abcdefghijk'].join('');

interface Played {
  runs: AgentRun[];
  cwd: string;
}

async function playConversations(agent: AgentName, baseUrl: string): Promise<Played> {
  const root = tempDir(`kx-${agent}-`);
  // The same folder name in both runs, so what the client sends (and the model echoes) can match.
  const setup = { home: path.join(root, 'home'), cwd: path.join(root, 'demo-project'), baseUrl, apiKey: KEY };
  makeProject(setup.cwd);
  configureAgent(agent, setup);
  const runs = [
    await runAgent(agent, setup, PROMPTS.first),
    await runAgent(agent, setup, PROMPTS.second, { resume: true }),
    await runAgent(agent, setup, PROMPTS.fresh),
  ];
  return { runs, cwd: fs.realpathSync(setup.cwd) };
}

const CASES: { agent: AgentName; client: string; backgroundCalls: boolean }[] = [
  { agent: 'opencode', client: 'opencode', backgroundCalls: true },
  { agent: 'qwen-code', client: 'qwen-code', backgroundCalls: true },
  { agent: 'pi', client: 'pi', backgroundCalls: false },
];

describe.each(CASES)('$agent through kx', ({ agent, client, backgroundCalls }) => {
  let fake: FakeUpstream;
  let h: Harness;
  let direct: Played;
  let viaKx: Played;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    direct = await playConversations(agent, fake.baseUrl);
    h = await startHarness();
    viaKx = await playConversations(agent, h.proxyBase);
    await h.kx.settle();
  }, 300_000);

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('prints what a direct run prints, after really running the tool', () => {
    for (const run of [...direct.runs, ...viaKx.runs]) expect(run.code, run.stderr).toBe(0);
    expect(viaKx.runs[0]!.stdout).toMatch(/hello\.py/);
    // The working folder's path differs between the two runs; everything else must be the same.
    const same = (p: Played) => p.runs.map((r) => r.stdout.split(p.cwd).join('<cwd>'));
    expect(same(viaKx)).toEqual(same(direct));
  });

  it('files one session per conversation, named by the client, in the project of its working directory', () => {
    const sessions = h.kx.reader.listSessions(10);
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(s.client).toBe(client);
    const db = new Database(path.join(h.config.documentsDir, 'sessions.db'), { readonly: true });
    const rows = db.prepare(`SELECT s.cwd AS cwd, p.name AS project FROM sessions s LEFT JOIN projects p ON p.id = s.project`).all() as { cwd: string; project: string }[];
    db.close();
    expect(rows).toEqual([
      { cwd: viaKx.cwd, project: viaKx.cwd },
      { cwd: viaKx.cwd, project: viaKx.cwd },
    ]);
  });

  it('stores exactly the typed prompts as human messages, with the tool call and its output in the first turn', () => {
    const sessions = h.kx.reader.listSessions(10).map((s) => h.kx.reader.getSession(s.id)!);
    const first = sessions.find((s) => s.turns.length === 2)!;
    const fresh = sessions.find((s) => s !== first)!;
    const humans = (s: typeof first) => s.turns.flatMap((t) => t.items.filter((i) => i.kind === 'human_message').map((i) => i.text));
    expect(humans(first)).toEqual([PROMPTS.first, PROMPTS.second]);
    expect(humans(fresh)).toEqual([PROMPTS.fresh]);
    expect([...first.preamble, ...fresh.preamble].filter((i) => i.kind === 'human_message')).toEqual([]);
    const turn1 = first.turns[0]!.items;
    const call = turn1.find((i) => i.kind === 'tool_call');
    expect(call?.arguments).toContain('ls');
    expect(turn1.find((i) => i.kind === 'tool_output' && i.callId === call?.callId)?.output).toContain('hello.py');
  });

  it(backgroundCalls ? 'stores its background calls as background requests outside every turn' : 'makes no background call here', () => {
    const sessions = h.kx.reader.listSessions(10).map((s) => h.kx.reader.getSession(s.id)!);
    const requests = sessions.flatMap((s) => s.requests);
    const background = requests.filter((r) => r.requestKind === 'background');
    expect(background.length > 0).toBe(backgroundCalls);
    for (const r of background) expect(r.turnId).toBeNull();
    const turnRequests = requests.filter((r) => r.requestKind !== 'background');
    for (const r of turnRequests) expect(r.turnId).not.toBeNull();
  });

  it('never writes the API key to disk', () => {
    const files = fs.readdirSync(h.config.documentsDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    for (const f of files) {
      const text = fs.readFileSync(path.join(f.parentPath, f.name)).toString('latin1');
      expect(text.includes(KEY), f.name).toBe(false);
    }
  });
});
