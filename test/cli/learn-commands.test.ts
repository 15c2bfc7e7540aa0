import { afterEach, describe, expect, it } from 'vitest';
import { kxClient } from '../../src/cli/kx-client.js';
import type { ApprovalView } from '../../src/contracts/learn.js';
import { sessionPageView } from '../../src/contracts/console.js';
import { projectSlug } from '../../src/capture/project.js';
import { approveCommand, describeApproval, modeCommand } from '../../src/cli/learn-commands.js';
import { localTime } from '../../src/cli/terminal-text.js';
import { TEST_TOKEN } from '../support/kx-harness.js';
import { migrateAnswer, startLearnHarness, type LearnHarness } from '../support/learn-harness.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';
import { commandRunner } from '../support/run-command.js';

const ORIGINAL = 'run the integration tests';
const lastText = (b: unknown): string => (b as { input: Array<{ content: Array<{ text: string }> }> }).input.at(-1)!.content[0]!.text;

/** A turn of `session` that learn mode holds: its approval id, and the answer the client gets once it is decided. */
async function holdTurn(h: LearnHarness, session: string) {
  h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
  const pending = h.nextPending();
  const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': session }, body: responsesBody(ORIGINAL) });
  return { id: (await pending).id, answer };
}

describe('kx mode and kx approve', () => {
  let h: LearnHarness;
  afterEach(async () => h?.close());

  it('switches a project to learn mode by its working directory, its name or its id, and prints the modes in force', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    const shop = projectSlug('/home/ana/shop');
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, '/home/ana/shop', '2026-11-20T10:00:00Z')`).run(shop);
    const client = kxClient(h.kx.url, TEST_TOKEN);
    for (const [i, named] of ['/home/ana/shop', '/home/ana/shop/', shop].entries()) {
      const lines: string[] = [];
      await modeCommand({ mode: i % 2 ? 'capture' : 'learn', project: named }, client, (s) => lines.push(s));
      expect(lines.join('\n')).toBe(`global: capture\nproject ${shop}: ${i % 2 ? 'capture' : 'learn'}`);
    }
    expect(h.kx.modes.modeFor('any-session', shop)).toBe('learn');
  });

  it('kx mode capture with no scope ends learn mode everywhere, saying which project and session settings it turned off', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    const shop = projectSlug('/home/ana/shop');
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, '/home/ana/shop', '2026-11-20T10:00:00Z')`).run(shop);
    h.kx.store.db.prepare(`INSERT INTO sessions (id, identified_by, started_at) VALUES ('sess-learning', 'client_metadata', '2026-11-20T10:00:00Z')`).run();
    const client = kxClient(h.kx.url, TEST_TOKEN);
    await modeCommand({ mode: 'learn', project: shop }, client, () => {});
    await modeCommand({ mode: 'learn', session: 'sess-learning' }, client, () => {});
    const lines: string[] = [];
    await modeCommand({ mode: 'capture' }, client, (s) => lines.push(s));
    expect(lines.join('\n')).toBe(`learn mode turned off for project ${shop}, session sess-learning\nglobal: capture`);
    expect(h.kx.modes.modeFor('sess-learning', shop)).toBe('capture');
    expect(h.kx.modes.anyLearn()).toBe(false);
    expect(h.kx.store.db.prepare(`SELECT count(*) FROM learn_modes WHERE mode = 'learn'`).pluck().get()).toBe(0);
  });

  it('takes a directory given as a relative path for the project of that working directory', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    await modeCommand({ mode: 'learn', project: '.' }, kxClient(h.kx.url, TEST_TOKEN), () => {});
    expect(h.kx.modes.view().projects).toEqual({ [projectSlug(process.cwd())]: 'learn' });
  });

  it('refuses a project it cannot resolve, listing the known ones, and sets nothing', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    h.kx.store.db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('home-ana-shop-a1b2c3', '/home/ana/shop', '2026-11-20T10:00:00Z')`).run();
    await expect(modeCommand({ mode: 'learn', project: 'shoe' }, kxClient(h.kx.url, TEST_TOKEN), () => {})).rejects.toThrow(/no project "shoe".*known: home-ana-shop-a1b2c3 \(\/home\/ana\/shop\)/);
    expect(h.kx.modes.view().projects).toEqual({});
  });

  it('switches a session named by the start of its id', async () => {
    h = await startLearnHarness([], { mode: 'capture' });
    await rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'prefix-session-123' }, body: responsesBody(ORIGINAL) });
    const client = kxClient(h.kx.url, TEST_TOKEN);
    for (let i = 0; i < 100 && !(await client.get('/api/sessions', sessionPageView)).sessions.length; i++) await new Promise((r) => setTimeout(r, 50));
    const lines: string[] = [];
    await modeCommand({ mode: 'learn', session: 'prefix-sess' }, client, (s) => lines.push(s));
    expect(lines.join('\n')).toBe('global: capture\nsession prefix-session-123: learn');
  });

  it('shows hidden characters of a proposal as code points, and the context sent with it', async () => {
    const a: ApprovalView = {
      id: 'a_1', sessionId: 's', project: null, original: 'run it', rewrite: 'run it\u202Eevil\u200B', diff: [{ op: 'same', text: 'run it' }, { op: 'add', text: '\u202Eevil\u200B' }],
      gaps: [], snippets: [], reason: null, context: 'Context from earlier sessions', status: 'pending', created: 'now', decidedAt: null, finalText: null,
    };
    const text = describeApproval(a);
    expect(text).toContain('kx proposes: run it⟨U+202E⟩evil⟨U+200B⟩');
    expect(text).toContain('{+⟨U+202E⟩evil⟨U+200B⟩+}');
    expect(text).toMatch(/warning: .*invisible/);
    expect(text).toContain('Context from earlier sessions');
    expect(text).not.toMatch(/[\u202E\u200B]/);
  });

  it('lists a waiting turn and sends what the human saved in the editor', async () => {
    h = await startLearnHarness(['cli-edit']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'cli-edit' }, body: responsesBody(ORIGINAL) });
    await pending;
    const printed: string[] = [];
    await approveCommand([], kxClient(h.kx.url, TEST_TOKEN), {
      out: (s) => printed.push(s),
      ask: async () => 'e',
      edit: (text) => `${text} (checked by hand)`,
    });
    await answer;
    expect(printed.join('\n')).toContain('kx proposes: run the integration tests. Last time');
    expect(printed.join('\n')).toContain('{+. Last time');
    expect(lastText(h.fake.requests[0]!.body)).toBe(`${migrateAnswer(ORIGINAL).rewritten} (checked by hand)`);
  });

  it('decides a turn named by a unique start of its id, and says how to list them for one it does not know', async () => {
    h = await startLearnHarness(['cli-prefix']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'cli-prefix' }, body: responsesBody(ORIGINAL) });
    const { id } = await pending;
    const run = commandRunner(() => kxClient(h.kx.url, TEST_TOKEN));
    await expect(run(['approve', 'a_nope', 'accept'])).rejects.toThrow(/^no waiting turn a_nope.*kx approve lists/);
    await expect(run(['approve', '', 'accept'])).rejects.toThrow(/^an approval id is needed/);
    await run(['approve', id.slice(0, 6), 'accept']);
    await answer;
    expect(lastText(h.fake.requests[0]!.body)).toBe(migrateAnswer(ORIGINAL).rewritten);
  });

  it('says a turn named again after it was decided was already decided, how and when, not that it is unknown', async () => {
    h = await startLearnHarness(['cli-twice']);
    const { id, answer } = await holdTurn(h, 'cli-twice');
    const run = commandRunner(() => kxClient(h.kx.url, TEST_TOKEN));
    await run(['approve', id, 'accept']);
    await answer;
    const at = localTime(h.kx.store.db.prepare(`SELECT decided_at FROM approvals WHERE id = ?`).pluck().get(id) as string);
    await expect(run(['approve', id.slice(0, 8), 'reject'])).rejects.toThrow(`the turn ${id} was already decided: accepted at ${at}; nothing more to do`);
  });

  it('kx mode names a session whose first turn is held, before it is recorded, by the start of its id', async () => {
    h = await startLearnHarness(['held-session-1']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'held-session-1' }, body: responsesBody(ORIGINAL) });
    await pending;
    const run = commandRunner(() => kxClient(h.kx.url, TEST_TOKEN));
    expect(await run(['mode', 'capture', '--session', 'held-sess'])).toContain('session held-session-1: capture');
    await answer;
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
  });

  it('rejects one turn by id', async () => {
    h = await startLearnHarness(['cli-reject']);
    h.fake.enqueue({ kind: 'rewrite', answer: migrateAnswer(ORIGINAL) });
    const pending = h.nextPending();
    const answer = rawRequest(`${h.proxyBase}/responses`, { headers: { 'session-id': 'cli-reject' }, body: responsesBody(ORIGINAL) });
    const { id } = await pending;
    const printed: string[] = [];
    await approveCommand([id, 'reject'], kxClient(h.kx.url, TEST_TOKEN), { out: (s) => printed.push(s), ask: async () => '', edit: (t) => t });
    await answer;
    expect(printed).toEqual([`${id}: rejected`]);
    expect(lastText(h.fake.requests[0]!.body)).toBe(ORIGINAL);
  });
});
