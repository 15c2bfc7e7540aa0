// kx with the insight engine on, in front of the fake upstream, and helpers to drive a session and
// wait for its notes. Retries are shortened so fault tests run in milliseconds.

import fs from 'node:fs';
import path from 'node:path';
import type { InsightSettings } from '../../src/config/config.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import type { SeenRequest } from '../../harness/fake-upstream/state.js';
import { INSIGHT_OFF } from '../../src/insight/start-insight.js';
import { startKx, type Kx, type KxOptions } from '../../src/kx.js';
import type { Config } from '../../src/config/config.js';
import { insightSettings, testConfig } from '../../harness/drivers/throwaway-config.js';
import { rawRequest, responsesBody } from '../../harness/drivers/http-client.js';

export const SESSION_KEY = ['sk-proj-', 'insightSessionKey0123456789abcdef'].join('');

export interface InsightHarness {
  fake: FakeUpstream;
  kx: Kx;
  config: Config;
  proxyBase: string;
  /** One human turn through kx: the fake answers it without tools, so the turn completes. */
  turn(sessionId: string, text: string, opts?: { cwd?: string; headers?: Record<string, string> }): Promise<void>;
  insightCalls(): SeenRequest[];
  waitFor(what: string, cond: () => boolean, ms?: number): Promise<void>;
  learnings(sessionId: string): string;
  /** Waits until learnings.md holds `text` (pages are rebuilt a few ms after a job settles). */
  learningsWith(sessionId: string, text: string | RegExp): Promise<string>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export { insightSettings } from '../../harness/drivers/throwaway-config.js';

export const environmentContext = (cwd: string): Record<string, unknown> => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` }],
});

export async function startInsightHarness(
  over: Partial<InsightSettings> = {},
  opts: KxOptions = {},
  documentsDir?: string,
  fakeIn?: FakeUpstream,
  upstream?: string,
): Promise<InsightHarness> {
  const fake = fakeIn ?? (await startFakeUpstream());
  const config = testConfig(upstream ?? fake.baseUrl, { insight: insightSettings(over), ...(documentsDir ? { documentsDir } : {}) });
  const engineOpts: KxOptions = { insightEngine: { retryBaseMs: 20, ...opts.insightEngine } };
  let kx = await startKx(config, () => {}, engineOpts);
  const histories = new Map<string, unknown[]>();
  const h: InsightHarness = {
    fake,
    get kx() {
      return kx;
    },
    config,
    get proxyBase() {
      return `${kx.url}/v1`;
    },
    async turn(sessionId, text, o = {}) {
      const history = histories.get(sessionId) ?? (o.cwd ? [environmentContext(o.cwd)] : []);
      const body = JSON.parse(responsesBody(text)) as { input: unknown[] };
      const input = [...history, ...body.input];
      histories.set(sessionId, input);
      await rawRequest(`${kx.url}/v1/responses`, {
        headers: { 'content-type': 'application/json', 'session-id': sessionId, authorization: `Bearer ${SESSION_KEY}`, ...o.headers },
        body: JSON.stringify({ ...body, input }),
      });
      await kx.settle();
    },
    insightCalls: () => fake.requests.filter((r) => (r.body as { text?: { format?: { name?: string } } })?.text?.format?.name !== undefined),
    async waitFor(what, cond, ms = 15_000) {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    learnings: (sessionId) => fs.readFileSync(path.join(kx.store.sessionDir(sessionId), 'learnings.md'), 'utf8'),
    async learningsWith(sessionId, text) {
      let md = '';
      const read = () => {
        try {
          md = h.learnings(sessionId);
        } catch {
          md = '';
        }
        return typeof text === 'string' ? md.includes(text) : text.test(md);
      };
      await h.waitFor(`learnings.md of ${sessionId} with ${String(text)}`, read).catch(() => undefined);
      return md;
    },
    async restart() {
      await kx.close();
      kx = await startKx(config, () => {}, engineOpts);
    },
    async close() {
      await kx.close();
      if (!fakeIn) await fake.close();
    },
  };
  return h;
}
