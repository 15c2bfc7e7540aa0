// The Config of a kx that lives for one test, bench run or demo: loopback, an ephemeral port, its own
// documents folder, a known console token, one upstream for every request.

import type { Config, InsightSettings } from '../../src/config/config.js';
import { INSIGHT_OFF } from '../../src/insight/start-insight.js';
import { tempDir } from './temp-dir.js';

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

/** The insight engine on, per turn, with a short call timeout. */
export function insightSettings(over: Partial<InsightSettings> = {}): InsightSettings {
  return { ...INSIGHT_OFF, mode: 'turn', timeoutMs: 5_000, ...over };
}
