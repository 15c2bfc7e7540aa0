// The running kx's API, for the commands people run in a terminal (kx end, gaps, summary, notes, mode,
// approve). Found the way `kx codex` finds kx: the proxy.env in kx's own folder and KX_* variables, with
// the console token (KX_UI_TOKEN, else documents/ui-token).

import fs from 'node:fs';
import path from 'node:path';
import { readSettings } from '../config/config.js';

/** A mistake the person can fix: printed as one line, exit code 2. */
export class CliError extends Error {}

export interface KxClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** A client for the kx at `baseUrl` (e.g. http://127.0.0.1:8787), authorised by the console token. */
export function kxClient(baseUrl: string, token: string): KxClient {
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new CliError(`kx is not answering at ${baseUrl}; start it first with: kx start (or npm start in kx's folder)`);
    }
    const json = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!res.ok) throw new CliError(json.error?.message ?? `${method} ${p}: kx answered ${res.status}`);
    return json;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
}

/** Where the kx that `npm start` in kx's folder (`packageRoot`) listens, and its console token. */
export function kxAddress(packageRoot: string): { baseUrl: string; token: string } {
  const { settings } = readSettings({ cwd: packageRoot });
  const host = settings.KX_HOST === '0.0.0.0' || settings.KX_HOST === '::' ? '127.0.0.1' : settings.KX_HOST;
  let token = settings.KX_UI_TOKEN;
  if (!token) {
    const file = path.join(path.resolve(packageRoot, settings.KX_DOCUMENTS_DIR), 'ui-token');
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch {
      throw new CliError(`no console token at ${file}: start kx once (kx start), or set KX_UI_TOKEN`);
    }
  }
  return { baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${settings.KX_PORT}`, token };
}

/** The kx that `npm start` in kx's folder (`packageRoot`) runs. */
export function runningKx(packageRoot: string): KxClient {
  const { baseUrl, token } = kxAddress(packageRoot);
  return kxClient(baseUrl, token);
}
