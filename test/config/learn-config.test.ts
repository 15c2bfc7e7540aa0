import { describe, expect, it } from 'vitest';
import { DEFAULT_LEARN, loadConfig } from '../../src/config/config.js';
import { tempDir } from '../support/recording.js';

describe('learn mode settings', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({ cwd: tempDir(), env: {}, argv: [] }).learn).toEqual(DEFAULT_LEARN);
    expect(DEFAULT_LEARN).toEqual({ mode: undefined, hold: 'when-changed', approvalTimeoutMs: 600_000, rewriteTimeoutMs: 20_000, keepaliveMs: 30_000, inject: 'first-turn', injectMaxTokens: 800 });
  });

  it('reads every KX_ learn variable, seconds as fractions too', () => {
    const env = {
      KX_MODE: 'learn',
      KX_LEARN_HOLD: 'always',
      KX_APPROVAL_TIMEOUT_SECONDS: '90',
      KX_REWRITE_TIMEOUT_SECONDS: '2.5',
      KX_KEEPALIVE_SECONDS: '0.5',
      KX_INJECT: 'off',
      KX_INJECT_MAX_TOKENS: '300',
    };
    expect(loadConfig({ cwd: tempDir(), env, argv: [] }).learn).toEqual({
      mode: 'learn',
      hold: 'always',
      approvalTimeoutMs: 90_000,
      rewriteTimeoutMs: 2500,
      keepaliveMs: 500,
      inject: 'off',
      injectMaxTokens: 300,
    });
  });

  it('explains a bad value', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_MODE: 'teach' }, argv: [] })).toThrow(/KX_MODE must be capture or learn/);
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_KEEPALIVE_SECONDS: '0' }, argv: [] })).toThrow(/KX_KEEPALIVE_SECONDS/);
  });

  it('refuses at start a timer setting outside its range, naming the range', () => {
    const load = (env: Record<string, string>) => () => loadConfig({ cwd: tempDir(), env, argv: [] });
    // 30 days overflows Node's timer: every held turn would time out about 40 ms later.
    expect(load({ KX_APPROVAL_TIMEOUT_SECONDS: '2592000' })).toThrow(/KX_APPROVAL_TIMEOUT_SECONDS must be between 1 and 2147483 seconds/);
    expect(load({ KX_KEEPALIVE_SECONDS: '0.001' })).toThrow(/KX_KEEPALIVE_SECONDS must be between 0.5 and/);
    expect(load({ KX_REWRITE_TIMEOUT_SECONDS: '0.001' })).toThrow(/KX_REWRITE_TIMEOUT_SECONDS must be between/);
    expect(load({ KX_REWRITE_TIMEOUT_SECONDS: '1e9' })).toThrow(/KX_REWRITE_TIMEOUT_SECONDS must be between/);
    expect(load({ KX_INSIGHT_TIMEOUT_SECONDS: '1e12' })).toThrow(/KX_INSIGHT_TIMEOUT_SECONDS must be between/);
    expect(load({ KX_APPROVAL_TIMEOUT_SECONDS: 'soon' })).toThrow(/KX_APPROVAL_TIMEOUT_SECONDS/);
    expect(load({ KX_APPROVAL_TIMEOUT_SECONDS: '2147483', KX_KEEPALIVE_SECONDS: '0.5' })().learn!.approvalTimeoutMs).toBe(2_147_483_000);
  });
});
