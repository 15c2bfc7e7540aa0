// A session id comes from a client and names a folder under documents/: it must never be one of
// kx's own files, never be shared by two sessions, never be too long for the file system.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startKx, type Kx } from '../../src/kx.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { readableFolderName, sessionFolderName } from '../../src/store/session-folder.js';
import { FolderBook } from '../../src/store/folder-book.js';
import { testConfig } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';
import { openWs } from '../../harness/drivers/ws-client.js';

const RESERVED = ['sessions.db', 'sessions.db-journal', 'sessions.db-wal', 'sessions.db-shm', 'ui-token', 'UI-TOKEN', 'projects', 'README.md', '.hidden', '..', '.', 'kx-config', 'con'];

describe('session folder names', () => {
  it('keeps a plain id as its own folder name', () => {
    for (const id of ['01a20e12-d5d8-7e50-b51e-36f21fde77a3', 'fp-0123456789abcdef01234567', 'my_session-1']) expect(sessionFolderName(id)).toBe(id);
  });

  it('never names a folder after one of kx\'s own files, a hidden file or a kx- name', () => {
    for (const id of RESERVED) {
      const name = sessionFolderName(id);
      expect(name, id).not.toMatch(/^(?:\.|sessions\.db|ui-token$|projects$|readme\.md$|kx-|con$)/i);
    }
  });

  it('gives ids that a sanitiser would merge their own folders, stable across calls', () => {
    const ids = ['a/b', 'a_b', 'a?b', 'a.b', 'A_B', 'ééé', 'üüü', '../x', 'x'.repeat(10_000), 'x'.repeat(10_001)];
    const names = ids.map(sessionFolderName);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(ids.length);
    expect(ids.map(sessionFolderName)).toEqual(names);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(64);
      expect(n).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
    }
  });
});

describe('session folders on disk', () => {
  let kx: Kx | undefined;
  let fake: FakeUpstream | undefined;
  afterEach(async () => {
    await kx?.close();
    await fake?.close();
    kx = undefined;
  });

  const post = (k: Kx, session: string, text: string) =>
    rawRequest(`${k.url}/v1/responses`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', stream: true, client_metadata: { session_id: session }, input: [userMessage(text)] }),
    });
  const folderOf = (k: Kx, session: string) => k.store.db.prepare('SELECT folder FROM sessions WHERE id = ?').pluck().get(session) as string;
  const lines = (k: Kx, session: string) =>
    fs.readFileSync(path.join(k.store.documentsDir, folderOf(k, session), 'user_actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text as string);

  it('starts again after sessions named like its own files were recorded', async () => {
    fake = await startFakeUpstream();
    const config = testConfig(fake.baseUrl);
    kx = await startKx(config);
    for (const id of ['sessions.db-journal', 'sessions.db-wal', 'ui-token', 'README.md']) await post(kx, id, `hi from ${id}`);
    await kx.settle();
    await kx.close();
    kx = await startKx(config);
    await post(kx, 'after-restart', 'still here');
    await kx.settle();
    expect(kx.reader.listSessions(10)).toHaveLength(5);
    for (const name of ['sessions.db-journal', 'sessions.db-wal', 'ui-token', 'README.md']) {
      expect(fs.statSync(path.join(config.documentsDir, name), { throwIfNoEntry: false })?.isDirectory() ?? false, name).toBe(false);
      expect(lines(kx, name)).toEqual([`hi from ${name}`]);
    }
  });

  it("puts a new session's day and first words before its id, so ls tells a person something, and records the folder", async () => {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl));
    await post(kx, '01a20e12-d5d8-7e50-b51e-36f21fde77a3', 'Fix the cart badge: it renders twice on every update!');
    await kx.settle();
    const folder = folderOf(kx, '01a20e12-d5d8-7e50-b51e-36f21fde77a3');
    expect(folder).toMatch(/^\d{4}-\d{2}-\d{2}_fix-the-cart-badge-it_01a20e12-d5d8-7e50-b51e-36f21fde77a3$/);
    expect(fs.readdirSync(kx.store.documentsDir)).toContain(folder);
    expect(lines(kx, '01a20e12-d5d8-7e50-b51e-36f21fde77a3')).toEqual(['Fix the cart badge: it renders twice on every update!']);
  });

  it('names a folder by day and id alone when the first message has no words to use', () => {
    expect(readableFolderName('s-1', '2026-11-24T10:00:00.000Z', '!!! ???')).toBe('2026-11-24_s-1');
    expect(readableFolderName('s-1', '2026-11-24T10:00:00.000Z', undefined)).toBe('2026-11-24_s-1');
    expect(readableFolderName('ui-token', '2026-11-24T10:00:00.000Z', 'hi')).toMatch(/^2026-11-24_hi_s_ui-token\.[0-9a-f]{16}$/);
  });

  it('keeps the lines of sessions a sanitiser would merge apart', async () => {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl));
    const ids = ['a/b', 'a_b', 'a?b', 'ééé', 'üüü'];
    for (const id of ids) await post(kx, id, `message of ${id}`);
    await kx.settle();
    for (const id of ids) expect(lines(kx, id)).toEqual([`message of ${id}`]);
  });

  it('writes every line of a session with a 10 KB id, and stays healthy', async () => {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl));
    const id = 'long-'.repeat(2048);
    for (let i = 0; i < 3; i++) await post(kx, id, `message ${i}`);
    await kx.settle();
    expect(lines(kx, id)).toEqual(['message 0', 'message 1', 'message 2']);
    expect(kx.store.getHealth()).toMatchObject({ ok: true, jsonlBehind: 0 });
  });

  /** One session recorded, then its row left as an earlier kx left it: no recorded folder. Returns the config and the folder it had. */
  async function unfiledSession(id: string, text: string): Promise<{ config: ReturnType<typeof testConfig>; folder: string }> {
    fake = await startFakeUpstream();
    const config = testConfig(fake.baseUrl, { documentsDir: tempDir('kx-unfiled-') });
    kx = await startKx(config);
    await post(kx, id, text);
    await kx.settle();
    await kx.close();
    kx = undefined;
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(config.documentsDir, 'sessions.db'));
    const folder = db.prepare('SELECT folder FROM sessions').pluck().get() as string;
    db.prepare('UPDATE sessions SET folder = NULL').run();
    db.close();
    return { config, folder };
  }

  it('keeps the folder a session stored by an earlier kx already has', async () => {
    const { config, folder } = await unfiledSession('Legacy.Id', 'first');
    // As an earlier kx left it: files in the sanitised id's folder.
    fs.renameSync(path.join(config.documentsDir, folder), path.join(config.documentsDir, 'Legacy.Id'));
    kx = await startKx(config);
    await post(kx, 'Legacy.Id', 'second');
    await kx.settle();
    expect(folderOf(kx, 'Legacy.Id')).toBe('Legacy.Id');
    expect(lines(kx, 'Legacy.Id')).toEqual(['first', 'second']);
  });

  it('names the folder of a session whose first frame carries no message (a WebSocket prewarm) by its first words too', async () => {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl));
    const id = '01a20e12-d5d8-7e50-b51e-00000000cafe';
    const ws = await openWs(`${kx.url}/v1/responses`, { 'session-id': id, originator: 'codex_exec' });
    await ws.create({ model: 'x', generate: false, input: [] });
    await kx.settle();
    await ws.create({ model: 'x', input: [userMessage('List the files here, please')] });
    ws.ws.close();
    await kx.settle();
    expect(folderOf(kx, id)).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}_list-the-files-here-please_${id}$`));
    expect(lines(kx, id)).toEqual(['List the files here, please']);
    expect(fs.readdirSync(kx.store.documentsDir).filter((f) => f.includes(id))).toEqual([folderOf(kx, id)]);
  });

  it('moves a prewarmed session\'s files to its named folder at the next start when kx died between the commit and the move', async () => {
    fake = await startFakeUpstream();
    const config = testConfig(fake.baseUrl, { documentsDir: tempDir('kx-move-crash-') });
    kx = await startKx(config);
    const id = '01a20e12-d5d8-7e50-b51e-00000000dead';
    const ws = await openWs(`${kx.url}/v1/responses`, { 'session-id': id, originator: 'codex_exec' });
    await ws.create({ model: 'x', generate: false, input: [] });
    await kx.settle();
    // As if the process died right after the commit that renamed the folder in the database.
    const died = vi.spyOn(FolderBook.prototype, 'moveRefiled').mockImplementation(() => {});
    await ws.create({ model: 'x', input: [userMessage('List the files here, please')] });
    ws.ws.close();
    await kx.settle();
    await kx.close();
    died.mockRestore();
    kx = await startKx(config);
    expect(fs.readdirSync(config.documentsDir).filter((f) => f.includes(id))).toEqual([folderOf(kx, id)]);
    expect(lines(kx, id)).toEqual(['List the files here, please']);
  });

  it('keeps the folder of a session whose first message had no words to use, whatever comes next', async () => {
    fake = await startFakeUpstream();
    kx = await startKx(testConfig(fake.baseUrl));
    await post(kx, 'wordless-1', '!!! ???');
    await kx.settle();
    const first = folderOf(kx, 'wordless-1');
    await post(kx, 'wordless-1', 'now with words');
    await kx.settle();
    expect(folderOf(kx, 'wordless-1')).toBe(first);
    expect(lines(kx, 'wordless-1')).toEqual(['!!! ???', 'now with words']);
  });

  it('gives a session an earlier kx left without a folder, and no files yet, the name new sessions get', async () => {
    const { config, folder } = await unfiledSession('unfiled-1', 'Check the cart badge');
    fs.rmSync(path.join(config.documentsDir, folder), { recursive: true });
    kx = await startKx(config);
    expect(folderOf(kx, 'unfiled-1')).toBe(folder);
    expect(folder).toMatch(/^\d{4}-\d{2}-\d{2}_check-the-cart-badge_unfiled-1$/);
  });
});
