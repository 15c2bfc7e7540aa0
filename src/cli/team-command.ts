// `kx team join|status|share|leave`: team memory from a terminal (docs/team.md). join and leave edit kx's
// own proxy.env (the URL carries a password: the file is kept 0600 and the URL is only ever printed
// masked); status and share ask the running kx.

import fs from 'node:fs';
import path from 'node:path';
import { teamView, type SharingRequest } from '../contracts/team.js';
import { NAME_NEEDED } from '../store/name-match.js';
import { migrateTeamDatabase } from '../team/pg-migrations.js';
import { parseTeamUrl, poolConfig } from '../team/team-url.js';
import { CliError, type KxClient } from './kx-client.js';
import { localTime } from './terminal-text.js';

export const TEAM_USAGE = 'kx team join <postgres-url> [--author NAME] | status | share <project> on|off | leave';

const KEYS = ['KX_TEAM_DATABASE_URL', 'KX_TEAM_AUTHOR'];

/** proxy.env's text with the team lines replaced (or removed when `values` is empty); every other line kept. */
export function withTeamLines(text: string, values: Record<string, string>): string {
  const kept = text.split('\n').filter((l) => !KEYS.some((k) => new RegExp(`^\\s*(export\\s+)?${k}\\s*=`).test(l)));
  while (kept.length && kept.at(-1) === '') kept.pop();
  const added = Object.entries(values).map(([k, v]) => `${k}="${v}"`);
  return [...kept, ...(added.length ? ['', '# Team memory (docs/team.md); written by kx team join', ...added] : []), ''].join('\n').replace(/^\n+/, '');
}

/** Connects once and brings the schema up to date, so a wrong URL is found now rather than at the next start. */
async function tryDatabase(url: ReturnType<typeof parseTeamUrl>): Promise<void> {
  if ('error' in url) throw new CliError(url.error);
  // Loaded here: every other kx command starts without the PostgreSQL client.
  const { default: pg } = await import('pg');
  const client = new pg.Client(poolConfig(url));
  client.on('error', () => {});
  try {
    await client.connect();
    await migrateTeamDatabase(client);
  } catch (err) {
    const message = (err as Error).message.replaceAll(url.secret, url.masked);
    throw new CliError(`could not reach ${url.masked}: ${message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function teamJoin(raw: string, author: string | undefined, envFile: string, out: (s: string) => void): Promise<void> {
  if (/["\n\r]/.test(raw) || (author && /["\n\r]/.test(author))) throw new CliError('the URL and the name must not hold quotes or line breaks');
  // Named as typed (never quoted back: it may hold a password), not as the setting it becomes.
  const url = parseTeamUrl(raw, 'the URL given to kx team join');
  if ('error' in url) throw new CliError(url.error);
  await tryDatabase(url);
  const before = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  fs.writeFileSync(envFile, withTeamLines(before, { KX_TEAM_DATABASE_URL: raw, ...(author ? { KX_TEAM_AUTHOR: author } : {}) }), { mode: 0o600 });
  fs.chmodSync(envFile, 0o600);
  out(`joined ${url.masked}: written to ${envFile} (mode 0600)`);
  out('restart kx (kx start) to begin sharing; kx team status shows what leaves this machine');
}

export function teamLeave(envFile: string, out: (s: string) => void): void {
  if (!fs.existsSync(envFile) || !/KX_TEAM_DATABASE_URL/.test(fs.readFileSync(envFile, 'utf8'))) {
    out(`no team in ${envFile}${process.env.KX_TEAM_DATABASE_URL ? ' (KX_TEAM_DATABASE_URL is set in your environment: unset it)' : ''}`);
    return;
  }
  fs.writeFileSync(envFile, withTeamLines(fs.readFileSync(envFile, 'utf8'), {}));
  out(`left the team: KX_TEAM_DATABASE_URL removed from ${envFile}; restart kx to stop syncing`);
  out('what you shared stays in the team database; what came from the team stays in your documents folder');
}

export async function teamStatus(client: KxClient, out: (s: string) => void, timeZone?: string): Promise<void> {
  const t = await client.get('/api/team', teamView);
  if (!t.enabled) {
    out('team memory is off (kx team join <postgres-url> turns it on)');
    return;
  }
  out(`team:     ${t.database} as ${t.author} (machine ${t.machineId})`);
  out(`state:    ${t.state}${t.lastError ? ` — ${t.lastError}` : ''}${t.nextRetryAt ? `, next try ${localTime(t.nextRetryAt, timeZone)}` : ''}`);
  out(`outbox:   ${t.backlog} waiting; ${t.sent} sent and ${t.received} received since start`);
  for (const p of t.projects) out(`  ${p.sharing ? 'shared  ' : 'private '} ${p.name}${p.teamKey && p.teamKey !== p.name ? `  (${p.teamKey})` : ''}  ${p.waiting} waiting, ${p.received} received`);
  out(`shared:   ${t.shared.map((s) => s.split(':')[0]).join('; ')}`);
  out(`kept:     ${t.keptLocal.map((s) => s.split(':')[0]).join('; ')}`);
}

export async function teamShare(client: KxClient, project: string, onOff: 'on' | 'off', out: (s: string) => void): Promise<void> {
  if (project === '') throw new CliError(NAME_NEEDED.project);
  const t = await client.get('/api/team', teamView);
  const hit = t.projects.find((p) => p.id === project || p.name === project || p.name === path.resolve(project));
  if (!hit) throw new CliError(`no project ${JSON.stringify(project)}; known: ${t.projects.map((p) => p.name).join(', ') || 'none yet'}`);
  await client.post(`/api/team/projects/${encodeURIComponent(hit.id)}/sharing`, teamView.shape.projects.element, { sharing: onOff === 'on' } satisfies SharingRequest);
  out(`${hit.name}: sharing ${onOff}`);
}
