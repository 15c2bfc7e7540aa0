// Settings as the kx command says them at a terminal: every mistake a `kx:` line, exit code 2.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
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

  it('says a missing KX_ENV_FILE in its own words, where Node would stop a missing --env-file first', async () => {
    const here = tempDir('kx-cwd-');
    const r = await runKx(['start', '--port', '0', '--documents', tempDir('kx-docs-')], { ...QUIET, KX_ENV_FILE: './nosuch.env' }, here);
    expect(r.stderr).toBe(`kx: env file not found: ${path.join(here, 'nosuch.env')} (KX_ENV_FILE)\n`);
    expect(r.code).toBe(2);
    // Node (20.6 and later, 22, 24) checks every --env-file on its command line, even after the script's name.
    const node = await runKx(['start', '--port', '0', '--env-file', './nosuch.env'], QUIET, here);
    expect([node.code, node.stderr]).toEqual([9, `${process.execPath}: ./nosuch.env: not found\n`]);
  }, 30_000);

  it('reads an --env-file that exists on this Node, as kx', async () => {
    const here = tempDir('kx-cwd-');
    fs.writeFileSync(path.join(here, 'kx.env'), 'KX_PORT=eighty\n');
    const r = await runKx(['start', '--env-file', 'kx.env', '--documents', tempDir('kx-docs-')], QUIET, here);
    expect(r.stderr).toBe(`kx: KX_PORT in ${path.join(here, 'kx.env')} must be a number from 1 to 65535 (0 picks a free port), got "eighty"\n`);
  }, 30_000);

  describe('a start that fails before listening', () => {
    async function startOnBusyPort(documents: string): Promise<string> {
      const busy = net.createServer();
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
      try {
        const r = await runKx(['start', '--port', String((busy.address() as net.AddressInfo).port), '--documents', documents], { KX_INSIGHT: 'off' });
        expect(r.code).toBe(2);
        return r.stderr;
      } finally {
        busy.close();
      }
    }

    it('leaves no trace of a documents folder it made', async () => {
      const parent = path.join(tempDir('kx-new-'), 'new-folder');
      expect(await startOnBusyPort(path.join(parent, 'documents'))).toMatch(/^kx: port \d+ on 127\.0\.0\.1 is in use/);
      expect(fs.existsSync(parent)).toBe(false);
    }, 30_000);

    it('takes back only what it added to a folder that held no kx data yet', async () => {
      const documents = tempDir('kx-docs-');
      fs.writeFileSync(path.join(documents, 'README.md'), 'mine\n');
      await startOnBusyPort(documents);
      expect(fs.readdirSync(documents)).toEqual(['README.md']);
    }, 30_000);

    it('leaves a folder that already held kx data as it was', async () => {
      const documents = tempDir('kx-docs-');
      await startOnBusyPort(documents);
      fs.writeFileSync(path.join(documents, 'sessions.db'), '');
      fs.writeFileSync(path.join(documents, 'ui-token'), 'a-console-token-0123456789\n');
      await startOnBusyPort(documents);
      expect(fs.readdirSync(documents).sort()).toEqual(expect.arrayContaining(['sessions.db', 'ui-token']));
    }, 30_000);
  });
});
