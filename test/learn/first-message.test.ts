// A session's first message in learn mode, with the real context source (the insight engine's tables
// and the search index): the project comes from the request's own <environment_context>, so the first
// message is considered, held with a rewrite and the KX_INJECT context on its card, on both transports.

import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../src/contracts/learn.js';
import { DEFAULT_LEARN, type LearnConfig } from '../../src/config/config.js';
import { projectSlug } from '../../src/capture/project.js';
import type { RewriteAnswer } from '../../harness/fake-upstream/rewrite.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';
import { seedGap, seedSession, seedSummary } from '../support/learn-seed.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

const CWD = '/home/dev/shop';
const SHOP = projectSlug(CWD);
const ORIGINAL = 'run the integration tests and tell me what breaks';
const REWRITE = `${ORIGINAL}. Last time they failed until \`npm run db:migrate\` ran, so migrate first.`;
const answer = (rewritten = REWRITE, added = true): RewriteAnswer => ({ rewritten, added_anything: added, gap_ids: added ? ['g_shop'] : [], snippet_refs: [], reason: added ? 'Adds the migrate step.' : 'Nothing applies.' });

const envContext = (cwd = CWD) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` }] });
/** A request of a session the store already places in the project: no working directory in it. */
const plainBody = (text = ORIGINAL) => ({ model: 'gpt-6.1-sol', stream: true, input: [userMessage(text)] });
const firstBody = (text = ORIGINAL, cwd = CWD) => ({ model: 'gpt-6.1-sol', stream: true, input: [envContext(cwd), userMessage(text)] });

async function start(learn: Partial<LearnConfig> = {}, documentsDir?: string): Promise<Harness> {
  const h = await startHarness({ ...(documentsDir ? { documentsDir } : {}), learn: { ...DEFAULT_LEARN, mode: 'learn', inject: 'first-turn', ...learn } }, (fake) => ({
    modelAccess: () => ({ baseURL: fake.baseUrl, apiKey: 'sk-rewrite-test', defaultHeaders: {}, dialect: 'platform' }),
  }));
  const db = h.kx.store.db;
  if (!(db.prepare(`SELECT 1 FROM gaps WHERE id = 'g_shop'`).get())) {
    seedSession(db, 's-shop-old', SHOP);
    seedGap(db, { id: 'g_shop', project: SHOP, topic: 'test database', question: 'why do the integration tests fail on a fresh checkout?', session: 's-shop-old' });
    seedSummary(db, 's-shop-old', { title: 'Fixed the integration tests', playbook: [{ step: 'Migrate the test database', command: 'npm run db:migrate' }] });
  }
  return h;
}

const api = (h: Harness, path: string, init: RequestInit = {}) =>
  fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
const pendingApprovals = async (h: Harness) => ((await (await api(h, '/api/approvals?status=pending')).json()) as { approvals: ApprovalView[] }).approvals;
const allApprovals = async (h: Harness) => ((await (await api(h, '/api/approvals?status=all')).json()) as { approvals: ApprovalView[] }).approvals;
const decide = (h: Harness, id: string, body: Record<string, unknown>) => api(h, `/api/approvals/${id}`, { method: 'POST', body: JSON.stringify(body) });

function nextPending(h: Harness): Promise<ApprovalView> {
  return new Promise((resolve) => {
    const off = h.kx.live.subscribe((e) => {
      if (e.type !== 'approval' || e.status !== 'pending') return;
      off();
      void pendingApprovals(h).then((list) => resolve(list.find((a) => a.id === e.approvalId)!));
    });
  });
}

const post = (h: Harness, session: string, body: unknown) =>
  rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': session, 'content-type': 'application/json' }, body: JSON.stringify(body) });

type Input = Array<{ role?: string; content?: Array<{ text?: string }> }>;
const inputOf = (b: unknown): Input => (b as { input: Input }).input;
const texts = (b: unknown): string[] => inputOf(b).map((i) => i.content?.[0]?.text ?? '');

describe('the first message of a session in learn mode', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('over HTTP: is held with a rewrite and the context on its card; accept sends both, never the original', async () => {
    h = await start();
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const pending = nextPending(h);
    const res = post(h, 's-new-http', firstBody());
    const card = await pending;
    expect(card).toMatchObject({ project: SHOP, original: ORIGINAL, rewrite: REWRITE });
    expect(card.context).toContain('npm run db:migrate');
    expect(h.fake.requests).toHaveLength(0);
    expect((await decide(h, card.id, { decision: 'accept' })).status).toBe(200);
    expect((await res).status).toBe(200);
    const sent = texts(h.fake.requests[0]!.body);
    expect(inputOf(h.fake.requests[0]!.body).map((i) => i.role)).toEqual(['user', 'developer', 'user']);
    expect(sent[1]).toBe(card.context);
    expect(sent[2]).toBe(REWRITE);
    expect(h.fake.requests[0]!.rawBody.toString()).not.toContain(JSON.stringify(ORIGINAL));
  });

  it('over WebSocket: is held with the context on its card at the first frame', async () => {
    h = await start();
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 's-new-ws' });
    const pending = nextPending(h);
    const events = s.create({ type: 'response.create', ...firstBody() });
    const card = await pending;
    expect(card.project).toBe(SHOP);
    expect(card.context).toContain('npm run db:migrate');
    await decide(h, card.id, { decision: 'accept' });
    expect((await events).at(-1)!.type).toBe('response.completed');
    expect(texts(h.fake.requests[0]!.body).slice(1)).toEqual([card.context, REWRITE]);
    s.ws.close();
  });

  it('over WebSocket after a prewarm frame: while held, the session is already in the project its card names', async () => {
    h = await start();
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 's-prewarmed-ws', originator: 'codex_exec' });
    // Codex's first frame names no folder: the session starts under its client until one is known.
    await s.create({ type: 'response.create', model: 'gpt-6.1-sol', generate: false, input: [] });
    const pending = nextPending(h);
    const events = s.create({ type: 'response.create', ...firstBody() });
    const card = await pending;
    await h.kx.settle();
    const db = h.kx.store.db;
    expect(card.project).toBe(SHOP);
    expect(db.prepare(`SELECT project, cwd FROM sessions WHERE id = 's-prewarmed-ws'`).get()).toEqual({ project: SHOP, cwd: CWD });
    expect(db.prepare(`SELECT name FROM projects WHERE name LIKE 'client: %'`).pluck().all()).toEqual([]);
    await decide(h, card.id, { decision: 'accept' });
    expect((await events).at(-1)!.type).toBe('response.completed');
    s.ws.close();
  });

  it('on reject sends the original message without the context', async () => {
    h = await start();
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const pending = nextPending(h);
    const res = post(h, 's-reject', firstBody());
    await decide(h, (await pending).id, { decision: 'reject' });
    await res;
    expect(inputOf(h.fake.requests[0]!.body).map((i) => i.role)).toEqual(['user', 'user']);
    expect(texts(h.fake.requests[0]!.body)[1]).toBe(ORIGINAL);
  });

  it('is held when the model adds nothing but context would be injected (KX_LEARN_HOLD=when-changed)', async () => {
    h = await start({ hold: 'when-changed' });
    h.fake.enqueue({ kind: 'rewrite', answer: answer(ORIGINAL, false) });
    const pending = nextPending(h);
    const res = post(h, 's-inject-only', firstBody());
    const card = await pending;
    expect(card.rewrite).toBe(ORIGINAL);
    expect(card.context).toContain('npm run db:migrate');
    await decide(h, card.id, { decision: 'accept' });
    await res;
    expect(texts(h.fake.requests[0]!.body).slice(1)).toEqual([card.context, ORIGINAL]);
  });

  it('follows a project-scoped mode from the first message, the project named by its working directory', async () => {
    h = await start({ mode: 'capture' });
    h.kx.modes.set('project', SHOP, 'learn');
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const pending = nextPending(h);
    const res = post(h, 's-project-mode', firstBody());
    await decide(h, (await pending).id, { decision: 'accept' });
    await res;
    // Another directory is in capture: sent at once, nothing asked.
    expect((await post(h, 's-elsewhere', firstBody(ORIGINAL, '/home/dev/blog'))).status).toBe(200);
    expect(h.fake.rewriteCalls).toHaveLength(1);
  });

  it('leaves no empty `client: …` project once the working directory is known', async () => {
    h = await start({ mode: 'capture' });
    await post(h, 's-capture', { ...firstBody(), stream: true });
    const s = await openWs(`${h.proxyBase}/responses`, { 'session-id': 's-capture-ws', originator: 'codex_exec' });
    await s.create({ type: 'response.create', model: 'gpt-6.1-sol', generate: false, input: [] });
    await s.create({ type: 'response.create', ...firstBody('hello', '/home/dev/other') });
    s.ws.close();
    await h.kx.settle();
    const db = h.kx.store.db;
    expect(db.prepare(`SELECT name FROM projects WHERE name LIKE 'client: %' OR name = 'unknown client'`).pluck().all()).toEqual([]);
    expect(db.prepare(`SELECT project FROM sessions WHERE id IN ('s-capture', 's-capture-ws') ORDER BY id`).pluck().all()).toEqual([SHOP, projectSlug('/home/dev/other')]);
  });
});

describe('what the human approves is what is sent', () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const WITH_TOKEN = `push with the token ${TOKEN} and run the integration tests`;
  // A session the store already places in the project (no working directory needed): each bug here shows on its own.
  const body = plainBody;
  const startPlaced = async (session: string, documentsDir?: string) => {
    const started = await start({ inject: 'off' }, documentsDir);
    if (!documentsDir) seedSession(started.kx.store.db, session, SHOP);
    return started;
  };

  it('sends the rewrite model the message redacted, and shows the card redacted', async () => {
    h = await startPlaced('s-redact');
    h.fake.enqueue({ kind: 'rewrite', answer: answer(`${WITH_TOKEN.replace(TOKEN, '[REDACTED:github-token]')}; migrate first.`) });
    const pending = nextPending(h);
    const res = post(h, 's-redact', body(WITH_TOKEN));
    const card = await pending;
    expect(JSON.stringify(h.fake.rewriteCalls[0]!.body)).not.toContain(TOKEN);
    expect(card.original).not.toContain(TOKEN);
    expect(card.rewrite).toContain('[REDACTED:github-token]');
    await decide(h, card.id, { decision: 'accept' });
    await res;
    expect(texts(h.fake.requests[0]!.body)[0]).toBe(`${WITH_TOKEN}; migrate first.`);
  });

  it('sends the secret, not its marker, for an edit left unchanged: the same text accept sends', async () => {
    h = await startPlaced('s-edit-same');
    const shown = `${WITH_TOKEN.replace(TOKEN, '[REDACTED:github-token]')}; migrate first.`;
    h.fake.enqueue({ kind: 'rewrite', answer: answer(shown) });
    const pending = nextPending(h);
    const res = post(h, 's-edit-same', body(WITH_TOKEN));
    const card = await pending;
    await decide(h, card.id, { decision: 'edit', text: card.rewrite! });
    await res;
    expect(texts(h.fake.requests[0]!.body)[0]).toBe(`${WITH_TOKEN}; migrate first.`);
  });

  it('after a restart, later requests carry the exact approved text, secret rebuilt from the resent original', async () => {
    h = await startPlaced('s-restart');
    h.fake.enqueue({ kind: 'rewrite', answer: answer(`${WITH_TOKEN.replace(TOKEN, '[REDACTED:github-token]')}; migrate first.`) });
    const pending = nextPending(h);
    const res = post(h, 's-restart', body(WITH_TOKEN));
    await decide(h, (await pending).id, { decision: 'accept' });
    await res;
    const approved = texts(h.fake.requests[0]!.body)[0]!;
    const documentsDir = h.config.documentsDir;
    await h.close();
    h = await startPlaced('s-restart', documentsDir);
    const later = { ...body(WITH_TOKEN), input: [...body(WITH_TOKEN).input, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] }, userMessage('thanks')] };
    h.fake.enqueue({ kind: 'rewrite', answer: answer('thanks', false) });
    expect((await post(h, 's-restart', later)).status).toBe(200);
    expect(texts(h.fake.requests[0]!.body)[0]).toBe(approved);
    expect(approved).toContain(TOKEN);
  });

  it('sends the human’s original after a restart when the secret cannot be rebuilt, never a marker', async () => {
    h = await startPlaced('s-unbuildable');
    const other = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
    h.fake.enqueue({ kind: 'rewrite', answer: answer(`${ORIGINAL}; migrate first.`) });
    const pending = nextPending(h);
    const res = post(h, 's-unbuildable', body());
    // The human's edit adds a token of their own that the original never had.
    await decide(h, (await pending).id, { decision: 'edit', text: `${ORIGINAL} with ${other}` });
    await res;
    const documentsDir = h.config.documentsDir;
    await h.close();
    h = await startPlaced('s-unbuildable', documentsDir);
    const later = { ...body(), input: [...body().input, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] }, userMessage('thanks')] };
    h.fake.enqueue({ kind: 'rewrite', answer: answer('thanks', false) });
    await post(h, 's-unbuildable', later);
    const sent = h.fake.requests[0]!.rawBody.toString();
    expect(sent).not.toContain('[REDACTED');
    expect(texts(h.fake.requests[0]!.body)[0]).toBe(ORIGINAL);
  });
});

describe('held turns that no longer apply', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('goes on at once with the original when its session is switched to capture', async () => {
    h = await start({ inject: 'off', approvalTimeoutMs: 60_000 });
    seedSession(h.kx.store.db, 's-switch', SHOP);
    h.fake.enqueue({ kind: 'rewrite', answer: answer() });
    const pending = nextPending(h);
    const res = post(h, 's-switch', plainBody());
    await pending;
    const switched = await api(h, '/api/mode', { method: 'POST', body: JSON.stringify({ mode: 'capture', session: 's-switch' }) });
    expect(switched.status).toBe(200);
    expect((await res).status).toBe(200);
    expect(texts(h.fake.requests[0]!.body)[0]).toBe(ORIGINAL);
    expect((await allApprovals(h)).map((a) => a.status)).toEqual(['released']);
  });

  it('goes on when the whole project or everything is switched to capture', async () => {
    h = await start({ inject: 'off', approvalTimeoutMs: 60_000 });
    for (const body of [{ mode: 'capture', project: SHOP }, { mode: 'capture' }]) {
      h.kx.modes.set('global', null, 'learn');
      h.kx.modes.set('project', SHOP, 'learn');
      h.fake.enqueue({ kind: 'rewrite', answer: answer() });
      const pending = nextPending(h);
      const session = `s-switch-${Object.keys(body).length}`;
      seedSession(h.kx.store.db, session, SHOP);
      const res = post(h, session, plainBody());
      await pending;
      if (body.project) h.kx.modes.set('project', SHOP, 'capture');
      else {
        h.kx.modes.set('project', SHOP, 'capture');
        h.kx.modes.set('global', null, 'capture');
      }
      expect((await res).status).toBe(200);
    }
    expect((await allApprovals(h)).map((a) => a.status)).toEqual(['released', 'released']);
  });
});
