// The team database's address: checked once, shown only with its password masked, and given TLS
// whenever the server is not on this machine (a password must never cross a network in clear).

import type { PoolConfig } from 'pg';
import { isLoopbackHost } from '../config/config.js';

export interface TeamUrl {
  /** The URL as given: it carries the password, so it goes only to the PostgreSQL client. */
  secret: string;
  /** What may be printed or shown: the password replaced by `***`. */
  masked: string;
  loopback: boolean;
}

/** `postgres://ana:pw@db.example.com/kx` → `postgres://ana:***@db.example.com/kx`; anything unparsable is hidden whole. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(key)) u.searchParams.set(key, '***');
    return u.href;
  } catch {
    return '(an unparsable URL, not shown)';
  }
}

/** The URL checked, or why not, in words that never quote the password; `name` says where it came from. */
export function parseTeamUrl(url: string, name = 'KX_TEAM_DATABASE_URL'): TeamUrl | { error: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: `${name} must be a URL like postgres://user:password@host:5432/database` };
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return { error: `${name} must start with postgres:// (got ${u.protocol}//)` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === '' || isLoopbackHost(host) || isLoopbackHost(`[${host}]`);
  const sslmode = u.searchParams.get('sslmode');
  if (!loopback && (sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer')) {
    return { error: `${name}: ${host} is not this machine, so kx requires TLS; remove sslmode=${sslmode} (${maskUrl(url)})` };
  }
  return { secret: url, masked: maskUrl(url), loopback };
}

/** node-postgres settings: TLS with the server's certificate checked unless the server is on this machine. */
export function poolConfig(url: TeamUrl): PoolConfig {
  return {
    connectionString: url.secret,
    ...(url.loopback ? {} : { ssl: { rejectUnauthorized: true } }),
    max: 2,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A statement that hangs (a locked table, a half-open socket) must not stall the sync for good.
    statement_timeout: 30_000,
    query_timeout: 35_000,
    application_name: 'kx-team',
  };
}
