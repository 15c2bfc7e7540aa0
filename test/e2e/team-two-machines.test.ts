// Team memory end to end: two `kx start` processes (two documents folders, as on two machines), two git
// checkouts of one remote at different paths, one throwaway PostgreSQL, the real Codex CLI. A gap left
// in a session on A holds and rewrites the first message of a new session on B in learn mode, citing
// A's session; resolving it on B shows resolved on A; stopping PostgreSQL for a while loses nothing.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../src/contracts/learn.js';
import type { TeamView } from '../../src/contracts/team.js';
import type { GapView } from '../../src/contracts/insight.js';
import { PG_PASSWORD, startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { tempDir } from '../support/recording.js';
import { codexTurn, FIRST_PROMPT, learnProvider, newCodexHome } from './codex-learn.js';

const TOKEN = 'team-e2e-token-0123456789abcdef';
const REWRITTEN = `${FIRST_PROMPT}. A teammate could not tell what data.csv holds: open it before answering.`;

interface Machine {
  child: ChildProcess;
  url: string;
  fake: FakeUpstream;
  output: () => string;
}

async function kxStart(fake: FakeUpstream, databaseUrl: string, author: string): Promise<Machine> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_'))),
    KX_UPSTREAM_BASE_URL: fake.baseUrl,
    KX_CHATGPT_BASE_URL: fake.baseUrl,
    KX_INSIGHT_BASE_URL: fake.baseUrl,
    KX_DOCUMENTS_DIR: tempDir('kx-team-docs-'),
    KX_UI_TOKEN: TOKEN,
    KX_LOG_LEVEL: 'info',
    KX_KEEPALIVE_SECONDS: '0.5',
    KX_TEAM_DATABASE_URL: databaseUrl,
    KX_TEAM_AUTHOR: author,
  };
  const child = spawn(process.execPath, [path.resolve('bin/kx.js'), 'start', '--port', '0'], { cwd: tempDir('kx-cwd-'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const u = /proxy:\s+(http:\/\/\S+)\/v1\s/.exec(out)?.[1];
      if (u && out.includes('team:')) {
        clearInterval(timer);
        resolve(u);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`kx exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, url, fake, output: () => out };
}

function gitCheckout(parent: string, remote: string): string {
  const dir = path.join(parent, 'shop');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'data.csv'), 'sku,price\nA1,3\n');
  fs.writeFileSync(path.join(dir, 'hello.py'), 'print("hello")\n');
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', remote]);
  return dir;
}

async function until<T>(what: string, get: () => Promise<T | undefined | false> | T | undefined | false, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('team memory across two kx on one PostgreSQL', () => {
  let cluster: PgCluster;
  let a: Machine;
  let b: Machine;
  let dirA = '';
  let dirB = '';
  let home = '';
  let gap: GapView;
  let sessionA = '';
  const api = async <T>(m: Machine, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${m.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const gaps = async (m: Machine, status: 'open' | 'resolved') => (await api<{ gaps: GapView[] }>(m, `/api/gaps?status=${status}`)).gaps;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const root = tempDir('kx-team-e2e-');
    dirA = gitCheckout(path.join(root, 'home', 'ana'), 'git@github.com:acme/shop.git');
    dirB = gitCheckout(path.join(root, 'Users', 'bob', 'code'), 'https://github.com/acme/shop');
    a = await kxStart(await startFakeUpstream(), cluster.url, 'ana');
    b = await kxStart(await startFakeUpstream(), cluster.url, 'bob');
    home = await newCodexHome();
  }, 90_000);

  afterAll(async () => {
    for (const m of [a, b]) {
      if (!m) continue;
      if (m.child.exitCode === null) {
        const exited = new Promise((r) => m.child.once('exit', r));
        m.child.kill('SIGTERM');
        await exited;
      }
      await m.fake.close();
    }
    cluster?.close();
  });

  it('prints the team database with its password masked', () => {
    expect(a.output()).toMatch(/team:\s+postgres:\/\/kx:\*\*\*@127\.0\.0\.1/);
    expect(a.output()).not.toContain(PG_PASSWORD);
  });

  it("shares a gap left in a session on A with B, in B's project for its own checkout", async () => {
    const run = await codexTurn(home, dirA, learnProvider('http')(`${a.url}/v1`), 'what is data.csv?', false);
    expect(run.code).toBe(0);
    sessionA = run.sessionId ?? '';
    gap = await until('the gap on A', async () => (await gaps(a, 'open')).find((g) => g.topic === 'data.csv'));
    const onB = await until('the gap on B', async () => (await gaps(b, 'open')).find((g) => g.id === gap.id));
    expect(onB.firstSeen.sessionId).toBe(sessionA);
    expect(onB.sharedBy).toBe('ana');
    expect(gap.sharedBy).toBeNull();
    const team = await api<TeamView>(b, '/api/team');
    expect(team.recent.find((r) => r.id === gap.id)).toMatchObject({ kind: 'gap', author: 'ana' });
    expect(team.projects.find((p) => p.id === onB.project)?.teamKey).toBe('github.com/acme/shop');
  }, 120_000);

  it("holds and rewrites the first message of a new session on B in learn mode, citing A's session", async () => {
    await api(b, '/api/mode', { mode: 'learn', project: dirB });
    b.fake.enqueue({ kind: 'rewrite', answer: { rewritten: REWRITTEN, added_anything: true, gap_ids: [gap.id], snippet_refs: [], reason: `Adds what ana's session ${sessionA} could not tell.` } });
    const before = b.fake.requests.length;
    const run = codexTurn(home, dirB, learnProvider('http')(`${b.url}/v1`), FIRST_PROMPT, false);
    const card = await until('the held first message on B', async () => (await api<{ approvals: ApprovalView[] }>(b, '/api/approvals?status=pending')).approvals[0]);
    expect(card.gaps.map((g) => g.gapId)).toEqual([gap.id]);
    expect(card.context).toContain(sessionA);
    const rewriteCall = b.fake.rewriteCalls.at(-1)?.rawBody.toString('utf8');
    expect(rewriteCall).toContain(`from ana's session ${sessionA}`);
    await api(b, `/api/approvals/${card.id}`, { decision: 'accept' });
    expect((await run).code).toBe(0);
    const agentCalls = b.fake.requests.slice(before).map((r) => r.rawBody.toString('utf8')).filter((t) => !/turn_insight|session_summary/.test(t));
    expect(agentCalls.length).toBeGreaterThan(0);
    expect(agentCalls[0]).toContain(JSON.stringify(REWRITTEN).slice(1, -1));
    for (const call of agentCalls) expect(call).not.toContain(JSON.stringify(FIRST_PROMPT));
  }, 120_000);

  it('shows on A a gap resolved on B', async () => {
    await api(b, `/api/gaps/${gap.id}`, { status: 'resolved', note: 'it is the price list' });
    const resolved = await until('the resolution on A', async () => (await gaps(a, 'resolved')).find((g) => g.id === gap.id));
    expect(resolved.resolved?.note).toBe('it is the price list');
  }, 60_000);

  it('loses nothing while PostgreSQL is stopped: the backlog shows, and drains to B after the restart', async () => {
    cluster.stop();
    const run = await codexTurn(home, dirA, learnProvider('http')(`${a.url}/v1`), 'what is hello.py?', false);
    expect(run.code).toBe(0);
    const down = await until('the backlog on A', async () => {
      const t = await api<TeamView>(a, '/api/team');
      return t.state === 'unreachable' && t.backlog > 0 ? t : undefined;
    });
    expect(JSON.stringify(down)).not.toContain(PG_PASSWORD);
    const health = await api<{ team?: { state: string; backlog: number } }>(a, '/api/health');
    expect(health.team).toMatchObject({ state: 'unreachable' });
    await new Promise((r) => setTimeout(r, 2_000));
    cluster.start();
    await until('the backlog to drain', async () => (await api<TeamView>(a, '/api/team')).backlog === 0, 60_000);
    await until('the new gap on B', async () => (await gaps(b, 'open')).find((g) => g.topic === 'hello.py'), 30_000);
    expect(a.output()).not.toContain(PG_PASSWORD);
  }, 120_000);
});
