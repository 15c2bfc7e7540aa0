// A throwaway PostgreSQL for tests and the bench: initdb in a temp folder, started on a free port with
// its socket in that folder, stopped and removed after. The machine's own PostgreSQL binaries (15 in CI,
// installed by .ci/run); initdb refuses to run as root, so as root it runs as the `postgres` user.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PgCluster {
  /** postgres://kx:…@127.0.0.1:<port>/kx */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (data kept): the team database "goes down". */
  stop(): void;
  /** Starts it again on the same port. */
  start(): void;
  /** Stops it and removes its folder. */
  close(): void;
}

export const PG_PASSWORD = 'kx-test-pw-7f3a';

/** The folder holding initdb and pg_ctl: KX_PG_BIN, else PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function pgBinDir(): string | undefined {
  const fromEnv = process.env.KX_PG_BIN;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : undefined;
}

const asRoot = (): boolean => process.getuid?.() === 0;
const runAs = process.env.KX_PG_USER ?? 'postgres';

function run(bin: string, cmd: string, args: string[]): void {
  const file = path.join(bin, cmd);
  if (asRoot()) execFileSync('runuser', ['-u', runAs, '--', file, ...args], { stdio: 'pipe' });
  else execFileSync(file, args, { stdio: 'pipe' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): apt-get install -y postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-pg-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`);
  if (asRoot()) execFileSync('chown', ['-R', runAs, dir]);
  run(bin, 'initdb', ['-D', data, '-U', 'kx', `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => run(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  const stop = () => run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  start();
  let closed = false;
  return {
    url: `postgres://kx:${PG_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    start,
    close: () => {
      if (closed) return;
      closed = true;
      try {
        stop();
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
