// `kx team join` and `kx team leave` edit kx's proxy.env: the team lines only, the file kept private, the
// URL's password never printed; join reaches the database first, so a wrong URL is found at once.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/config/config.js';
import { kxClient } from '../../src/cli/kx-client.js';
import { teamJoin, teamLeave, teamShare, withTeamLines } from '../../src/cli/team-command.js';
import { PG_PASSWORD, startPgCluster, type PgCluster } from '../../harness/drivers/pg-cluster.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';

describe('the team lines of proxy.env', () => {
  it('replaces the team settings and keeps every other line', () => {
    const before = '# mine\nKX_PORT=9000\nKX_TEAM_DATABASE_URL="postgres://old@h/db"\nKX_MODE=learn\n';
    const after = withTeamLines(before, { KX_TEAM_DATABASE_URL: 'postgres://a:b@127.0.0.1/kx', KX_TEAM_AUTHOR: 'ana' });
    expect(parseEnvFile(after)).toEqual({ KX_PORT: '9000', KX_MODE: 'learn', KX_TEAM_DATABASE_URL: 'postgres://a:b@127.0.0.1/kx', KX_TEAM_AUTHOR: 'ana' });
    expect(after).toContain('# mine');
    expect(parseEnvFile(withTeamLines(after, {}))).toEqual({ KX_PORT: '9000', KX_MODE: 'learn' });
  });
});

describe('kx team join and leave', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.close());

  it('writes the URL to a 0600 proxy.env after reaching the database, printing it masked; leave removes it', async () => {
    const envFile = path.join(tempDir('kx-team-cli-'), 'proxy.env');
    fs.writeFileSync(envFile, 'KX_PORT=9000\n');
    const lines: string[] = [];
    await teamJoin(cluster.url, 'ana', envFile, (s) => lines.push(s));
    expect(parseEnvFile(fs.readFileSync(envFile, 'utf8'))).toMatchObject({ KX_PORT: '9000', KX_TEAM_DATABASE_URL: cluster.url, KX_TEAM_AUTHOR: 'ana' });
    expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain('kx:***@127.0.0.1');
    expect(lines.join('\n')).not.toContain(PG_PASSWORD);
    teamLeave(envFile, (s) => lines.push(s));
    expect(parseEnvFile(fs.readFileSync(envFile, 'utf8'))).toEqual({ KX_PORT: '9000' });
  }, 30_000);

  it('refuses a URL it cannot log in with, without writing it or quoting the password', async () => {
    const envFile = path.join(tempDir('kx-team-cli-'), 'proxy.env');
    const wrong = cluster.url.replace(PG_PASSWORD, 'not-the-password-123');
    const err = await teamJoin(wrong, undefined, envFile, () => {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/could not reach postgres:\/\/kx:\*\*\*@127\.0\.0\.1/);
    expect((err as Error).message).not.toContain('not-the-password-123');
    expect(fs.existsSync(envFile)).toBe(false);
  }, 30_000);
});

describe('kx team status and share', () => {
  const view = {
    enabled: true, database: 'postgres://kx:***@db.example.com/kx', machineId: 'm_1', author: 'ana', state: 'unreachable' as const,
    lastError: 'connect ECONNREFUSED 10.0.0.5:5432', lastSyncAt: null, nextRetryAt: '2026-12-05T12:00:00.000Z', backlog: 7, sent: 3, received: 2,
    shared: ['turn notes: what each turn did'], keptLocal: ['raw turns: your messages'],
    projects: [
      { id: 'shop-1', name: '/home/ana/shop', teamKey: 'github.com/acme/shop', sharing: true, waiting: 7, received: 2 },
      { id: 'shop-c56680', name: 'github.com/acme/shop', teamKey: 'github.com/acme/shop', sharing: true, waiting: 0, received: 4 },
    ], recent: [],
  };
  const client = (posted: unknown[]) => ({
    get: async (_p: string, schema: { parse: (v: unknown) => unknown }) => schema.parse(view),
    post: async (p: string, schema: { parse: (v: unknown) => unknown }, body?: unknown) => {
      posted.push({ p, body });
      return schema.parse({ ...view.projects[0], sharing: false });
    },
  }) as never;

  it('prints the state and why it waits, the backlog, and each project with its team name', async () => {
    const { teamStatus } = await import('../../src/cli/team-command.js');
    const lines: string[] = [];
    await teamStatus(client([]), (s) => lines.push(s), 'UTC');
    const text = lines.join('\n');
    expect(text).toContain('next try 2026-12-05 12:00');
    expect(text).toMatch(/shared\s+github\.com\/acme\/shop\s+0 waiting, 4 received/);
    expect(text).toContain('postgres://kx:***@db.example.com/kx as ana');
    expect(text).toContain('unreachable — connect ECONNREFUSED');
    expect(text).toContain('7 waiting');
    expect(text).toMatch(/shared\s+\/home\/ana\/shop\s+\(github\.com\/acme\/shop\)/);
  });

  it("turns a project's sharing off by its folder", async () => {
    const { teamShare } = await import('../../src/cli/team-command.js');
    const posted: unknown[] = [];
    const lines: string[] = [];
    await teamShare(client(posted), '/home/ana/shop', 'off', (s) => lines.push(s));
    expect(posted).toEqual([{ p: '/api/team/projects/shop-1/sharing', body: { sharing: false } }]);
    expect(lines).toEqual(['/home/ana/shop: sharing off']);
    await expect(teamShare(client([]), '/elsewhere', 'off', () => {})).rejects.toThrow(/no project/);
  });
});

describe('kx team share', () => {
  it('never takes an empty project name (it would resolve to the folder the command runs in)', async () => {
    await expect(teamShare(kxClient('http://127.0.0.1:1', 'token'), '', 'on', () => {})).rejects.toThrow(/^a project name is needed/);
  });
});
