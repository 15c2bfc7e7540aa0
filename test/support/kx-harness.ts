// kx on an ephemeral port in front of the project's fake upstream, with its own documents folder.

import { startKx, type Kx, type KxOptions } from '../../src/kx.js';
import type { Config } from '../../src/config/config.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { testConfig } from '../../harness/drivers/throwaway-config.js';

export { TEST_TOKEN, testConfig } from '../../harness/drivers/throwaway-config.js';

export interface Harness {
  fake: FakeUpstream;
  kx: Kx;
  /** kx's proxy base, e.g. http://127.0.0.1:PORT/v1 */
  proxyBase: string;
  config: Config;
  close(): Promise<void>;
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
