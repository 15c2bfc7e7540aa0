// The team database's URL carries a password: it is shown masked, and it needs TLS to leave this machine.

import { describe, expect, it } from 'vitest';
import { maskUrl, parseTeamUrl, poolConfig } from '../../src/team/team-url.js';

describe('the team database URL', () => {
  it('is shown with its password masked', () => {
    expect(maskUrl('postgres://ana:hunter2-long@db.example.com:5432/kx')).toBe('postgres://ana:***@db.example.com:5432/kx');
    expect(maskUrl('postgres://ana@db/kx?password=hunter2-long')).not.toContain('hunter2');
  });

  it('refuses to reach another host without TLS, without quoting the password', () => {
    const r = parseTeamUrl('postgres://ana:hunter2-long@db.example.com/kx?sslmode=disable');
    expect(r).toHaveProperty('error');
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('asks for a checked certificate when the host is not this machine, and none on loopback', () => {
    const remote = parseTeamUrl('postgres://ana:pw@db.example.com/kx');
    const local = parseTeamUrl('postgres://ana:pw@127.0.0.1:5433/kx');
    if ('error' in remote || 'error' in local) throw new Error('both are valid');
    expect(poolConfig(remote).ssl).toEqual({ rejectUnauthorized: true });
    expect(poolConfig(local).ssl).toBeUndefined();
  });

  it('refuses what is not a postgres URL', () => {
    expect(parseTeamUrl('mysql://a@b/c')).toHaveProperty('error');
    expect(parseTeamUrl('not a url')).toHaveProperty('error');
  });
});

describe('team settings at start', () => {
  it('stop kx with a message that never quotes the password, and need the insight engine', async () => {
    const { checkTeamSettings } = await import('../../src/team/team-api.js');
    const bad = { databaseUrl: 'postgres://ana:hunter2-long@db.example.com/kx?sslmode=disable', author: 'ana' };
    expect(() => checkTeamSettings(bad, true)).toThrow(/requires TLS/);
    expect(() => checkTeamSettings(bad, true)).not.toThrow(/hunter2/);
    const good = { databaseUrl: 'postgres://ana:hunter2-long@127.0.0.1/kx', author: 'ana' };
    expect(() => checkTeamSettings(good, false)).toThrow(/needs the insight engine/);
    expect(checkTeamSettings(good, true)).toEqual({ database: 'postgres://ana:***@127.0.0.1/kx', author: 'ana' });
    expect(checkTeamSettings(undefined, true)).toBeUndefined();
  });
});
