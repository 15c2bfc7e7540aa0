// One kx per documents folder: a second refuses and names the first's port; a lock left by a kx
// that died is taken over.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { startKx, type Kx } from '../../src/kx.js';
import { folderHolder } from '../../src/store/documents-lock.js';
import { testConfig } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';
import { spawnKx, type KxProcess } from '../reliability/support.js';

describe('one kx per documents folder', () => {
  let fake: FakeUpstream | undefined;
  const open: Kx[] = [];
  const children: KxProcess[] = [];
  afterEach(async () => {
    for (const kx of open.splice(0)) await kx.close();
    for (const c of children.splice(0)) await c.stop();
    await fake?.close();
    fake = undefined;
  });

  const configFor = async (documentsDir: string) => {
    fake ??= await startFakeUpstream();
    return { ...testConfig(fake.baseUrl), documentsDir };
  };

  it('refuses a second kx on a folder in use, naming the first one’s port, and starts once the first stopped', async () => {
    const dir = tempDir('kx-lock-');
    const first = await startKx(await configFor(dir));
    open.push(first);
    await expect(startKx(await configFor(dir))).rejects.toThrow(new RegExp(`in use by another kx \\(pid ${process.pid}, port ${first.port}\\)`));
    await open.pop()!.close();
    const again = await startKx(await configFor(dir));
    open.push(again);
    expect(again.port).toBeGreaterThan(0);
  });

  it('takes over a lock whose kx is gone', async () => {
    const dir = tempDir('kx-lock-stale-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'kx.lock'), JSON.stringify({ pid: Number(dead), port: 1 }));
    // The commands that look for a kx (cli/find-kx.ts) see no holder in a stale lock, and the live one's address in a taken one.
    expect(folderHolder(dir)).toBeUndefined();
    const kx = await startKx(await configFor(dir));
    open.push(kx);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'kx.lock'), 'utf8'))).toEqual({ pid: process.pid, port: kx.port, host: '127.0.0.1' });
    expect(folderHolder(dir)).toEqual({ pid: process.pid, port: kx.port, host: '127.0.0.1' });
  });

  it('refuses as a command: a second `kx start` says which kx holds the folder and exits', { timeout: 60_000 }, async () => {
    fake = await startFakeUpstream();
    const dir = tempDir('kx-lock-cli-');
    const first = await spawnKx(fake.baseUrl, dir);
    children.push(first);
    const port = new URL(first.url).port;
    await expect(spawnKx(fake.baseUrl, dir)).rejects.toThrow(new RegExp(`kx exited with 2 before listening: kx: the documents folder .* is in use by another kx \\(pid ${first.pid}, port ${port}\\)`));
  });
});
