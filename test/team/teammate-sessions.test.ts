// A teammate's session on this machine, through a throwaway PostgreSQL: Ana's kx (machine A) shares a
// session summary and a gap; Bob's kx (a running kx, machine B) has neither her session nor a session of
// his own in the project. What Bob's `kx summary`, MCP `playbook` and `/api/gaps?project=<folder>` say.

import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { mcpTokenOf } from '../../src/api/auth.js';
import { CliError, kxClient } from '../../src/cli/kx-client.js';
import { gapList, sessionSummaryResponse, sharedSummaryList } from '../../src/contracts/insight.js';
import { enqueue } from '../../src/team/outbox.js';
import { insightSettings } from '../support/insight-harness.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { commandRunner } from '../support/run-command.js';
import { twoCheckouts } from './checkouts.js';
import { startMachine, until, type Machine } from './sync-machine.js';

const WEBHOOK = 'sess-ana-webhook-7c1f';
const DEPLOY = 'sess-ana-deploy-03b2';

const summaryOutput = (title: string, step: string) => ({
  title, highlights: ['verified against the raw body'], unresolved_questions: [], next_repetitions: ['replay a webhook before deploying'],
  playbook: [{ step, command: 'stripe trigger payment_intent.succeeded', why: 'the signature covers the raw bytes' }],
});

describe("a teammate's session, on a machine that has only what team memory brought", () => {
  let cluster: PgCluster;
  let ana: Machine;
  let bob: Harness;
  let bobFolder: string;
  let mcp: Client;
  const run = commandRunner(() => kxClient(bob.kx.url, TEST_TOKEN));
  const api = (p: string) => fetch(`${bob.kx.url}${p}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });

  beforeAll(async () => {
    cluster = await startPgCluster();
    const { a, b } = twoCheckouts();
    bobFolder = b;
    ana = startMachine(cluster.url, 'ana', a);
    ana.sync.start();
    await until('ana joined', () => ana.db.prepare(`SELECT 1 FROM team_state WHERE key = 'enabled' AND value = '1'`).get());
    const share = (id: string, title: string, step: string) =>
      enqueue(ana.db, { kind: 'summary', localId: id, project: ana.project, sessionId: id, payload: { version: 1, output: summaryOutput(title, step), at: new Date().toISOString() } });
    ana.db.transaction(() => {
      share(WEBHOOK, 'Fixed the webhook signature check', 'Verify against the raw body');
      share(DEPLOY, 'Deployed the shop to staging', 'Run the smoke tests after the deploy');
    })();
    ana.openGap('g_ana_sandbox', WEBHOOK, 'payments sandbox', 'which sandbox key does checkout use?');
    bob = await startHarness({ insight: insightSettings(), team: { databaseUrl: cluster.url, author: 'bob', pollMs: 100 } });
    const db = bob.kx.store.db;
    await until('what ana shared, on bob', () => db.prepare(`SELECT COUNT(*) FROM team_received`).pluck().get() === 3);
    mcp = new Client({ name: 'kx-test', version: '1.0.0' });
    const headers = { authorization: `Bearer ${mcpTokenOf(TEST_TOKEN)}` };
    await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', bob.kx.url), { requestInit: { headers } }));
  }, 90_000);
  afterAll(async () => {
    await mcp?.close();
    await bob?.close();
    await ana?.close();
    cluster?.close();
  });

  it("kx summary shows the teammate's session named by the start of its id, saying whose it is and where the session is", async () => {
    const text = await run(['summary', 'sess-ana-web']);
    expect(text.split('\n')[0]).toContain('Fixed the webhook signature check');
    expect(text).toContain('Verify against the raw body');
    expect(text).toMatch(/ana's session, shared through team memory/);
    expect(text).toMatch(/the session itself is on ana's machine/);
    expect(await run(['summary', WEBHOOK])).toContain('Fixed the webhook signature check');
  });

  it("serves a teammate's shared summary at the session's summary route, with who shared it, and lists it by the start of its id", async () => {
    const body = sessionSummaryResponse.parse(await (await api(`/api/sessions/${WEBHOOK}/summary`)).json());
    expect(body.summary).toMatchObject({ title: 'Fixed the webhook signature check', sharedBy: 'ana', version: 1 });
    expect(body.versions.map((v) => v.version)).toEqual([1]);
    expect(sessionSummaryResponse.parse(await (await api(`/api/sessions/${WEBHOOK}/summary?version=2`)).json()).summary).toBeNull();
    const listed = sharedSummaryList.parse(await (await api('/api/shared-summaries?start=sess-ana-d')).json());
    expect(listed.summaries).toEqual([expect.objectContaining({ sessionId: DEPLOY, author: 'ana', title: 'Deployed the shop to staging' })]);
    expect((await api('/api/sessions/sess-bob-nothing/summary')).status).toBe(404);
  });

  it("kx summary lists a teammate's sessions a start of an id leaves ambiguous, and still names the closest for an unknown one", async () => {
    const err = await run(['summary', 'sess-ana']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/^session sess-ana is ambiguous: 2 match/);
    expect((err as Error).message).toContain(WEBHOOK);
    expect((err as Error).message).toContain(DEPLOY);
    await expect(run(['summary', 'sess-bob-nothing'])).rejects.toThrow(/^no such session sess-bob-nothing/);
  });

  it("MCP playbook says whose session a teammate's steps came from, with no link to a console page this machine lacks", async () => {
    const res = await mcp.callTool({ name: 'playbook', arguments: { project: bobFolder } });
    const text = (res.content as Array<{ text: string }>).map((c) => c.text).join('\n');
    expect(text).toContain('Verify against the raw body');
    expect(text).toMatch(new RegExp(`ana's session ${WEBHOOK}, [^\\n]*on ana's machine`));
    expect(text).not.toContain('/ui/#/sessions/');
  });

  it("MCP gaps and search cite a teammate's session with no link to a console page this machine lacks", async () => {
    for (const call of [{ name: 'gaps', arguments: { project: bobFolder } }, { name: 'search', arguments: { query: 'webhook signature', project: bobFolder } }]) {
      const res = await mcp.callTool(call);
      const text = (res.content as Array<{ text: string }>).map((c) => c.text).join('\n');
      expect(text, call.name).toMatch(/not on this machine/);
      expect(text, call.name).not.toMatch(/\/ui\/#\/sessions\/sess-ana/);
    }
  });

  it('/api/gaps?project=<folder> finds the project the CLI finds for that folder: by its git remote, from a folder inside it too', async () => {
    const inside = path.join(bobFolder, 'src', 'payments');
    fs.mkdirSync(inside, { recursive: true });
    const cli = await run(['gaps'], bobFolder);
    expect(cli).toContain('g_ana_sandbox');
    for (const folder of [bobFolder, inside]) {
      const res = await api(`/api/gaps?project=${encodeURIComponent(folder)}`);
      expect(res.status).toBe(200);
      expect(gapList.parse(await res.json()).gaps.map((g) => g.id)).toEqual(['g_ana_sandbox']);
    }
    expect((await api(`/api/gaps?project=${encodeURIComponent(path.join(path.dirname(bobFolder), 'elsewhere'))}`)).status).toBe(404);
  });
});
