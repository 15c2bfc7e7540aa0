// KX_INSIGHT_BASE_URL is where insight calls go once it is set, with a key or without one (a local
// model takes none): never to the session's own upstream with the session's credentials.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { loadConfig } from '../../src/config/config.js';
import { CredentialVault } from '../../src/insight/credentials.js';
import { describeInsightAccess, ModelAccessResolver } from '../../src/insight/model-access.js';
import { tempDir } from '../support/recording.js';
import { SESSION_KEY, startInsightHarness, type InsightHarness } from '../support/insight-harness.js';

const insightOf = (env: Record<string, string>) => loadConfig({ cwd: tempDir(), env: { KX_UI_TOKEN: 'a-console-token-0123456789', ...env }, argv: [] }).insight!;

const vaultWithSession = (): CredentialVault => {
  const vault = new CredentialVault();
  vault.offer({ authorization: `Bearer ${SESSION_KEY}`, accountId: undefined, sessionId: 's1', baseURL: 'https://api.openai.com/v1' });
  return vault;
};

describe('where insight calls go', () => {
  let h: InsightHarness | undefined;
  let local: FakeUpstream | undefined;
  afterEach(async () => {
    await h?.close();
    await local?.close();
    h = undefined;
    local = undefined;
  });

  it('sends them to KX_INSIGHT_BASE_URL without a key when none is set, and none to the session’s upstream', async () => {
    local = await startFakeUpstream();
    h = await startInsightHarness({ ...insightOf({ KX_INSIGHT_BASE_URL: local.baseUrl }), timeoutMs: 5_000 });
    await h.turn('f-local', 'hello');
    await h.waitFor('the note', () => h!.kx.insight.engine.reader.turnInsights('f-local')[0]?.state === 'done');
    expect(h.insightCalls()).toHaveLength(0);
    expect(local.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/responses', undefined]]);
  });

  it('never lends the session’s credentials to a base URL that was set', () => {
    const access = new ModelAccessResolver(insightOf({ KX_INSIGHT_BASE_URL: 'http://127.0.0.1:11434/v1' }), vaultWithSession()).resolve('s1');
    expect(access).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', apiKey: undefined, dialect: 'platform' });
  });

  it('still borrows them when the base URL is OpenAI’s own, as proxy.env.example sets it', () => {
    const access = new ModelAccessResolver(insightOf({ KX_INSIGHT_BASE_URL: 'https://api.openai.com/v1' }), vaultWithSession()).resolve('s1');
    expect(access).toMatchObject({ baseURL: 'https://api.openai.com/v1', apiKey: SESSION_KEY });
  });

  it('says at start where the calls go: the URL and whether a key goes with them', () => {
    expect(describeInsightAccess(insightOf({ KX_INSIGHT_BASE_URL: 'http://127.0.0.1:11434/v1' }))).toBe('http://127.0.0.1:11434/v1, no key');
    expect(describeInsightAccess(insightOf({ KX_INSIGHT_BASE_URL: 'http://127.0.0.1:11434/v1', KX_INSIGHT_API_KEY: 'sk-local-0123456789' }))).toBe('http://127.0.0.1:11434/v1, with KX_INSIGHT_API_KEY');
    expect(describeInsightAccess(insightOf({ OPENAI_API_KEY: 'sk-openai-0123456789' }))).toBe('https://api.openai.com/v1, with OPENAI_API_KEY');
    expect(describeInsightAccess(insightOf({}))).toBe('each session’s own upstream, with its own credentials, held in memory only');
  });
});
