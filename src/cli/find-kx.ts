// Which kx a command talks to: the one on the documents folder its settings name (kx's proxy.env, then
// KX_* variables, then the flags kx start takes). The folder's lock (kx.lock) says where that kx listens,
// so --documents alone is enough after `kx start --port 0 --documents X`; --port and --host, when given,
// win. When no kx can be reached, one line says which URL and folder were tried and what to pass or set.

import fs from 'node:fs';
import path from 'node:path';
import { kxUrl, readSettings } from '../config/config.js';
import type { OptionSpecs, OptionValues } from '../config/flags.js';
import { folderHolder, type LockFacts } from '../store/documents-lock.js';
import { CliError, kxClient, type KxClient } from './kx-client.js';
import { termLine } from './terminal-text.js';

/** The flags every command that talks to kx takes: those of kx start that say where kx is. */
export const FIND_KX_OPTIONS = {
  documents: { type: 'string', value: 'DIR' },
  port: { type: 'string', value: 'P' },
  host: { type: 'string', value: 'H' },
  'env-file': { type: 'string', value: 'F' },
} as const satisfies OptionSpecs;

export type FindKxFlags = OptionValues<typeof FIND_KX_OPTIONS>;

/** A line of such a command's --help. */
export const FIND_KX_HELP = 'finds the running kx by its documents folder: --documents DIR, --port P, --host H, --env-file F as given to kx start';

export interface FindOptions {
  /** kx's own folder: its proxy.env, and what a relative KX_DOCUMENTS_DIR is relative to. */
  packageRoot: string;
  /** Where the command was typed: what a path given as a flag is relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  warn?: (line: string) => void;
}

export interface KxPlace {
  baseUrl: string;
  documentsDir: string;
  /** The console token and where it came from; undefined when neither KX_UI_TOKEN nor the folder has one. */
  token: { value: string; from: string } | undefined;
  /** The live kx that holds the folder, if any. */
  holder: LockFacts | undefined;
}

function folderToken(documentsDir: string): KxPlace['token'] {
  const file = path.join(documentsDir, 'ui-token');
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    return value ? { value, from: file } : undefined;
  } catch {
    return undefined;
  }
}

/** Where the kx of these settings should be, without asking it. */
export function locateKx(flags: FindKxFlags, o: FindOptions): KxPlace {
  const argv = Object.entries(flags).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, String(v)]));
  const { settings } = readSettings({ cwd: o.packageRoot, flagsCwd: o.cwd, argv, env: o.env, ...(o.warn ? { warn: o.warn } : {}) });
  const documentsDir = path.resolve(o.packageRoot, settings.KX_DOCUMENTS_DIR);
  const holder = folderHolder(documentsDir);
  const port = flags.port === undefined && holder?.port ? holder.port : settings.KX_PORT;
  const host = flags.host === undefined && holder?.host ? holder.host : settings.KX_HOST;
  const token = settings.KX_UI_TOKEN ? { value: settings.KX_UI_TOKEN, from: 'KX_UI_TOKEN' } : folderToken(documentsDir);
  return { baseUrl: kxUrl(host, port), documentsDir, token, holder };
}

/** What to pass or set, for a command that takes the flags, or (`viaEnv`, kx codex) one whose words are another program's. */
const point = (viaEnv: boolean): string =>
  viaEnv ? 'point it at the running one with KX_DOCUMENTS_DIR or KX_PORT' : 'point this command at the running one with --documents DIR or --port P (or KX_DOCUMENTS_DIR, KX_PORT)';
const sameFolder = (viaEnv: boolean): string =>
  `${viaEnv ? 'set KX_DOCUMENTS_DIR to the one it was started with' : 'pass the one it was started with, --documents DIR (or KX_DOCUMENTS_DIR)'}, or set KX_UI_TOKEN to its token`;
const show = (s: string): string => termLine(s);

/** Nothing answers where the place says kx is. */
export function notAnsweringAt(p: KxPlace, viaEnv = false): string {
  if (p.holder) return `the kx holding ${show(p.documentsDir)} (pid ${p.holder.pid}) is not answering at ${p.baseUrl}; it may still be starting: try again in a moment`;
  return `kx is not answering at ${p.baseUrl} (tried for the documents folder ${show(p.documentsDir)}, which no running kx holds): start it with kx start, or ${point(viaEnv)}`;
}

/** A kx answered and refused the token: another folder's kx, or (the folder's own kx answering) one started with its own KX_UI_TOKEN. */
export function wrongToken(p: KxPlace): string {
  const refused = `kx at ${p.baseUrl} refused the console token of ${show(p.token?.from ?? p.documentsDir)}`;
  if (p.holder?.port && p.baseUrl.endsWith(`:${p.holder.port}`)) return `${refused}: the kx on ${show(p.documentsDir)} (pid ${p.holder.pid}) was started with another KX_UI_TOKEN: set the same one for this command`;
  return `${refused}: it runs with another documents folder; ${sameFolder(false)}`;
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** Why there is no token to send, and what to do. */
export async function noToken(p: KxPlace, viaEnv = false): Promise<string> {
  const dir = show(p.documentsDir);
  if (p.holder) return `the kx on ${dir} (pid ${p.holder.pid}) was started with KX_UI_TOKEN: set the same KX_UI_TOKEN for this command`;
  if (await answers(p.baseUrl)) {
    return `a kx answers at ${p.baseUrl}, but the documents folder ${dir} has no console token (ui-token), so that kx runs with another folder: ${sameFolder(viaEnv)}`;
  }
  return `no kx runs on the documents folder ${dir}, and nothing answers at ${p.baseUrl}: start one with kx start, or ${point(viaEnv)}`;
}

/** The place's API, or the reason it cannot be reached. */
async function connect(p: KxPlace): Promise<KxClient> {
  if (!p.token) throw new CliError(await noToken(p));
  return kxClient(p.baseUrl, p.token.value, { notAnswering: () => notAnsweringAt(p), unauthorized: () => wrongToken(p) });
}

/** The running kx these flags and settings name; found at the first call, so a command that fails before asking never looks. */
export function runningKx(packageRoot: string, flags: FindKxFlags = {}, more: Partial<Omit<FindOptions, 'packageRoot'>> = {}): KxClient {
  let client: Promise<KxClient> | undefined;
  const ready = (): Promise<KxClient> =>
    (client ??= Promise.resolve().then(() => connect(locateKx(flags, { packageRoot, cwd: more.cwd ?? process.cwd(), env: more.env ?? process.env, ...(more.warn ? { warn: more.warn } : {}) }))));
  return { get: async (p, answer) => (await ready()).get(p, answer), post: async (p, answer, body) => (await ready()).post(p, answer, body) };
}
