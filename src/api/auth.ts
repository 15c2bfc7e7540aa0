// The console and /api need the token: a Bearer header, or the HttpOnly cookie that
// opening /ui/?token=… sets. Compared in constant time.

import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { apiError } from './api-error.js';

/**
 * The console cookie's name for the kx the request reached: one per port, because cookies ignore
 * ports, so a second kx on the same host would otherwise overwrite (log out) the first one's.
 */
export function cookieName(hostHeader: string | undefined): string {
  const port = /:(\d{1,5})$/.exec(hostHeader ?? '')?.[1] ?? '80';
  return `kx_token_${port}`;
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * The agent's token for /mcp, which only reads: derived one-way from the console token, so kx keeps no
 * second secret and an agent that prints its environment cannot turn it into the console's (/api
 * refuses it, mode switching included).
 */
export function mcpTokenOf(consoleToken: string): string {
  return `kxmcp_${crypto.createHmac('sha256', consoleToken).update('kx read-only MCP token').digest('hex')}`;
}

/** The token of an `Authorization: Bearer …` header. */
export const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];

export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = bearerOf(c.req.header('authorization'));
    if (tokenMatches(bearer, token) || tokenMatches(getCookie(c, cookieName(c.req.header('host'))), token)) return next();
    return c.json(apiError('unauthorized', 'kx: missing or wrong token; open the console URL kx printed at start'), 401);
  };
}
