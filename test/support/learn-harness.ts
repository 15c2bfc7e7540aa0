// kx in learn mode in front of the fake upstream, with a project that has past learnings, and
// helpers to wait for a held turn and decide it through the API as the console would.

import { DEFAULT_LEARN, type Config, type LearnConfig } from '../../src/config/config.js';
import type { ApprovalView } from '../../src/contracts/learn.js';
import type { RewriteAnswer } from '../../harness/fake-upstream/rewrite.js';
import { InMemoryContextSource } from '../../src/learn/context-source.js';
import type { Dialect } from '../../src/insight/model-access.js';
import { startHarness, TEST_TOKEN, type Harness } from './kx-harness.js';

export const PROJECT = 'home-dev-shop-a1b2c3';

export interface LearnHarness extends Harness {
  context: InMemoryContextSource;
  /** Resolves with the next approval that starts waiting. */
  nextPending(): Promise<ApprovalView>;
  decide(id: string, body: Record<string, unknown>): Promise<{ status: number; json: unknown }>;
  approvals(status?: 'pending' | 'all'): Promise<ApprovalView[]>;
}

/** A project whose past sessions taught one thing: the test database must be migrated first. */
export function contextWithLearnings(sessions: string[] | 'every session'): InMemoryContextSource {
  const ctx = new InMemoryContextSource(sessions === 'every session' ? PROJECT : undefined);
  if (sessions === 'every session') sessions = [];
  for (const s of sessions) ctx.sessions.set(s, PROJECT);
  teach(ctx, PROJECT);
  return ctx;
}

/** The same learnings in another project (e.g. the one a request's working directory names). */
export function teach(ctx: InMemoryContextSource, project: string): void {
  ctx.gaps.push({
    id: 'g_12',
    project,
    topic: 'test database',
    question: 'why do the integration tests fail on a fresh checkout?',
    evidence: '`npm test` failed with `relation users does not exist` until `npm run db:migrate` ran',
    status: 'open',
  });
  ctx.snippets.push({ ref: 'summary:s-old', project, text: 'Ran npm run db:migrate before the tests; then they passed.' });
  ctx.profiles.set(project, '## Open gaps\n- g_12 test database: run `npm run db:migrate` before `npm test`.');
}

export const migrateAnswer = (original: string): RewriteAnswer => ({
  rewritten: `${original}. Last time the tests failed until \`npm run db:migrate\` ran, so migrate first.`,
  added_anything: true,
  gap_ids: ['g_12', 'g_invented'],
  snippet_refs: ['summary:s-old'],
  reason: 'Adds the migrate step gap g_12 recorded.',
});

/** `dialect`: how the rewrite call is spoken (`chatgpt`: streamed, as to the ChatGPT backend). */
export async function startLearnHarness(
  sessions: string[] | 'every session',
  learn: Partial<LearnConfig> = {},
  overrides: Partial<Config> = {},
  dialect: Dialect = 'platform',
): Promise<LearnHarness> {
  const context = contextWithLearnings(sessions);
  const h = await startHarness({ ...overrides, learn: { ...DEFAULT_LEARN, mode: 'learn', inject: 'off', ...learn } }, (fake) => ({
    learnContext: context,
    modelAccess: () => ({ baseURL: fake.baseUrl, apiKey: 'sk-rewrite-test', defaultHeaders: {}, dialect }),
  }));
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${h.kx.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const approvals = async (status: 'pending' | 'all' = 'pending') => ((await (await api(`/api/approvals?status=${status}`)).json()) as { approvals: ApprovalView[] }).approvals;
  return {
    ...h,
    context,
    approvals,
    nextPending: () =>
      new Promise((resolve) => {
        const off = h.kx.live.subscribe((e) => {
          if (e.type !== 'approval' || e.status !== 'pending') return;
          off();
          void approvals('pending').then((list) => resolve(list.find((a) => a.id === e.approvalId)!));
        });
      }),
    decide: async (id, body) => {
      const res = await api(`/api/approvals/${id}`, { method: 'POST', body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    },
  };
}
