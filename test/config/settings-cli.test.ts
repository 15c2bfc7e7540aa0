// Settings as the kx command says them at a terminal: every mistake a `kx:` line, exit code 2.

import { describe, expect, it } from 'vitest';
import { runKx } from '../support/kx-process.js';
import { tempDir } from '../support/recording.js';

const QUIET = { KX_UI_TOKEN: 'a-console-token-0123456789', KX_INSIGHT: 'off' };

describe('settings on the command line', () => {
  it('starts every mistake with kx: when two settings are wrong', async () => {
    const r = await runKx(['start', '--port', '0', '--documents', tempDir('kx-docs-')], { ...QUIET, KX_INSIGHT_API_KEY: '', KX_LOG_FILE: '' });
    expect(r.stderr).toBe('kx: KX_LOG_FILE must not be empty, got ""\nkx: KX_INSIGHT_API_KEY must not be empty\n');
    expect(r.code).toBe(2);
  }, 30_000);

  it('refuses an empty KX_PORT in one line instead of listening on a random port', async () => {
    const r = await runKx(['start', '--documents', tempDir('kx-docs-')], { ...QUIET, KX_PORT: '' });
    expect(r.stderr).toBe('kx: KX_PORT must not be empty, got ""\n');
    expect(r.code).toBe(2);
  }, 30_000);
});
