// kx on an ephemeral port in front of the project's fake upstream, with its own documents folder.

import { startKx, type Kx, type KxOptions } from '../../src/kx.js';
import type { Config } from '../../src/config/config.js';
import { startFakeUpstream, type FakeUpstream } from '../../src/fake-upstream/server.js';
import { tempDir } from './recording.js';

export interface Harness {
  fake: FakeUpstream;
  kx: Kx;
  /** kx's proxy base, e.g. http://127.0.0.1:PORT/v1 */
  proxyBase: string;
  config: Config;
  close(): Promise<void>;
}

export const TEST_TOKEN = 'harness-token-0123456789';

/** One upstream for every request (as when only KX_UPSTREAM_BASE_URL is set), unless overrides say otherwise. */
export function testConfig(upstreamBaseUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    upstreamBaseUrl: new URL(upstreamBaseUrl),
    chatgptBaseUrl: new URL(upstreamBaseUrl),
    documentsDir: tempDir('kx-docs-'),
    uiToken: TEST_TOKEN,
    uiTokenSource: 'env',
    allowRemote: false,
    logLevel: 'error',
    ...overrides,
  };
}

export async function startHarness(overrides: Partial<Config> = {}, options?: (fake: FakeUpstream) => KxOptions): Promise<Harness> {
  const fake = await startFakeUpstream();
  const config = testConfig(fake.baseUrl, overrides);
  const kx = await startKx(config, undefined, options?.(fake));
  return {
    fake,
    kx,
    proxyBase: `${kx.url}/v1`,
    config,
    close: async () => {
      await kx.close();
      await fake.close();
    },
  };
}
